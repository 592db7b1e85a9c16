# shellcheck shell=sh
# shellcheck disable=SC2154 # tools, E2E, img_ctr come from run.sh, image.sh
# Sourced by run.sh once: helm-x as an Argo CD Config Management Plugin.
# tests/e2e/cmpserver.py replays argocd-cmp-server and the repo-server's
# environment on testdata/argocd/repo with argocd/plugin.yaml: here (a
# PATH with helm-x and Helm 4 as helm) and, when image.sh built it,
# inside the image (buildah run, uid 999).  Each generate is checked
# against helm template and kubectl kustomize run on the same files.
A="$SCRATCH/argocd"
mkdir -p "$A/bin" "$A/cmp" "$A/home"
ln -sf "$HX" "$A/bin/helm-x"
ln -sf "$tools/helm4.2" "$A/bin/helm"
ln -sf "$tools/kubectl" "$A/bin/kubectl"
AR="$TOP/testdata/argocd/repo"
# the runners: here, and in the image
runners=host
if [ -n "${img_ctr:-}" ]; then
	runners="host image"
else
	echo "# SKIP: no image (image.sh): the plugin runs here only, not in its image"
fi
# cmp_run NAME RUNNER APP-PATH PARAMS-JSON [KUBE-VERSION API-VERSIONS-JSON]:
# the stand-in's answer in $A/NAME-RUNNER.json
cmp_run() {
	spec="$A/$1-$2.spec.json"
	runner=null
	owner=null
	if [ "$2" = image ]; then
		runner="[\"buildah\", \"--storage-driver\", \"vfs\", \"--root\", \"$BR\", \"--runroot\", \"$BR/run\", \"run\", \"--isolation\", \"chroot\", \"--user\", \"999:999\", \"-v\", \"$A/cmp:$A/cmp\", \"$img_ctr\"]"
		owner=999
	fi
	cat >"$spec" <<JSON
{"plugin": "$TOP/argocd/plugin.yaml", "repo": "$AR", "path": "$3",
 "app": "argocd_$1", "namespace": "prod", "kubeVersion": "${5:-}",
 "apiVersions": ${6:-[]}, "parameters": $4,
 "env": [{"name": "TEAM", "value": "shop-\$ARGOCD_APP_NAME"}],
 "workBase": "$A/cmp", "runner": $runner, "owner": $owner,
 "hostEnv": {"PATH": "$A/bin:/usr/bin:/bin", "HOME": "$A/home",
   "HELM_CACHE_HOME": "$A/home/cache", "HELM_CONFIG_HOME": "$A/home/config",
   "HELM_DATA_HOME": "$A/home/data"}}
JSON
	python3 tests/e2e/cmpserver.py "$spec" "$A/$1-$2.json" 2>"$A/$1-$2.err"
}
# field NAME-RUNNER STEP FIELD: one field of the stand-in's answer
field() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]], end="")' \
		"$A/$1.json" "$2" "$3" 2>/dev/null
}

# the expected objects, from the real tools
H4="$tools/helm4.2"
apis='["apps/v1", "v1", "monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor"]'
mkdir -p "$A/kweb"
"$H4" template web "$AR/apps/web" --namespace prod --kube-version 1.31.2 \
	--api-versions apps/v1 --api-versions v1 \
	--api-versions monitoring.coreos.com/v1 \
	--api-versions monitoring.coreos.com/v1/ServiceMonitor --include-crds \
	--values "$AR/apps/web/values-prod.yaml" --set 'message=a\,b' \
	--set replicas=3 >"$A/kweb/render.yaml" 2>"$A/err"
{
	echo "resources: [render.yaml]"
	cat "$AR/apps/web/patches.yaml"
} >"$A/kweb/kustomization.yaml"
"$tools/kubectl" kustomize "$A/kweb" >"$A/web.want" 2>>"$A/err"
# the kustomization built, then patched (helm-x patches what it renders)
mkdir -p "$A/kkz"
"$tools/kubectl" kustomize "$AR/apps/kz" >"$A/kkz/built.yaml" 2>>"$A/err"
cp "$AR/apps/kz/debug.yaml" "$A/kkz/"
printf 'resources: [built.yaml]\npatches: [{path: debug.yaml}]\n' >"$A/kkz/kustomization.yaml"
"$tools/kubectl" kustomize "$A/kkz" >"$A/kz.want" 2>>"$A/err"
webp='[{"name": "values", "array": ["values-prod.yaml"]},
 {"name": "set", "map": {"replicas": "3", "message": "a,b"}},
 {"name": "patches", "array": ["patches.yaml"]}]'

