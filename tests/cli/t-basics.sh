#!/bin/sh
# shellcheck shell=sh
# shellcheck disable=SC2154 # status is set by hx() in lib.sh
# Help, version, flags, the helm fallback.

hx --help
expect_status "--help exits 0" 0
expect_grep "--help lists patch" "patch \[FILE|DIR|-\]"
hx
expect_grep "no arguments prints help" "Usage: helm x COMMAND"
hx patch --help
expect_grep "patch --help describes --json-patch" "--json-patch FILE"
expect_grep "patch --help describes --allow-no-match" "--allow-no-match"

hx postrender-path
if [ "$status" = 0 ] && [ -x "$(cat "$SCRATCH/out")" ] &&
	cmp -s "$(cat "$SCRATCH/out")" "$HX"; then
	ok "postrender-path prints this binary's path"
else
	not_ok "postrender-path: $(cat "$SCRATCH/out")"
fi
hx postrender-path extra
expect_err "postrender-path takes no arguments" \
	"helm-x: error: 'postrender-path' takes no arguments"

# as a plugin (helm sets HELM_PLUGIN_NAME): helm-x's own version
HELM_PLUGIN_NAME=x hx version
want=$(sed -n 's/^version: *"*\([^"]*\)"*$/\1/p' plugin.yaml)
if [ "$(cat "$SCRATCH/out")" = "helm-x $want" ]; then
	ok "version matches plugin.yaml ($want)"
else
	not_ok "version matches plugin.yaml ($want): $(cat "$SCRATCH/out")"
fi

hx patch --bogus
expect_err "unknown flag" \
	"helm-x: error: unknown flag '--bogus' for 'patch' (see 'helm-x patch --help')"
hx patch --json-patch
expect_err "flag without its value" \
	"helm-x: error: flag '--json-patch' needs a value"
hx patch --allow-no-match=yes
expect_err "value for a switch" \
	"helm-x: error: flag '--allow-no-match' takes no value"
hx template
expect_err "template without a source" \
	"helm-x: error: 'template' needs [RELEASE] SOURCE (see 'helm x template --help')"
mkdir -p "$SCRATCH/empty"
hx template rel "$SCRATCH/empty"
expect_err "a directory that is no source" \
	"helm-x: error: '$SCRATCH/empty' is not a chart (no Chart.yaml), a kustomization (no kustomization.yaml) or a directory of manifests (no *.yaml, *.yml, *.json)"
hx template --help
expect_grep "template --help" "Usage: helm x template \[RELEASE\] SOURCE"

# Unknown commands run helm with the same argv.
HELM_BIN="$TOP/tests/cli/fake-helm" hx status web --output "a b" --set=x=1
printf 'fake-helm\n[status]\n[web]\n[--output]\n[a b]\n[--set=x=1]\n' >"$SCRATCH/want"
expect_out "unknown command execs \$HELM_BIN with the exact argv" "$SCRATCH/want"
HELM_BIN="$TOP/tests/cli/fake-helm" FAKE_HELM_EXIT=3 hx status web
expect_status "helm's exit status passes through" 3
HELM_BIN=no-such-helm-binary hx status web
expect_err "missing HELM_BIN says what and where" \
	"helm-x: error: cannot run 'no-such-helm-binary': No such file or directory (from HELM_BIN)"
hx patch --help
expect_grep "patch --help describes --strategic-merge-patch" "--strategic-merge-patch FILE"
expect_grep "patch --help describes --openapi" "--openapi FILE"
expect_grep "patch --help describes --patches" "--patches FILE"
HELM_BIN=no-such-helm-binary hx template rel "$TOP/testdata/charts/web"
expect_err "a missing helm while rendering says where the name came from" \
	"helm-x: error: cannot run 'no-such-helm-binary' for helm template: No such file or directory (from HELM_BIN)"
