#!/bin/sh
# shellcheck shell=sh
# install, upgrade, apply: the helm argv, flag translation, the temp chart.

fake="$TOP/tests/cli/fake-helm"
chart="$TOP/testdata/charts/web"
printf -- '---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: rel-web\n---\n# Source: web/charts/cache/templates/sts.yaml\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: c\n' >"$SCRATCH/render.yaml"

# runs helm-x with the fake helm; the argv log is in $SCRATCH/log
fx() {
	: >"$SCRATCH/log"
	HELM_BIN="$fake" FAKE_HELM_LOG="$SCRATCH/log" \
		FAKE_HELM_OUT="$SCRATCH/render.yaml" hx "$@"
}

# the argv of the last helm call (after the last "fake-helm" line)
last_call() {
	awk '/^fake-helm$/ { n = 0; delete a; next } { a[n++] = $0 }
	     END { for (i = 0; i < n; i++) print a[i] }' "$SCRATCH/log"
}

HELM_NAMESPACE=prod fx install rel "$chart" --set 'a=b c' --atomic --wait \
	--timeout 5m -- --description "two words"
expect_status "install with the fake helm" 0
last_call >"$SCRATCH/got"
tmpchart=$(sed -n 3p "$SCRATCH/got")
printf '[install]\n[rel]\n%s\n[--namespace]\n[prod]\n[--set]\n[a=b c]\n[--atomic]\n[--wait]\n[--timeout]\n[5m]\n[--description]\n[two words]\n' \
	"$tmpchart" >"$SCRATCH/want"
if cmp -s "$SCRATCH/got" "$SCRATCH/want"; then
	ok "install: the exact helm argv (values again, flags, -- extras)"
else
	not_ok "install: the exact helm argv"
	diff "$SCRATCH/want" "$SCRATCH/got" | sed 's/^/#   /'
fi
# the render as the install will make it: a server dry run with the same
# values and the install flags that shape a render (not --wait, --timeout)
awk '/^fake-helm$/ { if (seen) exit; n = 0; delete a; next }
     { a[n++] = $0 } /^\[--dry-run=server\]$/ && a[0] != "[template]" { seen = 1 }
     END { if (seen) for (i = 0; i < n; i++) print a[i] }' "$SCRATCH/log" >"$SCRATCH/got"
printf '[install]\n[rel]\n[%s]\n[--dry-run=server]\n[-o]\n[json]\n[--namespace]\n[prod]\n[--set]\n[a=b c]\n' \
	"$chart" >"$SCRATCH/want"
if cmp -s "$SCRATCH/got" "$SCRATCH/want"; then
	ok "install renders the chart with helm install --dry-run=server -o json (values, no --wait/--atomic/--timeout, no -- words)"
else
	not_ok "install: the live render's argv"
	diff "$SCRATCH/want" "$SCRATCH/got" | sed 's/^/#   /'
fi
awk '/^fake-helm$/ { n = 0; next } { a[n++] = $0 } a[0] == "[template]" { print }' \
	"$SCRATCH/log" >"$SCRATCH/tpl"
if [ -s "$SCRATCH/tpl" ] && ! grep -q '^\[--is-upgrade\]$' "$SCRATCH/tpl"; then
	ok "a live render's helm template step (its CRDs) renders as an install"
else
	not_ok "a live render's helm template step: $(tr '\n' ' ' <"$SCRATCH/tpl")"
fi
if grep -q '^\[template\]$' "$SCRATCH/log" && grep -q '^\[--include-crds\]$' "$SCRATCH/log"; then
	ok "install renders with helm template --include-crds"
else
	not_ok "install renders with helm template --include-crds"
fi
case "$tmpchart" in
"[${TMPDIR:-/tmp}/helm-x."*"/chart]") ok "install runs helm on the temporary chart" ;;
*) not_ok "install runs helm on the temporary chart: $tmpchart" ;;
esac
dir=${tmpchart#[}
dir=${dir%/chart]}
if [ ! -e "$dir" ]; then ok "the temporary dir is gone afterwards"; else
	not_ok "the temporary dir is gone afterwards ($dir)"; fi

