#!/bin/sh
# shellcheck shell=sh
# shellcheck disable=SC2154 # status is set by hx() in lib.sh
# The whole flag surface of helm template|install|upgrade|lint, read from
# the real Helm 3 and Helm 4 --help: each flag must be in
# testdata/helm-flags.tsv, and helm-x must route it there (to the render,
# to helm install/upgrade, to both, to helm lint, kept by helm-x itself,
# or refused with one line).  A flag a new Helm adds fails this test until
# it is placed.  HX_FLAGS_WRITE=FILE writes what helm-x does instead.

ffake="$TOP/tests/cli/fake-helm"
ftable="$TOP/testdata/helm-flags.tsv"
fchart="$TOP/testdata/charts/web"

# the flags of `helm CMD --help`: "name type" per line (type "bool" when
# it takes no value)
helm_flags() {
	"$1" "$2" --help | sed -n '/^Flags:/,/^Global Flags:/p' |
		grep -oE '^ +(-[a-zA-Z], )?--[a-z0-9-]+( [a-zA-Z]+)?' |
		sed -E 's/^ +//; s/^-[a-zA-Z], //' |
		awk '$1 != "--help" { print $1, ($2 == "" ? "bool" : $2) }'
}

# the flag as one word, with a value of its type
flag_word() {
	case "$2" in
	bool | WaitStrategy) echo "$1" ;;
	int) echo "$1=3" ;;
	duration) echo "$1=5m" ;;
	stringToString) echo "$1=a=b" ;;
	format) echo "$1=json" ;;
	postRendererString) echo "$1=/bin/cat" ;;
	*)
		case "$1" in
		--dry-run) echo "$1=server" ;;
		--server-side) echo "$1=auto" ;;
		--show-only) echo "$1=templates/service.yaml" ;;
		--output-dir) echo "$1=$SCRATCH/flags-out" ;;
		*) echo "$1=x" ;;
		esac
		;;
	esac
}

# where helm-x sent the flag: the calls of the fake helm that carry it
route_of() {
	flag=$1
	if [ "$status" != 0 ]; then
		echo refused
		return
	fi
	awk -v f="$flag" '
	/^fake-helm$/ { call = ""; next }
	call == "" { call = $0; if (call == "[upgrade]" || call == "[install]") kind = "install"; else kind = substr(call, 2, length(call) - 2); dry = 0; next }
	/^\[--dry-run=server\]$/ && kind == "install" && f != "--dry-run" { dry = 1 }
	index($0, "[" f "]") == 1 || index($0, "[" f "=") == 1 {
		k = kind
		if (k == "install" && dry) k = "live"
		seen[k] = 1
	}
	END {
		out = ""
		n = split("template live install lint", order, " ")
		for (i = 1; i <= n; i++) if (seen[order[i]]) out = out (out == "" ? "" : "+") order[i]
		print (out == "" ? "helm-x" : out)
	}' "$SCRATCH/flog"
}

if [ -n "$VALGRIND" ]; then
	# ~300 runs of the argument parser: under ASan in make check
	echo "# the flag surface: run by make check, not again under valgrind"
elif [ ! -x "$TOP/.tools/bin/helm3" ] || [ ! -x "$TOP/.tools/bin/helm4" ]; then
	echo "# SKIP: .tools/bin/helm3 or helm4 missing (sh tests/tools.sh): the flag surface is not checked"
	not_ok "the flag surface needs the real helm --help (sh tests/tools.sh)"