for r in $runners; do
	cmp_run web "$r" apps/web "$webp" v1.31.2 "$apis"
	if [ "$(field "web-$r" discover stdout)" = "chart" ] &&
		python3 tests/e2e/argocd_check.py "$A/web-$r.json" "$A/web.want" >"$A/out"; then
		ok "argocd ($r): a chart with values, set, patches, KUBE_VERSION and KUBE_API_VERSIONS: $(cat "$A/out")"
	else
		not_ok "argocd ($r): the chart app"
		sed 's/^/#   /' "$A/out" "$A/web-$r.err" | head -12
		field "web-$r" generate stderr | head -5 | sed 's/^/#   /'
	fi
	# what the objects must hold, said outright
	if python3 - "$A/web-$r.json" <<'PY'
import json, sys
objs = json.load(open(sys.argv[1]))["generate"]["objects"]
by = {(o["kind"], o["metadata"]["name"]): o for o in objs}
job = by[("Job", "web-migrate")]
assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
assert job["spec"]["backoffLimit"] == 1
assert ("ServiceMonitor", "web") in by
assert ("CustomResourceDefinition", "gadgets.example.com") in by
d = by[("Deployment", "web")]
assert d["metadata"]["labels"]["kube"] == "v1.31.2"
assert d["spec"]["replicas"] == 3 and d["metadata"]["namespace"] == "prod"
assert by[("ConfigMap", "web-message")]["data"]["message"] == "a,b"
PY
	then
		ok "argocd ($r): hooks keep helm.sh/hook, release 'web' of 'argocd_web', CRDs included, the comma of a set value kept"
	else
		not_ok "argocd ($r): the chart app's objects"
	fi

	cmp_run kz "$r" apps/kz '[{"name": "strategic-merge-patch", "array": ["debug.yaml"]}]'
	if [ "$(field "kz-$r" discover stdout)" = "kustomization" ] &&
		python3 tests/e2e/argocd_check.py "$A/kz-$r.json" "$A/kz.want" >"$A/out"; then
		ok "argocd ($r): a kustomization with a strategic merge patch: $(cat "$A/out")"
	else
		not_ok "argocd ($r): the kustomization app"
		sed 's/^/#   /' "$A/out" | head -8
		field "kz-$r" generate stderr | head -5 | sed 's/^/#   /'
	fi

	cmp_run flux "$r" apps/flux '[{"name": "helmrelease", "string": "."}]'
	field "flux-$r" generate stdout >"$A/flux.out"
	mkdir -p "$A/flux-$r"
	if [ "$(field "flux-$r" generate exit)" = 0 ] &&
		python3 tests/e2e/flux_oracle.py "$H4" "$tools/kubectl" "$A/flux-$r" \
			"$A/flux.out" "$A/none" "$AR" "$AR/apps/flux/release.yaml" >"$A/out" 2>&1; then
		ok "argocd ($r): a Flux HelmRelease as helm-controller renders it: $(cat "$A/out")"
	else
		not_ok "argocd ($r): the HelmRelease app"
		sed 's/^/#   /' "$A/out" | head -8
		field "flux-$r" generate stderr | head -5 | sed 's/^/#   /'
	fi

	# errors: exit status not 0, nothing on stdout (an empty stdout that
	# exited 0 would make Argo CD prune the Application)
	err_case() { # NAME APP-PATH PARAMS WANT
		cmp_run "$1" "$r" "$2" "$3"
		if [ "$(field "$1-$r" generate exit)" != 0 ] &&
			[ -z "$(field "$1-$r" generate stdout)" ] &&
			field "$1-$r" generate stderr | grep -qF "$4" &&
			[ "$(field "$1-$r" generate stderr | grep -c .)" = 1 ]; then
			ok "argocd ($r): $1: exit status 1, nothing on stdout, one line: $4"
		else
			not_ok "argocd ($r): $1 (exit $(field "$1-$r" generate exit))"
			field "$1-$r" generate stderr | head -5 | sed 's/^/#   /'
		fi
	}
	err_case broken apps/broken '[{"name": "chart", "string": "../web"}, {"name": "patches", "array": ["patches.yaml"]}]' \
		'matched no document'
	err_case escape apps/web '[{"name": "values", "array": ["../../../../etc/passwd"]}]' \
		"parameter 'values': '../../../../etc/passwd' leaves the repository"
	err_case unknown apps/web '[{"name": "valuez", "array": ["a.yaml"]}]' \
		"no parameter 'valuez' in helm-x's plugin"
	err_case typed apps/web '[{"name": "values", "string": "a.yaml"}]' \
		"parameter 'values' is an array (give it as 'array')"
	err_case fluxmix apps/flux '[{"name": "helmrelease", "string": "."}, {"name": "values", "array": ["x"]}]' \
		"parameters 'helmrelease' and 'values' do not go together"
	cmp_run none "$r" apps/none '[]'
	if [ "$(field "none-$r" discover exit)" = 0 ] &&
		[ -z "$(field "none-$r" discover stdout)" ]; then
		ok "argocd ($r): discover says nothing for a directory helm-x does not render"
	else
		not_ok "argocd ($r): discover of apps/none"
	fi