FAKE_HELM_VERSION=v4.1.4 fx upgrade rel "$chart" --install --atomic --force
last_call >"$SCRATCH/got"
if grep -q '^\[upgrade\]$' "$SCRATCH/got" && grep -q '^\[--install\]$' "$SCRATCH/got" &&
	grep -q '^\[--rollback-on-failure\]$' "$SCRATCH/got" &&
	grep -q '^\[--force-replace\]$' "$SCRATCH/got" && ! grep -q '^\[--atomic\]$' "$SCRATCH/got" &&
	! grep -q '^\[--is-upgrade\]$' "$SCRATCH/log"; then
	ok "upgrade on Helm 4: --atomic and --force become --rollback-on-failure and --force-replace"
else
	not_ok "upgrade on Helm 4: flag translation"
	sed 's/^/#   /' "$SCRATCH/got"
fi
FAKE_HELM_VERSION=v3.17.2 fx apply rel "$chart" --rollback-on-failure
last_call >"$SCRATCH/got"
if grep -q '^\[upgrade\]$' "$SCRATCH/got" && grep -q '^\[--install\]$' "$SCRATCH/got" &&
	grep -q '^\[--atomic\]$' "$SCRATCH/got"; then
	ok "apply on Helm 3: upgrade --install, --rollback-on-failure becomes --atomic"
else
	not_ok "apply on Helm 3"
	sed 's/^/#   /' "$SCRATCH/got"
fi

# the temporary chart, kept with --keep-tmp
fx install rel "$chart" --keep-tmp
kept=$(sed -n 's/^helm-x: kept the temporary chart in //p' "$SCRATCH/err")
for f in Chart.yaml values.yaml templates/NOTES.txt templates/_helpers.tpl \
	templates/service.yaml charts/cache/Chart.yaml \
	charts/cache/templates/sts.yaml; do
	if [ -f "$kept/chart/$f" ]; then ok "temporary chart has $f"; else
		not_ok "temporary chart has $f (in '$kept')"; fi
done
if grep -q '^- name: cache$' "$kept/chart/Chart.yaml" &&
	grep -q '^name: web$' "$kept/chart/Chart.yaml" &&
	grep -q '^version: 1.2.3$' "$kept/chart/Chart.yaml"; then
	ok "temporary Chart.yaml: the chart's name and version, its subcharts as dependencies"
else
	not_ok "temporary Chart.yaml"
	sed 's/^/#   /' "$kept/chart/Chart.yaml"
fi
if ! grep -q '# Source' "$kept/chart/templates/service.yaml"; then
	ok "documents go back without their # Source line (helm writes it)"
else
	not_ok "documents go back without their # Source line"
fi
rm -rf "$kept"

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  x: "{{ .Values.y }}"\n' >"$SCRATCH/frozen.yaml"
fx install rel "$SCRATCH/frozen.yaml" --keep-tmp
kept=$(sed -n 's/^helm-x: kept the temporary chart in //p' "$SCRATCH/err")
if grep -q 'x: "{{ "{{" }} .Values.y }}"' "$kept/chart/templates/frozen.yaml" &&
	grep -q '^name: rel$' "$kept/chart/Chart.yaml" &&
	grep -q '^version: 0.1.0$' "$kept/chart/Chart.yaml"; then
	ok "a manifest: {{ escaped, a chart named after the release at 0.1.0"
else
	not_ok "a manifest: {{ escaped, chart named after the release"
	cat "$kept/chart/templates/frozen.yaml" "$kept/chart/Chart.yaml" | sed 's/^/#   /'
fi
rm -rf "$kept"

FAKE_HELM_EXIT=3 fx install rel "$SCRATCH/frozen.yaml"
expect_status "a failing helm install (status 3): exit 1, as every failure" 1
expect_grep "a failing helm install: says which command" \
	"helm-x: error: 'helm install' exited with status 3" "$SCRATCH/err"
hx install rel
expect_err "install without a source" \
	"helm-x: error: 'install' needs RELEASE SOURCE (see 'helm x install --help')"

