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
want4=$(sed -n 's/^version: *"*\([^"]*\)"*$/\1/p' x-patch/plugin.yaml)
if [ "$(head -n 1 "$SCRATCH/out")" = "helm-x $want" ] && [ "$want4" = "$want" ]; then
	ok "version matches plugin.yaml and x-patch/plugin.yaml ($want)"
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

# everyday polish: help pages, did-you-mean, version, --debug, completion
for c in template install upgrade apply lint diff patch adopt; do
	hx help "$c"
	if [ "$status" = 0 ] && head -n 1 "$SCRATCH/out" | grep -q "^Usage: helm.x $c\|^Usage: helm-x $c"; then
		ok "help $c: its own page"
	else
		not_ok "help $c: $(head -n 1 "$SCRATCH/out")"
	fi
done
hx help nope
expect_err "help of no command" "helm-x: error: no help for 'nope': not a helm-x command (see 'helm x help')"
hx dif rel testdata/charts/web
expect_err "a three-letter typo of diff: did you mean" \
	"helm-x: error: unknown command 'dif': did you mean 'diff'? (helm-x hands other commands to helm: 'helm x help')"
hx lnt testdata/charts/web
expect_err "a three-letter typo of lint: did you mean" \
	"helm-x: error: unknown command 'lnt': did you mean 'lint'? (helm-x hands other commands to helm: 'helm x help')"
hx dump rel
expect_err "old helm-x's dump: what to use instead" \
	"helm-x: error: 'dump' was old helm-x's: the objects of a release are 'helm get manifest RELEASE'; what a chart renders to, patched, is 'helm x template RELEASE SOURCE'"
hx template rel testdata/charts/web/templates
expect_err "a chart's templates dir as SOURCE: give the chart dir" \
	"helm-x: error: 'testdata/charts/web/templates' is the templates dir of the chart 'testdata/charts/web', which only the chart renders: give the chart dir 'testdata/charts/web' as SOURCE"
hx template rel testdata/charts/web/templates/service.yaml
expect_err "a chart's template as SOURCE: give the chart dir" \
	"helm-x: error: 'testdata/charts/web/templates/service.yaml' is a template of the chart 'testdata/charts/web', which only the chart renders: give the chart dir 'testdata/charts/web' as SOURCE"
(cd testdata/charts/web/templates && $VALGRIND "$HX" template rel . >"$SCRATCH/out" 2>"$SCRATCH/err")
status=$?
expect_err "a chart's templates dir as '.': the chart dir by its full path" \
	"helm-x: error: '.' is the templates dir of the chart '$TOP/testdata/charts/web', which only the chart renders: give the chart dir '$TOP/testdata/charts/web' as SOURCE"
hx template rel testdata/charts/web/crds
expect_status "a chart's crds dir is a directory of manifests" 0
hx tempalte rel x
expect_err "a mistyped command: did you mean" \
	"helm-x: error: unknown command 'tempalte': did you mean 'template'? (helm-x hands other commands to helm: 'helm x help')"
HELM_BIN="$TOP/tests/cli/fake-helm" FAKE_HELM_LOG="$SCRATCH/typo-log" hx lsit
if [ "$status" = 0 ] && grep -q '^\[lsit\]$' "$SCRATCH/typo-log"; then
	ok "a word as near to a helm command goes to helm (its own did-you-mean)"
else
	not_ok "lsit (exit $status)"
fi
HELM_PLUGIN_NAME=x hx version
if [ "$status" = 0 ] && grep -q '^helm-x [0-9]' "$SCRATCH/out" &&
	grep -q '^  libyaml .*, PCRE2 .*, jansson ' "$SCRATCH/out"; then
	ok "helm x version: version and build info"
else
	not_ok "helm x version: $(cat "$SCRATCH/out")"
fi
HELM_PLUGIN_NAME=x hx version --short
if [ "$status" = 0 ] && grep -Eqx 'v[0-9]+\.[0-9]+\.[0-9]+' "$SCRATCH/out"; then
	ok "helm x version --short"
else
	not_ok "helm x version --short: $(cat "$SCRATCH/out")"
