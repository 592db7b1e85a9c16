# shellcheck shell=sh
# helm x flux: every error line, and the values rules that need no
# network (a GitRepository chart given with --source, real helm 3 from
# .tools when there).  The whole repository against the real tools:
# tests/e2e/flux.sh.
FX="$SCRATCH/fx"
mkdir -p "$FX"
cat >"$FX/src.yaml" <<'YAML'
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo, namespace: flux-system}
spec: {url: "https://example.com/fleet"}
YAML
SRC="GitRepository/flux-system/repo=$TOP/testdata/charts"
# hr VERSION SPEC-LINES: a HelmRelease apps/app of the chart fluxapp;
# SPEC-LINES (indented two spaces) start at line 7.
hr() {
	printf 'apiVersion: helm.toolkit.fluxcd.io/%s\nkind: HelmRelease\nmetadata: {name: app, namespace: apps}\nspec:\n  chart:\n    spec: {chart: ./fluxapp, sourceRef: {kind: GitRepository, name: repo, namespace: flux-system}}\n%s' \
		"$1" "$2" >"$FX/hr.yaml"
}
# flux_err DESC SPEC-LINES LINE: flux template fails with LINE.
flux_err() {
	hr v2 "$2"
	hx flux template "$FX" --source "$SRC"
	expect_err "flux: $1" "$3"
}

flux_err "an unknown field" '  foo: 1
' "$FX/hr.yaml:7:3: error: unknown field 'spec.foo' of a HelmRelease"
flux_err "chart and chartRef" '  chartRef: {kind: OCIRepository, name: x}
' "$FX/hr.yaml:7:13: error: a HelmRelease has 'spec.chart' or 'spec.chartRef', not both"
flux_err "a CRD policy" '  install: {crds: Sometimes}
' "$FX/hr.yaml:7:19: error: invalid CRD policy 'Sometimes': want Skip, Create or CreateReplace"
flux_err "a postRenderStrategy" '  postRenderStrategy: later
' "$FX/hr.yaml:7:23: error: invalid postRenderStrategy 'later': want nohooks, combined or separate"
flux_err "a valuesFrom kind" '  valuesFrom:
  - {kind: Deployment, name: x}
' "$FX/hr.yaml:8:5: error: valuesFrom kind 'Deployment': want ConfigMap or Secret"
flux_err "a ConfigMap not in the PATHs" '  valuesFrom:
  - {kind: ConfigMap, name: nothere}
' "$FX/hr.yaml:8:5: error: valuesFrom ConfigMap apps/nothere is not among the PATH objects: add its file, or give it with --values-from ConfigMap/apps/nothere=FILE"
flux_err "an invalid release name" '  releaseName: Bad_Name
' "$FX/hr.yaml:1:1: error: HelmRelease apps/app: invalid release name 'Bad_Name': helm takes lower-case letters, digits, '-' and '.' (each part between dots starting and ending with a letter or digit), at most 53 characters"
flux_err "patchesStrategicMerge in v2" '  postRenderers:
  - kustomize:
      patchesStrategicMerge: [{kind: Service}]
' "$FX/hr.yaml:9:7: error: unknown field 'patchesStrategicMerge' of postRenderers[].kustomize (want patches, images) (patchesStrategicMerge and patchesJson6902 are gone from helm.toolkit.fluxcd.io/v2: move them to patches)"
flux_err "a patch read from a path" '  postRenderers:
  - kustomize:
      patches:
      - {path: x.yaml}
' "$FX/hr.yaml:10:10: error: unknown field 'path' of an entry of patches (want patch, target)"
flux_err "a post-renderer other than kustomize" '  postRenderers:
  - helm: {}
' "$FX/hr.yaml:8:5: error: unknown field 'helm' of a postRenderers entry (want kustomize)"
flux_err "an unknown field of an images entry" '  postRenderers:
  - kustomize:
      images:
      - {name: x, newTag: 1, tagz: 2}
' "$FX/hr.yaml:10:30: error: unknown field 'tagz' of an entry of images (want name, newName, newTag, digest)"
cat >"$FX/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: vals, namespace: apps}
data:
  values.yaml: "replicas: 2"
  list: "- a"
---
apiVersion: v1
kind: Secret
metadata: {name: sealed, namespace: apps}
data:
  values.yaml: ENC[AES256_GCM,data:abc,type:str]