# SIGTERM while helm runs: helm gets it too, the temp dir goes, and helm-x
# dies of the signal (128+15)
mkdir -p "$SCRATCH/sigtmp"
TMPDIR="$SCRATCH/sigtmp" HELM_BIN="$fake" FAKE_HELM_LOG=/dev/null \
	FAKE_HELM_SLEEP=20 "$HX" install rel "$chart" >/dev/null 2>&1 &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	[ -n "$(ls "$SCRATCH/sigtmp")" ] && break
	sleep 0.1
done
made=$(ls "$SCRATCH/sigtmp")
kill -TERM "$pid"
wait "$pid"
status=$?
if [ -n "$made" ] && [ "$status" = 143 ] && [ -z "$(ls "$SCRATCH/sigtmp")" ]; then
	ok "SIGTERM: the temp dir is removed and helm-x dies of the signal"
else
	not_ok "SIGTERM: exit $status, temp dir made '$made', left '$(ls "$SCRATCH/sigtmp")'"
fi

# a helm that ignores SIGTERM: killed with SIGKILL after the grace period
# (HELM_X_KILL_GRACE), or at a second signal; killed with helm-x (kill -9)
stubborn() { # CASE: start helm-x on a stubborn helm; pid in hxpid
	rm -f "$SCRATCH/stub"
	HELM_X_KILL_GRACE=${grace:-30} TMPDIR="$SCRATCH/sigtmp" HELM_BIN="$fake" \
		FAKE_HELM_LOG=/dev/null FAKE_HELM_STUBBORN="$SCRATCH/stub" \
		"$HX" template rel "$chart" >/dev/null 2>&1 &
	hxpid=$!
	for _ in $(seq 50); do
		[ -s "$SCRATCH/stub" ] && break
		sleep 0.1
	done
	hpid=$(head -n 1 "$SCRATCH/stub")
}
gone() { # PID: true once the process is gone (or a zombie), within 5 s
	for _ in $(seq 50); do
		state=$(ps -o stat= -p "$1" 2>/dev/null)
		case $state in "" | Z*) return 0 ;; esac
		sleep 0.1
	done
	return 1
}
grace=1 stubborn
kill -TERM "$hxpid"
wait "$hxpid"
status=$?
if [ "$status" = 143 ] && gone "$hpid" && ! grep -q finished "$SCRATCH/stub" &&
	[ -z "$(ls "$SCRATCH/sigtmp")" ]; then
	ok "SIGTERM, helm ignores it: killed after the grace period, helm-x dies of SIGTERM"
else
	not_ok "a helm that ignores SIGTERM (exit $status, helm $hpid: $(cat "$SCRATCH/stub"))"
fi
stubborn
kill -TERM "$hxpid"
sleep 0.3
kill -TERM "$hxpid"
wait "$hxpid"
status=$?
if [ "$status" = 143 ] && gone "$hpid" && ! grep -q finished "$SCRATCH/stub"; then
	ok "a second SIGTERM kills a helm that ignores the first"
else
	not_ok "a second SIGTERM (exit $status, helm $hpid: $(cat "$SCRATCH/stub"))"
fi
stubborn
kill -KILL "$hxpid"
wait "$hxpid" 2>/dev/null
if [ -n "$hpid" ] && gone "$hpid"; then
	ok "kill -9 of helm-x: its helm dies with it"
else
	not_ok "kill -9 of helm-x: helm $hpid still runs"
	kill -KILL "$hpid" 2>/dev/null
fi
rm -rf "${SCRATCH:?}/sigtmp/"*

# --inject: checked before anything runs; run on the temp chart's files
fx install rel "$chart" --inject "cat"
expect_err "--inject without FILE" \
	"helm-x: error: --inject 'cat': want a command with FILE in it, e.g. 'linkerd inject FILE'"