else
	: >"$SCRATCH/flags-got"
	printf -- '---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n' \
		>"$SCRATCH/flags-render.yaml"
	# Helm 4 first; a Helm 3 flag of the same type, not one whose spelling
	# or meaning changed between them, goes where Helm 4's went
	for h in helm4 helm3; do
		case $h in helm3) v=v3.17.2 ;; *) v=v4.1.4 ;; esac
		[ $h = helm3 ] && cp "$SCRATCH/flags-got" "$SCRATCH/flags-h4"
		for c in template install upgrade lint; do
			helm_flags "$TOP/.tools/bin/$h" "$c" >"$SCRATCH/flist"
			[ $h = helm3 ] && helm_flags "$TOP/.tools/bin/helm4" "$c" >"$SCRATCH/flist4"
			while read -r flag type; do
				case $flag in
				--atomic | --force | --rollback-on-failure | --force-replace | --wait | --server-side | --force-conflicts) same= ;;
				*) [ $h = helm3 ] && same=$(grep -x -e "$flag $type" "$SCRATCH/flist4") ;;
				esac
				if [ $h = helm3 ] && [ -n "$same" ]; then
					grep "^helm4	$c	$flag	" "$SCRATCH/flags-h4" |
						sed 's/^helm4/helm3/' >>"$SCRATCH/flags-got"
					continue
				fi
				w=$(flag_word "$flag" "$type")
				: >"$SCRATCH/flog"
				case $c in
				lint) set -- lint "$fchart" "$w" ;;
				*) set -- "$c" rel "$fchart" "$w" ;;
				esac
				HELM_BIN="$ffake" FAKE_HELM_LOG="$SCRATCH/flog" \
					FAKE_HELM_OUT="$SCRATCH/flags-render.yaml" \
					FAKE_HELM_VERSION=$v "$HX" "$@" </dev/null \
					>"$SCRATCH/out" 2>"$SCRATCH/err"
				status=$?
				if grep -q "unknown flag" "$SCRATCH/err"; then
					r=unknown
				else
					r=$(route_of "$flag")
				fi
				# (valgrind's own lines, "==PID==", aside)
				if [ "$r" = refused ] &&
					[ "$(grep -vc '^==[0-9]*==' "$SCRATCH/err")" != 1 ]; then
					r="refused-not-one-line"
				fi
				printf '%s\t%s\t%s\t%s\n' "$h" "$c" "$flag" "$r" >>"$SCRATCH/flags-got"
			done <"$SCRATCH/flist"
		done
	done
	sort "$SCRATCH/flags-got" >"$SCRATCH/flags-sorted"
	mv "$SCRATCH/flags-sorted" "$SCRATCH/flags-got"
	if [ -n "${HX_FLAGS_WRITE:-}" ]; then
		cp "$SCRATCH/flags-got" "$HX_FLAGS_WRITE"
	fi
	if grep -q "	unknown$" "$SCRATCH/flags-got"; then
		not_ok "every flag of helm template|install|upgrade|lint (Helm 3 and 4) is known to helm-x"
		grep "	unknown$" "$SCRATCH/flags-got" | sed 's/^/#   /'
	else
		ok "every flag of helm template|install|upgrade|lint (Helm 3 and 4) is known to helm-x ($(wc -l <"$SCRATCH/flags-got") flags)"
	fi
	if diff "$ftable" "$SCRATCH/flags-got" >"$SCRATCH/flags-diff"; then
		ok "each helm flag goes where testdata/helm-flags.tsv says"
	else
		not_ok "helm flags routed differently from testdata/helm-flags.tsv (< table, > helm-x)"
		sed 's/^/#   /' "$SCRATCH/flags-diff" | head -40
	fi
fi

# --show-only and --output-dir: helm-x selects and writes after patching
# the whole render
cat >"$SCRATCH/two.yaml" <<'YAML'
---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: s
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
YAML
printf '%s\n' '- target: {kind: Deployment}' \
	"  patch: '[{op: add, path: /metadata/labels, value: {p: \"1\"}}]'" \
	>"$SCRATCH/dep-patch.yaml"
tf_two() {
	HELM_BIN="$ffake" FAKE_HELM_LOG=/dev/null FAKE_HELM_OUT="$SCRATCH/two.yaml" hx "$@"
}
tf_two template rel "$fchart" --show-only templates/service.yaml \
	--patches "$SCRATCH/dep-patch.yaml"
