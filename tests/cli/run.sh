#!/bin/sh
# Run every tests/cli/t-*.sh with lib.sh loaded; prints TAP.  With two
# cores or more (CLI_JOBS, default: nproc, at most 2) the files run in two
# shells side by side, each with its own scratch dir, split by the time
# they take (the slow ones named below); their TAP is printed in file
# order groups, renumbered.  Each file also runs alone:
#   sh -c '. tests/cli/lib.sh; . tests/cli/t-diff.sh'
: "${HX:?HX must name the helm-x binary}"
VALGRIND=${VALGRIND:-}
jobs=${CLI_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -gt 2 ] && jobs=2
# run_group FILE...: one shell's TAP
run_group() {
	. tests/cli/lib.sh
	for t in "$@"; do
		echo "# $t"
		# shellcheck source=/dev/null
		. "$t"
	done
	check_tmp_leaks
	echo "1..$n"
}
if [ "$jobs" -lt 2 ]; then
	run_group tests/cli/t-*.sh
	exit 0
fi
# seconds each takes without valgrind (the others: about 2)
weight() {
	case ${1##*/} in
	t-install.sh) echo 64 ;;
	t-flags.sh) echo 39 ;;
	t-helmfile.sh) echo 22 ;;
	t-hostile.sh) echo 10 ;;
	t-diff.sh) echo 5 ;;
	*) echo 2 ;;
	esac
}
a=
b=
wa=0
wb=0
for t in $(for f in tests/cli/t-*.sh; do echo "$(weight "$f") $f"; done | sort -rn | cut -d' ' -f2); do
	w=$(weight "$t")
	if [ "$wa" -le "$wb" ]; then
		a="$a $t"
		wa=$((wa + w))
	else
		b="$b $t"
		wb=$((wb + w))
	fi
done
out=$(mktemp -d "${TMPDIR:-/tmp}/hx-cli-run.XXXXXX")
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2086 # lists of file names
(run_group $a) >"$out/a" 2>&1 &
pa=$!
# shellcheck disable=SC2086
(run_group $b) >"$out/b" 2>&1 &
pb=$!
wait "$pa" "$pb"
# one numbering over both
awk '/^(not )?ok [0-9]+ /{ sub(/ok [0-9]+ /, "ok " (++i) " ") } /^1\.\.[0-9]+$/{ next } { print } END { print "1.." i }' \
	"$out/a" "$out/b"