done

# argocd/: the announcements are helm-x's parameters, the example
# Application names only those, the sidecar patch fits Argo CD's own
# repo-server Deployment (its var-files and plugins volumes)
"$HX" argocd parameters >"$A/params.json" 2>"$A/err"
if python3 - "$TOP/argocd/plugin.yaml" "$A/params.json" "$TOP/argocd/application.yaml" <<'PY'
import json, sys, yaml
cfg = yaml.safe_load(open(sys.argv[1]))
ann = json.load(open(sys.argv[2]))
assert cfg["spec"]["parameters"]["static"] == ann, "static != helm-x argocd parameters"
app = yaml.safe_load(open(sys.argv[3]))
plug = app["spec"]["source"]["plugin"]
assert plug["name"] == cfg["metadata"]["name"]
types = {a["name"]: a.get("collectionType", "string") for a in ann}
for p in plug["parameters"]:
    t = [k for k in ("string", "array", "map") if k in p]
    assert t == [types[p["name"]]], p
PY
then
	ok "argocd/plugin.yaml announces helm-x's parameters; application.yaml uses them as announced"
else
	not_ok "argocd/plugin.yaml or application.yaml against 'helm-x argocd parameters'"
fi
mkdir -p "$A/rs"
cat >"$A/rs/deploy.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: argocd-repo-server}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: argocd-repo-server}}
  template:
    metadata: {labels: {app.kubernetes.io/name: argocd-repo-server}}
    spec:
      containers:
      - name: argocd-repo-server
        image: quay.io/argoproj/argocd:latest
        volumeMounts:
        - {mountPath: /home/argocd/cmp-server/plugins, name: plugins}
      volumes:
      - {name: var-files, emptyDir: {}}
      - {name: plugins, emptyDir: {}}
YAML
cp "$TOP/argocd/repo-server-patch.yaml" "$A/rs/"
printf 'resources: [deploy.yaml]\npatches: [{path: repo-server-patch.yaml}]\n' >"$A/rs/kustomization.yaml"
if "$tools/kubectl" kustomize "$A/rs" >"$A/rs.out" 2>"$A/err" &&
	python3 - "$A/rs.out" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
spec = d["spec"]["template"]["spec"]
c = {x["name"]: x for x in spec["containers"]}
h = c["helm-x"]
assert h["command"] == ["/var/run/argocd/argocd-cmp-server"]
assert h["securityContext"]["runAsUser"] == 999
vols = {v["name"] for v in spec["volumes"]}
for m in h["volumeMounts"]:
    assert m["name"] in vols, m
assert {m["mountPath"] for m in h["volumeMounts"]} >= {"/var/run/argocd", "/home/argocd/cmp-server/plugins", "/tmp"}
assert "argocd-repo-server" in c
PY
then
	ok "argocd/repo-server-patch.yaml adds the sidecar to Argo CD's repo-server (kubectl kustomize)"
else
	not_ok "argocd/repo-server-patch.yaml with kubectl kustomize"
	sed 's/^/#   /' "$A/err" | head -5
fi
if [ -n "${img_ctr:-}" ] &&
	img_b run --isolation chroot hx-test -- cat /home/argocd/cmp-server/config/plugin.yaml >"$A/in-plugin.yaml" 2>/dev/null &&
	cmp -s "$A/in-plugin.yaml" "$TOP/argocd/plugin.yaml"; then
	ok "image: argocd/plugin.yaml is where argocd-cmp-server reads it"
elif [ -n "${img_ctr:-}" ]; then
	not_ok "image: /home/argocd/cmp-server/config/plugin.yaml"
fi
