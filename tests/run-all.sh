#!/bin/sh
# Run every suite (each prints TAP), show failures, and end with the total
# "N passed, N failed".  HX is the helm-x binary, BUILD the build dir;
# VALGRIND, when set, wraps every run of a test binary and of helm-x.
set -u
: "${HX:?HX must name the helm-x binary}"
: "${BUILD:?BUILD must name the build dir}"
VALGRIND=${VALGRIND:-}
export HX VALGRIND
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0
failed=0

suite() {
	name=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1 # the suite itself failed (crash, sanitizer, valgrind)
	fi
	if [ "$f" != 0 ]; then
		echo "--- $name: failures"
		grep -v '^ok ' "$log" | head -60
	fi
	skips=$(grep -i '^# SKIP' "$log" | head -3)
	[ -n "$skips" ] && echo "$skips"
	echo "$name: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
}

for src in tests/t-*.c; do
	t="$BUILD/tests/$(basename "$src" .c)"
	if [ ! -x "$t" ]; then
		echo "--- $t was not built"
		failed=$((failed + 1))
		continue
	fi
	# shellcheck disable=SC2086
	suite "unit $(basename "$t")" $VALGRIND "$t"
done
suite "cases testdata/patch" "$BUILD/tests/patchcases" "$HX" testdata/patch
if [ -d ../shared/conformance/jsonpatch ]; then
	suite "conformance jsonpatch" "$BUILD/tests/patchcases" --jsonpatch \
		../shared/conformance/jsonpatch
	suite "conformance smp (apimachinery)" "$BUILD/tests/patchcases" --smp \
		../shared/conformance/smp
	suite "conformance kustomize" "$BUILD/tests/patchcases" --kustomize \
		"$HX" ../shared/conformance/kustomize
	suite "conformance helm-diff output" "$BUILD/tests/patchcases" \
		--helm-diff ../shared/conformance/helm-diff
else
	echo "SKIP: ../shared/conformance is not here; conformance suites not run"
fi
# the fuzz targets over their seed corpus and the findings kept in
# testdata/fuzz/ (a finding aborts: the suite fails)
if python3 tools/fuzz-seeds.py "$BUILD/fuzz-seeds" >/dev/null; then
	for t in yaml jsonpatch smp patches chartpath diff surgery threeway; do
		set -- "$BUILD/fuzz-seeds/$t"
		[ -d "testdata/fuzz/$t" ] && set -- "$@" "testdata/fuzz/$t"
		# shellcheck disable=SC2086
		suite "fuzz corpus $t" $VALGRIND "$BUILD/tests/fuzz-$t-replay" "$@"
	done
else
	echo "--- tools/fuzz-seeds.py failed"
	failed=$((failed + 1))
fi
suite "cli tests/cli" sh tests/cli/run.sh
# --output structured against a second reading of helm-diff, seeded
suite "structured output vs tests/structdiff.py" python3 tests/structdiff.py \
	"$HX" "${STRUCTDIFF_CASES:-200}" "${STRUCTDIFF_SEED:-20261207}"
if [ -n "$VALGRIND" ]; then
	# helm runs helm-x there (helm x ...), outside valgrind: the same
	# run as make check's, so it runs once, there
	echo "# end to end: run by make check, not again under valgrind"
elif [ -x .tools/bin/helm3 ] && [ -x .tools/bin/helm4 ] && [ -x .tools/bin/helm4.2 ]; then
	suite "end to end with helm 3.17, 4.1 and 4.2" sh tests/e2e/run.sh
else
	echo "SKIP: .tools/bin/helm3, helm4 or helm4.2 is missing (sh tests/tools.sh fetches them): no end-to-end tests"
fi
if [ -x .tools/bin/kubectl ]; then
	# helm-x itself runs without $VALGRIND here: kubectl takes most of the
	# time, and the SMP engine is under valgrind in the cases above
	suite "differential smp vs kubectl" "$BUILD/tests/smpdiff" "$HX" \
		"$(pwd)/.tools/bin/kubectl" "${SMPDIFF_CASES:-200}" \
		"${SMPDIFF_SEED:-20261124}"
	suite "differential json patch vs kubectl" "$BUILD/tests/jpdiff" "$HX" \
		"$(pwd)/.tools/bin/kubectl" "${JPDIFF_CASES:-200}" \
		"${JPDIFF_SEED:-20261202}"
	suite "--patches cases vs kubectl kustomize" "$BUILD/tests/kustcheck" \
		"$(pwd)/.tools/bin/kubectl" testdata/patch/patches \
		testdata/patch/migrate
	if [ -d ../shared/conformance/jsonpatch ]; then
		suite "json patch suite through kubectl" "$BUILD/tests/jpdiff" \
			--vectors "$HX" "$(pwd)/.tools/bin/kubectl" \
			../shared/conformance/jsonpatch \
			testdata/jsonpatch-kubectl/differences.tsv
	fi
else
	echo "SKIP: .tools/bin/kubectl is missing (sh tests/tools.sh fetches it): no differential test against kubectl"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