# shellcheck disable=SC2016 # the script is written as it is
printf '#!/bin/sh\nsed "s/^kind: Service$/kind: Service\\n# injected/" "$1"\n' >"$SCRATCH/inj"
chmod +x "$SCRATCH/inj"
fx install rel "$chart" --inject "$SCRATCH/inj FILE" --keep-tmp
kept=$(sed -n 's/^helm-x: kept the temporary chart in //p' "$SCRATCH/err")
if grep -q '^# injected$' "$kept/chart/templates/service.yaml" &&
	! grep -q 'injected' "$kept/chart/Chart.yaml"; then
	ok "--inject rewrites the manifest files, not Chart.yaml"
else
	not_ok "--inject on the temporary chart"
fi
rm -rf "$kept"
# an in-place editor: prints nothing, FILE is read back
fx template rel "$chart" --inject "sed -i 's/^kind: Service\$/kind: Service\\n# in-place/' FILE"
expect_grep "--inject with sed -i: FILE edited in place is the result" '^# in-place$'
# shellcheck disable=SC2016 # sed's own $
fx template rel "$chart" --inject 'sed -i 1,$d FILE'
expect_err "--inject that empties the stream is an error" \
	"helm-x: error: --inject: 'sed' left 0 of the 2 documents of 'manifests.yaml' (it printed nothing); it must print the whole file on stdout (or edit FILE in place and print nothing)"
fx template rel "$chart" --inject "printf '# comments only %s' FILE"
expect_err "--inject that prints no document is an error" \
	"helm-x: error: --inject: 'printf' left 0 of the 2 documents of 'manifests.yaml'; it must print the whole file on stdout (or edit FILE in place and print nothing)"
fx template rel "$chart" --allow-empty
expect_err "--allow-empty is install's" \
	"helm-x: error: '--allow-empty' is a flag of install, upgrade and apply (an upgrade to no objects), not of 'template'"
fx template rel "$chart" --dependency bogus
expect_err "--dependency with a bad spec" \
	"helm-x: error: --dependency 'bogus': want ALIAS=REPO/CHART:VERSION (REPO as in 'helm repo add')"

# template parses only documents a patch may target: check it never skips
# one it should patch (quoted kind, comment, two kind lines, flow style)
cat >"$SCRATCH/kinds.yaml" <<'YAML'
---
# Source: web/templates/a.yaml
apiVersion: v1
kind: "Service"
metadata: {name: a}
---
# Source: web/templates/b.yaml
apiVersion: v1
kind: Service # a comment
metadata: {name: b}
---
# Source: web/templates/c.yaml
{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "c"}}
---
# Source: web/templates/d.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: d}
data: {k: v}
YAML
printf 'target: {kind: Service}\npatch: [{op: add, path: /metadata/labels, value: {p: "1"}}]\n' >"$SCRATCH/svc.yaml"
: >"$SCRATCH/log"
HELM_BIN="$fake" FAKE_HELM_LOG="$SCRATCH/log" FAKE_HELM_OUT="$SCRATCH/kinds.yaml" \
	hx template rel "$chart" --json-patch "$SCRATCH/svc.yaml"
if [ "$(grep -c 'p: "1"' "$SCRATCH/out")" = 3 ] &&
	grep -q '^data: {k: v}$' "$SCRATCH/out"; then
	ok "template patches every Service however its kind is written"
else
	not_ok "template skipped a document it should patch"
	sed 's/^/#   /' "$SCRATCH/out"
fi

# helm --debug arrives as HELM_DEBUG: the temporary chart is kept
HELM_DEBUG=true fx install rel "$chart"
kept=$(sed -n 's/^helm-x: kept the temporary chart in //p' "$SCRATCH/err")
if [ -n "$kept" ] && [ -f "$kept/chart/Chart.yaml" ]; then
	ok "HELM_DEBUG=true keeps the temporary chart and prints its path"
else
	not_ok "HELM_DEBUG=true keeps the temporary chart"
fi
rm -rf "$kept"

# lint [RELEASE] SOURCE: the render sees the release name (else --name,
# else release-name, as helm lint)
fx lint myrel "$chart"
if [ "$status" = 0 ] && grep -A1 '^\[template\]$' "$SCRATCH/log" | grep -q '^\[myrel\]$'; then
	ok "lint RELEASE SOURCE renders as RELEASE"