if [ "$status" = 0 ] && grep -q '^  name: s$' "$SCRATCH/out" &&
	! grep -q 'kind: Deployment' "$SCRATCH/out"; then
	ok "--show-only prints the template asked for, after patches ran on the whole render"
else
	not_ok "--show-only (exit $status): $(cat "$SCRATCH/err")"
fi
tf_two template rel "$fchart" -s 'templates/*.yaml'
if [ "$status" = 0 ] && [ "$(grep -c '^kind:' "$SCRATCH/out")" = 2 ]; then
	ok "--show-only takes a glob, as helm"
else
	not_ok "--show-only glob (exit $status)"
fi
tf_two template rel "$fchart" --show-only templates/nope.yaml
expect_err "--show-only of a missing template" \
	"helm-x: error: --show-only: could not find template 'templates/nope.yaml' in the chart"
tf_two template rel "$fchart" --output-dir "$SCRATCH/od" --release-name \
	--patches "$SCRATCH/dep-patch.yaml"
f="$SCRATCH/od/rel/web/templates/deployment.yaml"
if [ "$status" = 0 ] && [ -f "$f" ] &&
	[ "$(head -n 2 "$f")" = "$(printf -- '---\n# Source: web/templates/deployment.yaml')" ] &&
	grep -q 'p: "1"' "$f" && grep -qx "wrote $f" "$SCRATCH/out"; then
	ok "--output-dir --release-name: one file per # Source, patched, 'wrote PATH' lines"
else
	not_ok "--output-dir (exit $status): $(cat "$SCRATCH/err")"
fi
printf -- '---\n# Source: ../../escape.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e\n' \
	>"$SCRATCH/evil.yaml"
HELM_BIN="$ffake" FAKE_HELM_LOG=/dev/null FAKE_HELM_OUT="$SCRATCH/evil.yaml" \
	hx template rel "$fchart" --output-dir "$SCRATCH/od2"
if [ "$status" = 1 ] && grep -q "the document has a '# Source:' that is no relative path" "$SCRATCH/err" &&
	[ ! -e "$SCRATCH/escape.yaml" ]; then
	ok "--output-dir refuses a # Source outside the directory, writes nothing there"
else
	not_ok "--output-dir with a hostile Source (exit $status)"
fi

# flags helm-x knows and refuses, with what to do
tf_two template rel "$fchart" --dependency-update
expect_err "--dependency-update is refused (it would write to the chart)" \
	"helm-x: error: '--dependency-update' would write charts/ into your chart: run 'helm dependency update CHART' first (helm-x never writes to your chart)"
tf_two install "$fchart" --generate-name
expect_err "--generate-name is refused" \
	"helm-x: error: '--generate-name' lets helm pick the release name; helm-x takes RELEASE as an argument: give one"
tf_two install rel "$fchart" --strict
expect_err "a lint flag on install" "helm-x: error: '--strict' is a flag of helm lint, not of 'install'"
tf_two template rel "$fchart" -o json
expect_err "-o on template" \
	"helm-x: error: '--output json' is a flag of helm install and upgrade; 'template' has none (--output-dir writes files)"
tf_two template rel "$fchart" --wait
expect_err "an install flag on template" \
	"helm-x: error: '--wait' is a flag of helm install and upgrade; 'helm x template' installs nothing"
tf_two template rel "$fchart" --release-name
expect_err "--release-name alone" \
	"helm-x: error: '--release-name' names a directory under --output-dir: give --output-dir too"

# --post-renderer naming helm-x itself: its args are helm-x's patches
: >"$SCRATCH/plog"
HELM_BIN="$ffake" FAKE_HELM_LOG="$SCRATCH/plog" FAKE_HELM_OUT="$SCRATCH/two.yaml" \
	hx template rel "$fchart" --post-renderer "$HX" --post-renderer-args patch \
	--post-renderer-args "--patches=$SCRATCH/dep-patch.yaml"
if [ "$status" = 0 ] && grep -q 'p: "1"' "$SCRATCH/out" &&
	! grep -q 'post-renderer' "$SCRATCH/plog"; then
	ok "--post-renderer HELM-X: its patch args are applied by helm-x, helm gets no post-renderer"
