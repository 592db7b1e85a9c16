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

# --dependency on a kustomization or raw manifests: an error, not ignored
mx template rel "$TOP/testdata/manifests/web" --dependency extra=local/web:1.2.3
expect_err "--dependency with raw manifests is refused" \
	"helm-x: error: --dependency adds a subchart to a chart, and '$TOP/testdata/manifests/web' is raw manifests: list the dependency in a chart's Chart.yaml instead"
mx template rel "$TOP/testdata/kustomize/web" --adhoc-dependency extra=local/web:1.2.3
expect_err "--dependency with a kustomization is refused" \
	"helm-x: error: --dependency adds a subchart to a chart, and '$TOP/testdata/kustomize/web' is a kustomization: list the dependency in a chart's Chart.yaml instead"

# --set with a kustomization (chartify panics): one clear line
mx template rel "$TOP/testdata/kustomize/web" --set image.tag=2
expect_err "--set with a kustomization is refused" \
	"helm-x: error: '--set' has no meaning for the kustomization '$TOP/testdata/kustomize/web', which has no templates: set the field in the kustomization, or patch it"