sops: {version: 3.9.0}
YAML
flux_err "a key the ConfigMap has not" '  valuesFrom:
  - {kind: ConfigMap, name: vals, valuesKey: other}
' "$FX/hr.yaml:8:5: error: valuesFrom ConfigMap apps/vals has no key 'other'"
flux_err "values that are no mapping" '  valuesFrom:
  - {kind: ConfigMap, name: vals, valuesKey: list}
' "$FX/hr.yaml:8:5: error: valuesFrom ConfigMap apps/vals, key 'list', at 1:1: values must be a mapping"
flux_err "a SOPS-encrypted Secret" '  valuesFrom:
  - {kind: Secret, name: sealed}
' "$FX/hr.yaml:8:5: error: valuesFrom Secret apps/sealed is SOPS-encrypted: give it decrypted with --values-from Secret/apps/sealed=FILE (sops -d)"
flux_err "a targetPath helm cannot parse" '  valuesFrom:
  - {kind: ConfigMap, name: vals, valuesKey: list, targetPath: "a[x]"}
' "$FX/hr.yaml:8:5: error: valuesFrom ConfigMap apps/vals, targetPath 'a[x]': error parsing index: 'x' is no number"
rm "$FX/cm.yaml"
cat >"$FX/hr.yaml" <<'YAML'
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app, namespace: apps}
spec:
  chart:
    spec: {chart: web, sourceRef: {kind: HelmRepository, name: charts}}
YAML
hx flux template "$FX"
expect_err "flux: a source not in the PATHs" \
	"$FX/hr.yaml:6:35: error: HelmRepository apps/charts is not among the PATH objects: add its file"
cat >"$FX/more.yaml" <<'YAML'
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: nourl, namespace: apps}
spec: {interval: 1h}
---
apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: http, namespace: apps}
spec: {url: "https://example.com/x"}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata: {name: b, namespace: apps}
spec: {bucketName: x}
YAML
# flux_chart_err DESC SPEC-LINES LINE: a HelmRelease of SPEC-LINES fails
flux_chart_err() {
	printf 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: app, namespace: apps}\nspec:\n%s' \
		"$2" >"$FX/hr.yaml"
	hx flux template "$FX" --source "$SRC"
	expect_err "flux: $1" "$3"
}
flux_chart_err "a HelmRepository without url" '  chart:
    spec: {chart: web, sourceRef: {kind: HelmRepository, name: nourl}}
' "$FX/more.yaml:1:1: error: HelmRepository apps/nourl has no spec.url"
flux_chart_err "a chartRef kind" '  chartRef: {kind: HelmRepository, name: nourl}
' "$FX/hr.yaml:5:13: error: chartRef kind 'HelmRepository': want OCIRepository or HelmChart"
flux_chart_err "an OCIRepository without oci://" '  chartRef: {kind: OCIRepository, name: http}
' "$FX/more.yaml:6:1: error: OCIRepository apps/http needs an oci:// spec.url"
flux_chart_err "a sourceRef kind" '  chart:
    spec: {chart: web, sourceRef: {kind: OCIRepository, name: http}}
' "$FX/hr.yaml:6:35: error: sourceRef kind 'OCIRepository': want HelmRepository, GitRepository or Bucket"
flux_chart_err "a Bucket without --source" '  chart:
    spec: {chart: ./web, sourceRef: {kind: Bucket, name: b}}
' "$FX/hr.yaml:6:37: error: Bucket apps/b: no local directory for it: give --source Bucket/apps/b=DIR"
flux_chart_err "a chart path that is no directory" '  chart:
    spec: {chart: ./nothere, sourceRef: {kind: GitRepository, name: repo, namespace: flux-system}}
' "$FX/hr.yaml:6:41: error: chart './nothere' is no directory of the GitRepository"
flux_chart_err "a values file that is not there" '  chart:
    spec: {chart: ./fluxapp, valuesFiles: [nothere.yaml], sourceRef: {kind: GitRepository, name: repo, namespace: flux-system}}
' "$FX/hr.yaml:6:44: error: no values file found at path 'nothere.yaml' (of the source)"
flux_chart_err "valuesFiles that are no list" '  chart:
    spec: {chart: ./fluxapp, valuesFiles: values.yaml, sourceRef: {kind: GitRepository, name: repo, namespace: flux-system}}