else
	not_ok "--post-renderer helm-x (exit $status): $(cat "$SCRATCH/err")"
fi
tf_two template rel "$fchart" --post-renderer x-patch \
	"--post-renderer-args=--json-patch=$SCRATCH/nope.yaml"
if [ "$status" = 1 ] && grep -q "nope.yaml" "$SCRATCH/err"; then
	ok "--post-renderer x-patch: its args are helm-x's patch flags"
else
	not_ok "--post-renderer x-patch (exit $status)"
fi
tf_two template rel "$fchart" --post-renderer x-patch --post-renderer-args --set=a=b
expect_err "--post-renderer helm-x with a non-patch arg" \
	"helm-x: error: --post-renderer-args '--set=a=b' is no patch flag of helm-x (the post-renderer named is helm-x)"
tf_two lint "$fchart" --post-renderer /bin/cat
expect_err "lint with another post-renderer" \
	"helm-x: error: '--post-renderer /bin/cat': 'lint' runs no post-renderer but helm-x's own (its patch flags)"
: >"$SCRATCH/plog"
HELM_BIN="$ffake" FAKE_HELM_LOG="$SCRATCH/plog" FAKE_HELM_OUT="$SCRATCH/two.yaml" \
	hx diff rel "$fchart" --allow-unreleased --post-renderer /bin/cat
if [ "$status" = 0 ] &&
	[ "$(grep -c '^\[--post-renderer\]$' "$SCRATCH/plog")" = 2 ]; then
	ok "diff with another post-renderer: helm template and the server dry run both run it"
else
	not_ok "diff with another post-renderer (exit $status): $(cat "$SCRATCH/err")"
fi
: >"$SCRATCH/plog"
HELM_BIN="$ffake" FAKE_HELM_LOG="$SCRATCH/plog" FAKE_HELM_OUT="$SCRATCH/two.yaml" \
	hx template rel "$fchart" --post-renderer /bin/cat --post-renderer-args a
if [ "$status" = 0 ] && grep -A1 '^\[--post-renderer\]$' "$SCRATCH/plog" | grep -q '^\[/bin/cat\]$'; then
	ok "another post-renderer runs in helm template"
else
	not_ok "another post-renderer on template (exit $status)"
fi
printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\n' >"$SCRATCH/nosource.yaml"
HELM_BIN="$ffake" FAKE_HELM_LOG=/dev/null FAKE_HELM_OUT="$SCRATCH/nosource.yaml" \
	hx template rel "$fchart" --output-dir "$SCRATCH/od3"
if [ "$status" = 1 ] && grep -q "error: --output-dir: the document has no '# Source:' line$" "$SCRATCH/err"; then
	ok "--output-dir: a document without # Source is an error at its place"
else
	not_ok "--output-dir without Source (exit $status): $(cat "$SCRATCH/err")"
fi
# Every flag helm-x accepts (as its completion lists them) is in a --help
# text: helm x --help or a command's.
: >"$SCRATCH/allhelp"
for c in "" template install upgrade apply diff lint adopt patch flux argocd postrender; do
	# shellcheck disable=SC2086 # "" is helm-x's own --help
	hx $c --help
	cat "$SCRATCH/out" "$SCRATCH/err" >>"$SCRATCH/allhelp"
done
hx __complete template --
undoc=
nflags=0
grep '^--' "$SCRATCH/out" >"$SCRATCH/flags"
while read -r f; do
	nflags=$((nflags + 1))
	grep -qE -- "$f([^A-Za-z0-9_-]|\$)" "$SCRATCH/allhelp" || undoc="$undoc $f"
done <"$SCRATCH/flags"
if [ "$nflags" -gt 100 ] && [ -z "$undoc" ]; then
	ok "each of the $nflags flags helm-x accepts is in a --help text"
else
	not_ok "flags accepted but in no --help text ($nflags listed):$undoc"
fi
