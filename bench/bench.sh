#!/bin/sh
# make bench: time helm-x against baselines measured in the same run and
# print the ratios (SPEC section 9).  Usage: bench.sh BUILD-DIR
set -eu
b=$1
hx=bin/helm-x
out=bench/out
mkdir -p "$out"
R=${BENCH_REPEAT:-3}

cat >"$out/svc.yaml" <<'YAML'
target: {version: v1, kind: Service}
patch:
- {op: replace, path: /spec/type, value: NodePort}
- {op: add, path: /metadata/labels/exposed, value: "true"}
YAML

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-8s %9s %10s %9s %9s %8s %8s\n' docs input floor_s helm-x_s \
	time_x peak_MB mem_x
t3=
for n in 3000 30000; do
	s="$out/stream-$n.yaml"
	"$b/bench-gen" "$n" >"$s"
	size=$(wc -c <"$s")
	set -- $("$b/bench-run" "$R" "$s" - "$b/bench-floor")
	floor=$1
	set -- $("$b/bench-run" "$R" - "$out/patched-$n.yaml" "$hx" patch "$s" \
		--json-patch "$out/svc.yaml")
	t=$1
	peak_kb=$2
	# every Service changed, nothing else
	changed=$(grep -c '^  type: NodePort$' "$out/patched-$n.yaml")
	[ "$changed" = $((n / 3)) ] || {
		echo "bench: expected $((n / 3)) patched Services, got $changed" >&2
		exit 1
	}
	printf '%-8s %8.1fM %10s %9s %8sx %8.1f %7sx\n' "$n" \
		"$(awk -v s="$size" 'BEGIN{print s/1048576}')" "$floor" "$t" \
		"$(ratio "$t" "$floor")" "$(awk -v k="$peak_kb" 'BEGIN{print k/1024}')" \
		"$(ratio "$((peak_kb * 1024))" "$size")"
	[ "$n" = 3000 ] && t3=$t
done
echo "growth 3000 -> 30000 documents: $(ratio "$t" "$t3")x time for 10x documents"
echo "targets: time_x <= 2 (vs libyaml parse+emit), mem_x <= 4 (peak / input), growth ~10"
