#!/bin/sh
# Helpers for the CLI tests: TAP output, a scratch dir, assertions.
# Each test file is sourced by run.sh with HX (helm-x) and VALGRIND set.
n=0
# shellcheck disable=SC2034 # used by the sourced test files
TOP=$(pwd)
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/hx-cli.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
}

# hx ARGS...: run helm-x (under $VALGRIND) with output in $SCRATCH/out, err.
# Every message naming helm-x's own temporary dir is noted in
# $SCRATCH/tmp-leaks (but with --keep-tmp or --debug, which print it).
hx() {
	# shellcheck disable=SC2086
	$VALGRIND "$HX" "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	case " $* ${HELM_DEBUG:+ --debug } " in
	*" --keep-tmp "* | *" --debug "*) ;;
	*) grep -h '/helm-x\.' "$SCRATCH/err" "$SCRATCH/out" 2>/dev/null |
		sed "s|^|helm-x $1: |" >>"$SCRATCH/tmp-leaks" ;;
	esac
	return 0
}

# One test over every run of hx: no message named the temporary dir.
check_tmp_leaks() {
	if [ ! -s "$SCRATCH/tmp-leaks" ]; then
		ok "no message of any run names helm-x's temporary dir"
	else
		not_ok "messages name helm-x's temporary dir:"
		sed 's/^/#   /' "$SCRATCH/tmp-leaks" | head -20
	fi
}

# expect DESC STATUS: the last hx run exited with STATUS.
expect_status() {
	if [ "$status" = "$2" ]; then ok "$1"; else
		not_ok "$1"
		echo "#   exit $status, want $2; stderr:"
		sed 's/^/#   /' "$SCRATCH/err"
	fi
}

# expect_err DESC LINE: exit 1, empty stdout, first stderr line is LINE.
expect_err() {
	first=$(head -n 1 "$SCRATCH/err")
	if [ "$status" = 1 ] && [ ! -s "$SCRATCH/out" ] && [ "$first" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   exit $status, stdout $(wc -c <"$SCRATCH/out") bytes"
		echo "#   got:  $first"
		echo "#   want: $2"
	fi
}

# expect_out DESC FILE: stdout equals FILE byte for byte.
expect_out() {
	if cmp -s "$SCRATCH/out" "$2"; then ok "$1"; else
		not_ok "$1"
		diff "$2" "$SCRATCH/out" | head -20 | sed 's/^/#   /'
	fi
}

# expect_grep DESC PATTERN [FILE]: FILE (default stdout) matches PATTERN.
expect_grep() {
	if grep -q -e "$2" "${3:-$SCRATCH/out}"; then ok "$1"; else
		not_ok "$1"
		echo "#   no match for '$2' in ${3:-stdout}"
	fi
}