' "$FX/hr.yaml:6:43: error: 'spec.chart.spec.valuesFiles' must be a list of paths"
flux_chart_err "a sourceRef without kind" '  chart:
    spec: {chart: ./fluxapp, sourceRef: {name: repo}}
' "$FX/hr.yaml:6:41: error: 'sourceRef' needs kind and name"
flux_chart_err "a chart without sourceRef" '  chart:
    spec: {chart: ./fluxapp}
' "$FX/hr.yaml:6:11: error: 'spec.chart.spec' needs 'sourceRef'"
mkdir -p "$SCRATCH/fx-src" "$SCRATCH/fx-outside"
ln -s "$SCRATCH/fx-outside" "$SCRATCH/fx-src/out"
printf 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: app, namespace: apps}\nspec:\n  chart:\n    spec: {chart: ../../out, sourceRef: {kind: GitRepository, name: repo, namespace: flux-system}}\n' >"$FX/hr.yaml"
hx flux template "$FX" --source "GitRepository/flux-system/repo=$SCRATCH/fx-src"
expect_err "flux: a chart path through a link out of the source" \
	"$FX/hr.yaml:6:41: error: chart path '../../out' leads out of the source directory (a link)"
rm -rf "$SCRATCH/fx-src" "$SCRATCH/fx-outside"
rm "$FX/more.yaml"
hr v2 ''
hx flux template "$FX"
expect_err "flux: a GitRepository outside any git repository" \
	"$FX/hr.yaml:6:41: error: GitRepository flux-system/repo: no local directory for it (the HelmRelease lies in no git repository): give --source GitRepository/flux-system/repo=DIR"
cp "$FX/hr.yaml" "$FX/hr2.yaml"
hx flux template "$FX" --source "$SRC"
expect_err "flux: the same HelmRelease twice" \
	"$FX/hr2.yaml:1:1: error: HelmRelease apps/app is here and in $FX/hr.yaml: give each object once (a kustomization's base and its overlay as two PATHs?)"
rm "$FX/hr2.yaml"
hx flux template "$FX" --source "$SRC" --name apps/other
expect_err "flux: --name of no HelmRelease" \
	"helm-x: error: --name apps/other: no HelmRelease of that namespace and name in the PATHs"
hx flux template "$FX" --name bad
expect_err "flux: --name without a namespace" \
	"helm-x: error: --name 'bad': want NAMESPACE/NAME"
hx flux template "$FX" --source x
expect_err "flux: a --source that is no KIND/NS/NAME=DIR" \
	"helm-x: error: --source 'x': want KIND/NAMESPACE/NAME=DIR"
hx flux template "$FX" --values-from Secret/a=b
expect_err "flux: a --values-from that is no KIND/NS/NAME=FILE" \
	"helm-x: error: --values-from 'Secret/a=b': want KIND/NAMESPACE/NAME=FILE"
hx flux template "$FX" --values-from 'Secret/*/x=b'
expect_err "flux: '*' in a --values-from" \
	"helm-x: error: --values-from 'Secret/*/x=b': '*' stands for any namespace or name in --source only"
hx flux template "$FX" --output github
expect_err "flux: --output is lint's and diff's" \
	"helm-x: error: '--output' is a flag of 'helm x flux lint' and 'diff', not of 'template'"
hx flux diff "$FX" --source "$SRC" --from /dev/null --color=sometimes
expect_err "flux: diff's --color=WHEN is checked" \
	"helm-x: error: --color 'sometimes': want always, never or auto"
hx flux template "$FX" --context 3
expect_err "flux: a diff flag on template" \
	"helm-x: error: '--context' is a flag of 'helm x flux diff'"
hx flux lint "$FX" --output json
expect_err "flux: lint --output json" \
	"helm-x: error: --output 'json': want text or github"
hx flux
expect_err "flux: no subcommand" \
	"helm-x: error: 'flux' needs template, lint or diff (see 'helm x flux --help')"
hx flux tmpl "$FX"
expect_err "flux: an unknown subcommand" \
	"helm-x: error: unknown 'flux' command 'tmpl': want template, lint or diff"
