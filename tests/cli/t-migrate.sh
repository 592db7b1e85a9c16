#!/bin/sh
# shellcheck shell=sh
# shellcheck disable=SC2154 # status is set by hx() in lib.sh
# Coming from helm-x, chartify or helmfile: old spellings keep working or
# say what to write instead.

mfake="$TOP/tests/cli/fake-helm"
mchart="$TOP/testdata/charts/web"
printf -- '---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: rel-web\n' >"$SCRATCH/m-render.yaml"

# mx ARGS...: helm-x with the fake helm; its argv log in $SCRATCH/m-log
mx() {
	: >"$SCRATCH/m-log"
	HELM_BIN="$mfake" FAKE_HELM_LOG="$SCRATCH/m-log" \
		FAKE_HELM_OUT="$SCRATCH/m-render.yaml" hx "$@"
}

mx install rel "$mchart" --timeout 300
if grep -A1 '^\[--timeout\]$' "$SCRATCH/m-log" | grep -q '^\[300s\]$'; then
	ok "--timeout 300 (old helm-x, Helm 2: seconds) reaches helm as 300s"
else
	not_ok "--timeout 300 as seconds"
	sed 's/^/#   /' "$SCRATCH/m-log"
fi
mx install rel "$mchart" --timeout 5m
if grep -A1 '^\[--timeout\]$' "$SCRATCH/m-log" | grep -q '^\[5m\]$'; then
	ok "--timeout 5m is passed as it is"
else
	not_ok "--timeout 5m as it is"
fi

# old helm-x's --injector 'CMD ARGS,FLAG,KEY=VALUE'
# shellcheck disable=SC2016 # the script is written as it is
printf '#!/bin/sh\n[ "$1" = -m ] && [ "$2" = yes ] && [ "$3" = --tag ] && [ "$4" = x ] || exit 3\nsed "s/^kind: Service$/kind: Service\\n# injected/" "$5"\n' >"$SCRATCH/minj"
chmod +x "$SCRATCH/minj"
mx install rel "$mchart" --injector "$SCRATCH/minj,m=yes,tag=x,FILE" --keep-tmp
kept=$(sed -n 's/^helm-x: kept the temporary chart in //p' "$SCRATCH/err")
if [ "$status" = 0 ] && grep -q '^# injected$' "$kept/chart/templates/service.yaml"; then
	ok "--injector 'CMD,m=yes,tag=x,FILE' runs CMD -m yes --tag x FILE"
else
	not_ok "--injector in the old syntax: exit $status"
	sed 's/^/#   /' "$SCRATCH/err"
fi
rm -rf "$kept"
mx install rel "$mchart" --injector "$SCRATCH/minj,m=yes"
expect_err "--injector without FILE" \
	"helm-x: error: --inject '$SCRATCH/minj -m yes': want a command with FILE in it, e.g. 'linkerd inject FILE'"

# --adhoc-dependency (old helm-x's name) is --dependency
mx template rel "$mchart" --adhoc-dependency extra=local/web:1.2.3
if [ "$status" = 0 ] && grep -q '^\[dependency\]$' "$SCRATCH/m-log"; then
	ok "--adhoc-dependency is --dependency (helm dependency build runs)"
else
	not_ok "--adhoc-dependency: exit $status"
	sed 's/^/#   /' "$SCRATCH/err"
fi

# Helm 2 and Tiller flags: one line saying what to use instead
for f in "--tiller-namespace kube-system" --tls "--tls-cert c.pem" --tls-verify \
	"--home /root/.helm"; do
	# shellcheck disable=SC2086 # the flag and its value are two words
	mx install rel "$mchart" $f
	expect_err "${f%% *} is refused with a hint" \
		"helm-x: error: '${f%% *}' is a Helm 2 flag: Helm 2 and Tiller are gone; Helm 3 and 4 reach the cluster through your kubeconfig (--kube-context) and keep each release in its namespace (-n)"
done

# --dependency with one manifest file: an error, not ignored (a
# kustomization or a manifest dir gets the subchart: tests/e2e)
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' >"$SCRATCH/m-one.yaml"
mx template rel "$SCRATCH/m-one.yaml" --dependency extra=local/web:1.2.3
expect_err "--dependency with one manifest file is refused" \
	"helm-x: error: --dependency adds a subchart, and '$SCRATCH/m-one.yaml' is one file of manifests: give a chart, a kustomization or a directory of manifests"

# --enable_alpha_plugins (old helm-x) goes to kustomize; elsewhere an error
mx template rel "$mchart" --enable_alpha_plugins
expect_err "--enable_alpha_plugins with a chart is refused" \
	"helm-x: error: --enable_alpha_plugins is for kustomize's plugins, and '$mchart' is no kustomization"

# a kustomization's -f values may set images, namePrefix, nameSuffix and
# namespace (tests/e2e); anything else is one line at its place
printf 'namePrefix: a-\nreplicas: 3\n' >"$SCRATCH/m-kv.yaml"
mx template rel "$TOP/testdata/kustomize/web" -f "$SCRATCH/m-kv.yaml"
expect_err "a kustomization's values with another key" \
	"$SCRATCH/m-kv.yaml:2:1: error: 'replicas' has no meaning for the kustomization '$TOP/testdata/kustomize/web': its values may set images, namePrefix, nameSuffix and namespace (patch anything else)"
printf 'namespace: {a: 1}\n' >"$SCRATCH/m-kv.yaml"
mx template rel "$TOP/testdata/kustomize/web" -f "$SCRATCH/m-kv.yaml"
expect_err "a kustomization's namespace that is no string" \
	"$SCRATCH/m-kv.yaml:1:12: error: namespace: want a string"
printf 'images: nginx\n' >"$SCRATCH/m-kv.yaml"
mx template rel "$TOP/testdata/kustomize/web" -f "$SCRATCH/m-kv.yaml"
expect_err "images that are no list" \
	"$SCRATCH/m-kv.yaml:1:9: error: images: want a list of {name, newName, newTag, digest}"
printf 'images:\n- newTag: "2"\n' >"$SCRATCH/m-kv.yaml"
mx template rel "$TOP/testdata/kustomize/web" -f "$SCRATCH/m-kv.yaml"
expect_err "an image without a name" \
	"$SCRATCH/m-kv.yaml:2:3: error: images: item 0 wants a map with 'name'"
printf 'images:\n- {name: nginx, tag: "2"}\n' >"$SCRATCH/m-kv.yaml"
mx template rel "$TOP/testdata/kustomize/web" -f "$SCRATCH/m-kv.yaml"
expect_err "an image with an unknown key" \
	"$SCRATCH/m-kv.yaml:2:17: error: images: unknown key (want name, newName, newTag, digest)"
printf -- '- a\n' >"$SCRATCH/m-kv.yaml"
mx template rel "$TOP/testdata/kustomize/web" -f "$SCRATCH/m-kv.yaml"
expect_err "a kustomization's values that are no map" \
	"$SCRATCH/m-kv.yaml:1:1: error: values for a kustomization must be a map"

# --set with a kustomization (chartify panics): one clear line
mx template rel "$TOP/testdata/kustomize/web" --set image.tag=2
expect_err "--set with a kustomization is refused" \
	"helm-x: error: '--set image.tag=2' has no meaning for the kustomization '$TOP/testdata/kustomize/web', which has no templates: set the field in the kustomization, or patch it"
