#!/bin/sh
# make fuzz: run each libFuzzer target for $FUZZ_SECONDS from the seed
# corpus (tools/fuzz-seeds.py) plus the findings kept in testdata/fuzz/.
# Usage: tests/fuzz/fuzz.sh BUILD-DIR TARGET...  Prints, per target, the
# executions, the coverage reached and the findings (saved under
# BUILD-DIR/findings/; add each to testdata/fuzz/TARGET/ with the fix).
set -u
build=$1
shift
secs=${FUZZ_SECONDS:-60}
python3 tools/fuzz-seeds.py "$build/seeds" >/dev/null || exit 1
mkdir -p "$build/findings"
status=0
for t in "$@"; do
	corpus="$build/corpus/$t"
	mkdir -p "$corpus"
	cp "$build/seeds/$t"/* "$corpus"/ 2>/dev/null
	[ -d "testdata/fuzz/$t" ] && cp "testdata/fuzz/$t"/* "$corpus"/ 2>/dev/null
	log="$build/fuzz-$t.log"
	"$build/fuzz-$t" -max_total_time="$secs" -max_len=16384 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/findings/$t-" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1)
	found=$(find "$build/findings" -name "$t-*" | wc -l)
	ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1s/p' "$log")
	echo "fuzz $t: ${ran:-stopped at a finding}, ${execs:-?} executions, $cov, $ft, corpus $(find "$corpus" -type f | wc -l), findings $found"
	if [ "$rc" != 0 ] || [ "$found" != 0 ]; then
		status=1
		grep -E 'ERROR|SUMMARY|fuzz-' "$log" | head -5
	fi
done
exit "$status"