hx flux template
expect_err "flux: no PATH" \
	"helm-x: error: 'flux template' needs PATH... (files or directories of HelmReleases)"
hx flux template "$FX" --nope
expect_err "flux: an unknown flag" \
	"helm-x: error: unknown flag '--nope' of 'helm x flux' (see 'helm x flux --help')"
hx flux template "$FX/src.yaml"
expect_err "flux: no HelmRelease" "helm-x: error: no HelmRelease in the PATHs"
hx flux template "$SCRATCH/no-such-dir"
expect_err "flux: a PATH that is not there" \
	"helm-x: error: cannot open '$SCRATCH/no-such-dir': No such file or directory"
hx flux --help
expect_grep "flux: --help" "^Usage: helm x flux template PATH"

# values composed as helm-controller composes them: the chart dumps
# them whole (its ConfigMap RELEASE-values)
h3="$TOP/.tools/bin/helm3"
if [ -x "$h3" ]; then
	# '*' for any namespace and name; an exact --source wins over it
	hr v2 ''
	HELM_BIN="$h3" hx flux template "$FX" --source "GitRepository/*/*=$TOP/testdata/charts"
	expect_grep "flux: --source GitRepository/*/*=DIR serves every GitRepository" \
		"^# HelmRelease apps/app: release app in namespace apps$"
	HELM_BIN="$h3" hx flux template "$FX" --source "GitRepository/*/*=$SCRATCH/nowhere" \
		--source "$SRC"
	expect_grep "flux: an exact --source wins over '*'" \
		"^# HelmRelease apps/app: release app in namespace apps$"
fi
if [ ! -x "$h3" ]; then
	echo "# SKIP: .tools/bin/helm3 missing (sh tests/tools.sh): flux values not checked"
else
	cat >"$FX/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: vals, namespace: apps}
data:
  values.yaml: |
    replicas: 2
    features: {alpha: true, list: [c]}
  tag: '"007"'
  n: "0042"
  t: "True"
  multi: a=1,other=2
  raw: "x,y[0]{z}"
---
apiVersion: v1
kind: Secret
metadata: {name: sealed, namespace: apps}
data:
  values.yaml: ENC[AES256_GCM,data:abc,type:str]
sops: {version: 3.9.0}
YAML
	cat >"$SCRATCH/decrypted.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: sealed, namespace: apps}
stringData:
  values.yaml: "env: from-the-secret"
YAML
	hr v2 '  valuesFrom:
  - {kind: ConfigMap, name: vals}
  - {kind: ConfigMap, name: vals, valuesKey: tag, targetPath: image.tag}
  - {kind: ConfigMap, name: vals, valuesKey: n, targetPath: features.n}
  - {kind: ConfigMap, name: vals, valuesKey: t, targetPath: features.t}
  - {kind: ConfigMap, name: vals, valuesKey: multi, targetPath: features.m}
  - {kind: ConfigMap, name: vals, valuesKey: raw, targetPath: features.raw, literal: true}
  - {kind: ConfigMap, name: vals, valuesKey: tag, targetPath: "features.list[2]"}
  - {kind: Secret, name: sealed}
  - {kind: Secret, name: absent, optional: true}
  values:
    replicas: 3
'
	HELM_BIN="$h3" hx flux template "$FX" --source "$SRC" \
		--values-from "Secret/apps/sealed=$SCRATCH/decrypted.yaml"
	expect_status "flux: template with values from everywhere" 0
	python3 - "$SCRATCH/out" >"$SCRATCH/values" <<'PY'
import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d and d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-values"):
        print(yaml.safe_dump(yaml.safe_load(d["data"]["values.yaml"]), sort_keys=True), end="")
PY
	cat >"$SCRATCH/want" <<'YAML'
env: from-the-secret
features:
  alpha: true
  list:
  - c
  - null
  - '007'
  m: a=1
  n: '0042'
  raw: x,y[0]{z}
  t: true
image:
  repository: ghcr.io/example/app
  tag: '007'
other: 2
replicas: 3
sidecar:
  image: docker.io/library/busybox:1.36