else
	not_ok "lint RELEASE SOURCE (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
fi
fx lint "$chart"
if [ "$status" = 0 ] && grep -A1 '^\[template\]$' "$SCRATCH/log" | grep -q '^\[release-name\]$'; then
	ok "lint SOURCE renders as release-name"
else
	not_ok "lint SOURCE (exit $status)"
fi
fx lint a b c
expect_err "lint with three arguments" \
	"helm-x: error: 'lint' needs [RELEASE] SOURCE (see 'helm x lint --help')"

# lint names duplicate objects by the # Source files they came from
printf -- '---\n# Source: web/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n# Source: web/templates/b.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' >"$SCRATCH/dups.yaml"
HELM_BIN="$fake" FAKE_HELM_LOG=/dev/null FAKE_HELM_OUT="$SCRATCH/dups.yaml" \
	hx lint "$chart"
expect_err "lint: a duplicate names both Source files" \
	"helm-x: error: two objects are 'default, x, ConfigMap (v1)': in 'web/templates/a.yaml' and in 'web/templates/b.yaml'"

# error messages of the render and chart steps
mkdir -p "$SCRATCH/notmp"
# (without $VALGRIND: valgrind keeps its own files in $TMPDIR)
TMPDIR="$SCRATCH/notmp/missing" HELM_BIN="$fake" FAKE_HELM_LOG=/dev/null \
	"$HX" install rel "$chart" >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_err "no temporary directory" \
	"helm-x: error: cannot create a temporary directory in '$SCRATCH/notmp/missing': No such file or directory"
FAKE_HELM_VERSION=bogus fx install rel "$chart" --atomic
expect_err "a helm whose version cannot be told" \
	"helm-x: error: cannot tell the version of '$fake' (from HELM_BIN): 'version' said 'bogus' (exit 0)"
mkdir -p "$SCRATCH/nochart/x"
printf 'a: 1\n' >"$SCRATCH/nochart/x/a.yaml"
tar -czf "$SCRATCH/nochart.tgz" -C "$SCRATCH/nochart" x
fx template rel "$SCRATCH/nochart.tgz"
first=$(head -n 1 "$SCRATCH/err")
if [ "$first" = "helm-x: error: expected one chart in '$SCRATCH/nochart.tgz', found 0" ] &&
	[ "$status" = 1 ]; then
	ok "a .tgz without a chart: named as given, not by its temporary dir"
else
	not_ok "a .tgz without a chart: exit $status: $first"
fi
mkdir -p "$SCRATCH/v3chart/templates"
printf 'apiVersion: v3\nname: new\nversion: 0.1.0\n' >"$SCRATCH/v3chart/Chart.yaml"
fx template rel "$SCRATCH/v3chart" --dependency a=repo/c:1.0.0
expect_err "--dependency on a chart neither v2 nor v1 names the user's Chart.yaml" \
	"helm-x: error: --dependency: '$SCRATCH/v3chart/Chart.yaml' has apiVersion 'v3', not v2 or v1"
mkdir -p "$SCRATCH/v1chart/templates"
printf 'apiVersion: v1\nname: old\nversion: 0.1.0\n' >"$SCRATCH/v1chart/Chart.yaml"
fx template rel "$SCRATCH/v1chart" --dependency a=repo/c:1.0.0 --keep-tmp
kept=$(sed -n 's/^helm-x: kept the temporary chart in //p' "$SCRATCH/err")
if [ "$status" = 0 ] && grep -q '^- name: c$' "$kept/chart-src/requirements.yaml" 2>/dev/null &&
	grep -q '^  alias: a$' "$kept/chart-src/requirements.yaml" &&
	[ ! -e "$SCRATCH/v1chart/requirements.yaml" ]; then
	ok "--dependency on an apiVersion v1 chart: requirements.yaml of the copy"
else
	not_ok "--dependency on a v1 chart (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err" "$kept/chart-src/requirements.yaml" 2>/dev/null