fi
HELM_BIN="$TOP/tests/cli/fake-helm" FAKE_HELM_LOG=/dev/null \
	FAKE_HELM_PULL_CHART="$TOP/testdata/charts/web" \
	hx template rel repo/web --debug --set 'a=b c' --password s3cret \
	--set-string 'db.adminPassword=s3cret,user=bob,api.Token=s3cret'
if grep -q "^helm-x: run: .*fake-helm pull repo/web .* --password \*\*\*$" "$SCRATCH/err" &&
	grep -q "^helm-x: run: .*fake-helm template rel .* --set 'a=b c' --set-string 'db.adminPassword=\*\*\*,user=bob,api.Token=\*\*\*'$" "$SCRATCH/err" &&
	! grep -q s3cret "$SCRATCH/err"; then
	ok "--debug prints every argv run, quoted, passwords masked"
else
	not_ok "--debug argv: $(cat "$SCRATCH/err")"
fi
HELM_BIN="$TOP/tests/cli/fake-helm" FAKE_HELM_LOG=/dev/null \
	FAKE_HELM_PULL_CHART="$TOP/testdata/charts/web" \
	hx template rel web --repo 'https://bob:s3cret@charts.example/x' --debug \
	--kube-token=s3cret
if grep -q "^helm-x: run: .*fake-helm pull web .*--repo 'https://\*\*\*@charts.example/x'$" "$SCRATCH/err" &&
	! grep -q s3cret "$SCRATCH/err"; then
	ok "--debug masks a URL's user info"
else
	not_ok "--debug and a URL's credentials: $(cat "$SCRATCH/err")"
fi
hx __complete tem
if [ "$(cat "$SCRATCH/out")" = "$(printf 'template\n:4')" ]; then
	ok "completion: commands"
else
	not_ok "completion of commands: $(cat "$SCRATCH/out")"
fi
hx __complete template --json
if grep -qx -- '--json-patch' "$SCRATCH/out" && tail -n 1 "$SCRATCH/out" | grep -qx ':4'; then
	ok "completion: flags"
else
	not_ok "completion of flags: $(cat "$SCRATCH/out")"
fi
hx __complete template --patches ""
if [ "$(cat "$SCRATCH/out")" = ":0" ]; then
	ok "completion: files after a patch flag"
else
	not_ok "completion after --patches: $(cat "$SCRATCH/out")"
fi

# install-binary.sh (helm plugin install / update): builds only when a
# source is newer than bin/helm-x (a stand-in make records the build)
ib="$SCRATCH/ib"
mkdir -p "$ib/bin" "$ib/src" "$ib/include" "$ib/path"
cp "$TOP/install-binary.sh" "$ib/"
printf 'all:\n' >"$ib/Makefile"
printf '#!/bin/sh\necho built >>"%s/made"\n' "$ib" >"$ib/path/make"
printf '#!/bin/sh\nexit 0\n' >"$ib/path/cc"
printf '#!/bin/sh\nexit 0\n' >"$ib/path/pkg-config"
chmod +x "$ib/path/make" "$ib/path/cc" "$ib/path/pkg-config"
printf 'int x;\n' >"$ib/src/a.c"
touch -d '2020-01-01' "$ib/src/a.c" "$ib/Makefile" "$ib/include"
printf '#!/bin/sh\n' >"$ib/bin/helm-x"
chmod +x "$ib/bin/helm-x"
PATH="$ib/path:$PATH" sh "$ib/install-binary.sh" >/dev/null 2>&1
if [ ! -f "$ib/made" ]; then
	ok "install-binary.sh: an up-to-date binary is kept"
else
	not_ok "install-binary.sh rebuilt an up-to-date binary"
fi
touch "$ib/src/a.c"
PATH="$ib/path:$PATH" sh "$ib/install-binary.sh" >/dev/null 2>&1
if [ -f "$ib/made" ]; then
	ok "install-binary.sh (helm plugin update): a newer source rebuilds"
else
	not_ok "install-binary.sh did not rebuild after a source changed"
fi