YAML
	if cmp -s "$SCRATCH/values" "$SCRATCH/want"; then
		ok "flux: valuesFrom in order, targetPath typed as helm's --set, literal, values last"
	else
		not_ok "flux: the composed values"
		diff "$SCRATCH/want" "$SCRATCH/values" | sed 's/^/#   /'
	fi
	expect_grep "flux: an optional Secret that is not there is a warning" \
		"valuesFrom Secret apps/absent is not among the PATH objects (optional: rendered without it)" \
		"$SCRATCH/err"
	printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: sealed, namespace: apps}\nstringData: {other: x}\n' \
		>"$SCRATCH/nokey.yaml"
	HELM_BIN="$h3" hx flux template "$FX" --source "$SRC" \
		--values-from "Secret/apps/sealed=$SCRATCH/nokey.yaml"
	expect_err "flux: a --values-from object without the key" \
		"helm-x: error: $SCRATCH/nokey.yaml: the Secret has no key 'values.yaml'"
	rm "$FX/cm.yaml"
fi

# several renders at once: a signal reaches every helm running, nothing is
# printed, no temporary dir is left
fsig="$SCRATCH/fx-sig"
ftmp="$SCRATCH/fx-tmp"
mkdir -p "$fsig/hr" "$fsig/cancel" "$ftmp"
cp "$FX/src.yaml" "$fsig/hr/"
hr v2 ''
for r in a b c; do
	sed "s/name: app,/name: $r,/" "$FX/hr.yaml" >"$fsig/hr/$r.yaml"
done
TMPDIR="$ftmp" HELM_BIN="$TOP/tests/cli/fake-helm" FAKE_HELM_LOG=/dev/null \
	FAKE_HELM_CANCEL_DIR="$fsig/cancel" \
	$VALGRIND "$HX" flux template "$fsig/hr" --source "$SRC" \
	>"$SCRATCH/out" 2>"$SCRATCH/err" &
pid=$!
for _ in $(seq 1 300); do
	[ "$(find "$fsig/cancel" -type f | wc -l)" -ge 2 ] && break
	sleep 0.1
done
started=$(find "$fsig/cancel" -type f | wc -l)
kill -TERM "$pid"
wait "$pid"
status=$?
left=$(grep -L cancelled "$fsig/cancel"/* 2>/dev/null | wc -l)
if [ "$status" = 143 ] && [ "$started" -ge 2 ] && [ "$left" = 0 ] &&
	[ ! -s "$SCRATCH/out" ] && [ -z "$(ls -A "$ftmp")" ]; then
	ok "flux: SIGTERM during $started renders at once: every helm gets it, exit 143, no temporary dir"
else
	not_ok "flux: SIGTERM during renders: exit $status, $started started, $left not cancelled, stdout $(wc -c <"$SCRATCH/out") bytes, left: $(ls -A "$ftmp")"
fi

# a value with a newline never splits a line nor forges an annotation
hr v2 '  postRenderStrategy: "x\n::warning::forged 100%"
'
hx flux template "$FX" --source "$SRC"
expect_err "flux: a newline in a value is shown as \\x0a" \
	"$FX/hr.yaml:7:23: error: invalid postRenderStrategy 'x\\x0a::warning::forged 100%': want nohooks, combined or separate"
hx flux lint "$FX" --source "$SRC" --output github
if [ "$status" = 1 ] && [ "$(wc -l <"$SCRATCH/out")" = 1 ] &&
	grep -qxF "::error file=$FX/hr.yaml,line=7,col=23::invalid postRenderStrategy 'x\\x0a::warning::forged 100%25': want nohooks, combined or separate" "$SCRATCH/out"; then
	ok "flux lint --output github: one annotation, its value escaped"
else
	not_ok "flux lint --output github of a value with a newline: $(cat "$SCRATCH/out")"
fi

# a targetPath of lists nested 100,000 deep: one line, no crash
python3 -c 'print("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vals, namespace: apps}\ndata: {v: \"1\"}")' >"$FX/cm.yaml"
hr v2 "  valuesFrom:
  - {kind: ConfigMap, name: vals, valuesKey: v, targetPath: \"a$(python3 -c 'print("[0]" * 100000)')\"}
"
hx flux template "$FX" --source "$SRC"
expect_err "flux: a targetPath of lists nested too deep" \
	"$FX/hr.yaml:8:5: error: valuesFrom ConfigMap apps/vals, targetPath 'a[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][...': lists nested more than 200 levels"
rm "$FX/cm.yaml"