fi
rm -rf "$kept"
printf -- '- not a mapping\n' >"$SCRATCH/v1chart/requirements.yaml"
fx template rel "$SCRATCH/v1chart" --dependency a=repo/c:1.0.0
expect_err "--dependency: a v1 chart's requirements.yaml that is no mapping" \
	"helm-x: error: --dependency: '$SCRATCH/v1chart/requirements.yaml' is not a mapping"
rm -f "$SCRATCH/v1chart/requirements.yaml"

# what helm --dry-run=server -o json prints is read with care
printf 'not json\n' >"$SCRATCH/rel.json"
HELM_BIN="$fake" FAKE_HELM_LOG=/dev/null FAKE_HELM_OUT="$SCRATCH/render.yaml" \
	FAKE_HELM_JSON="$SCRATCH/rel.json" hx install rel "$chart"
expect_err "the server dry run printing no release" \
	"helm-x: error: helm --dry-run=server -o json printed no release (line 1: '[' or '{' expected near 'not')"
printf '{"manifest": 7}\n' >"$SCRATCH/rel.json"
HELM_BIN="$fake" FAKE_HELM_LOG=/dev/null FAKE_HELM_OUT="$SCRATCH/render.yaml" \
	FAKE_HELM_JSON="$SCRATCH/rel.json" hx upgrade rel "$chart"
expect_err "a release whose manifest is no text" \
	"helm-x: error: helm --dry-run=server -o json: the release has no manifest text or no list of hooks"
printf '{"manifest": "", "hooks": [{"path": "web/a\\nkind: X", "manifest": "a: 1"}]}\n' >"$SCRATCH/rel.json"
HELM_BIN="$fake" FAKE_HELM_LOG=/dev/null FAKE_HELM_OUT="$SCRATCH/render.yaml" \
	FAKE_HELM_JSON="$SCRATCH/rel.json" hx apply rel "$chart"
expect_err "a hook whose path would add lines" \
	"helm-x: error: helm --dry-run=server -o json: hook 0 has no usable path or manifest"
printf '{"manifest": "", "hooks": [{"path": "web/templates/../../../x.yaml", "manifest": "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: h}\\n"}]}\n' >"$SCRATCH/rel.json"
mkdir -p "$SCRATCH/tmp-live"
TMPDIR="$SCRATCH/tmp-live" HELM_BIN="$fake" FAKE_HELM_LOG=/dev/null \
	FAKE_HELM_OUT="$SCRATCH/render.yaml" FAKE_HELM_JSON="$SCRATCH/rel.json" \
	hx install rel "$chart"
if [ "$status" = 1 ] && grep -q "Source" "$SCRATCH/err" &&
	[ -z "$(ls "$SCRATCH/tmp-live")" ] && [ ! -e "$SCRATCH/x.yaml" ]; then
	ok "a hook path leaving the chart is refused, nothing written, no temp dir left"
else
	not_ok "a hostile hook path (exit $status): $(cat "$SCRATCH/err")"
fi

# values for a kustomization: only keys its templates/tests read
hx template rel "$TOP/testdata/kustomize/valued" --set nope=1
expect_err "--set of a key no test template of a kustomization reads" \
	"helm-x: error: '--set nope=1' has no meaning for the kustomization '$TOP/testdata/kustomize/valued': its templates/tests read no .Values.nope (set the field in the kustomization, or patch it)"
printf 'testImage: x\nreplicaCount: 3\n' >"$SCRATCH/kzv.yaml"
hx template rel "$TOP/testdata/kustomize/valued" -f "$SCRATCH/kzv.yaml"
expect_err "-f with a key nothing of a kustomization reads" \
	"$SCRATCH/kzv.yaml:2:1: error: 'replicaCount' has no meaning for the kustomization '$TOP/testdata/kustomize/valued': its values may set images, namePrefix, nameSuffix and namespace, and what its templates/tests read: testImage (patch anything else)"
hx template rel "$TOP/testdata/kustomize/web" --set a=1
expect_err "--set with a kustomization that has no templates" \
	"helm-x: error: '--set a=1' has no meaning for the kustomization '$TOP/testdata/kustomize/web', which has no templates: set the field in the kustomization, or patch it"
