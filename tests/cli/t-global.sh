#!/bin/sh
# shellcheck shell=sh
# shellcheck disable=SC2154 # status is set by hx() in lib.sh
# helm-x as helm's binary (helmfile's helmBinary): helm's global flags
# before the command, and the version probe.

gfake="$TOP/tests/cli/fake-helm"
gchart="$TOP/testdata/charts/web"
printf -- '---\n# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rel-web\n' >"$SCRATCH/g-render.yaml"

# gx ARGS...: helm-x with the fake helm; its log in $SCRATCH/g-log
gx() {
	: >"$SCRATCH/g-log"
	HELM_BIN="$gfake" FAKE_HELM_LOG="$SCRATCH/g-log" \
		FAKE_HELM_OUT="$SCRATCH/g-render.yaml" \
		FAKE_HELM_ENV='KUBECONFIG|HELM_KUBECONTEXT|HELM_NAMESPACE|HELM_KUBETOKEN' \
		hx "$@"
}

gx --kubeconfig "$SCRATCH/kc" --kube-context "arn:aws:eks:eu/x" -n prod \
	--kube-token=t0k template rel "$gchart"
if [ "$status" = 0 ] && grep -q '^\[template\]$' "$SCRATCH/g-log" &&
	grep -A1 '^\[--namespace\]$' "$SCRATCH/g-log" | grep -q '^\[prod\]$' &&
	grep -A1 '^\[--kube-context\]$' "$SCRATCH/g-log" | grep -q '^\[arn:aws:eks:eu/x\]$' &&
	grep -q "^KUBECONFIG=$SCRATCH/kc$" "$SCRATCH/g-log" &&
	grep -q '^HELM_KUBETOKEN=t0k$' "$SCRATCH/g-log"; then
	ok "global flags before the command: helm-x runs it, helm sees them"
else
	not_ok "global flags before template (exit $status)"
	sed 's/^/#   /' "$SCRATCH/g-log" "$SCRATCH/err" | head -20
fi
gx --kube-context c diff upgrade --allow-unreleased rel "$gchart" --no-color
if [ "$status" = 0 ] &&
	grep -q '^default, rel-web, ConfigMap (v1) has been added:$' "$SCRATCH/out" &&
	grep -A4 '^\[get\]$' "$SCRATCH/g-log" | grep -q '^\[c\]$'; then
	ok "helmfile's 'diff upgrade --allow-unreleased' after global flags"
else
	not_ok "diff upgrade after global flags (exit $status)"
	sed 's/^/#   /' "$SCRATCH/g-log" "$SCRATCH/err" | head -20
fi

# the version probe: helm's version when helm-x is helm's binary
gx version --short
if [ "$status" = 0 ] && [ "$(cat "$SCRATCH/out")" = v3.17.2 ]; then
	ok "version --short outside helm x: helm's own, for helmfile's probe"
else
	not_ok "version --short outside a plugin: $(cat "$SCRATCH/out")"
fi
gx --kube-context c version --short
if [ "$status" = 0 ] && [ "$(grep '^\[' "$SCRATCH/g-log" | tr -d '\n')" = "[--kube-context][c][version][--short]" ]; then
	ok "version after global flags: helm gets the line as it is"
else
	not_ok "version after global flags"
fi
want=$(sed -n 's/^version: *"*\([^"]*\)"*$/\1/p' plugin.yaml)
HELM_PLUGIN_NAME=x hx version --short
if [ "$(cat "$SCRATCH/out")" = "v$want" ]; then
	ok "helm x version --short: helm-x's own"
else
	not_ok "helm x version --short: $(cat "$SCRATCH/out")"
fi
# a flag helm-x does not know before the command: all of it goes to helm
gx --bogus-flag list
if grep -q '^\[--bogus-flag\]$' "$SCRATCH/g-log" && grep -q '^\[list\]$' "$SCRATCH/g-log"; then
	ok "an unknown leading flag: helm gets the line as it is"
else
	not_ok "an unknown leading flag"
fi
