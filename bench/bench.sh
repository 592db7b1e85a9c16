#!/bin/sh
# make bench: time helm-x against baselines measured in the same run and
# print the ratios (SPEC section 9).  Usage: bench.sh BUILD-DIR
set -eu
b=$1
hx=bin/helm-x
out=bench/out
mkdir -p "$out"
R=${BENCH_REPEAT:-3}
kubectl=.tools/bin/kubectl

# One strategic merge patch for every Deployment, one JSON patch for every
# Service, as kustomize patches (also what kubectl kustomize runs).
cat >"$out/patches.yaml" <<'YAML'
patches:
- target: {group: apps, kind: Deployment}
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: any}
    spec:
      template:
        spec:
          containers:
          - name: app
            image: registry.example.com/app:2.0.0
            env:
            - {name: PATCHED, value: "true"}
            - {name: MODE, value: staging}
- target: {version: v1, kind: Service}
  patch: |-
    - {op: replace, path: /spec/type, value: NodePort}
    - {op: add, path: /metadata/labels/exposed, value: "true"}
YAML

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

printf '%-7s %7s %9s %9s %7s %8s %6s\n' docs input floor_s helm-x_s time_x \
	peak_MB mem_x
t3=
for n in 3000 30000; do
	s="$out/stream-$n.yaml"
	"$b/bench-gen" "$n" >"$s"
	size=$(wc -c <"$s")
	set -- $("$b/bench-run" "$R" "$s" - "$b/bench-floor")
	floor=$1
	set -- $("$b/bench-run" "$R" - "$out/patched-$n.yaml" "$hx" patch "$s" \
		--patches "$out/patches.yaml")
	t=$1
	peak_kb=$2
	# every Deployment and every Service changed
	svc=$(grep -c '^  type: NodePort$' "$out/patched-$n.yaml")
	dep=$(grep -c 'value: staging' "$out/patched-$n.yaml")
	if [ "$svc" != $((n / 3)) ] || [ "$dep" != $((n / 3)) ]; then
		echo "bench: expected $((n / 3)) patched Services and Deployments, got $svc and $dep" >&2
		exit 1
	fi
	printf '%-7s %6.1fM %9s %9s %6sx %8s %5sx\n' "$n" \
		"$(awk -v s="$size" 'BEGIN{print s/1048576}')" "$floor" "$t" \
		"$(ratio "$t" "$floor")" "$(mb "$peak_kb")" \
		"$(ratio "$((peak_kb * 1024))" "$size")"
	[ "$n" = 3000 ] && t3=$t
done
echo "growth 3000 -> 30000 documents: $(ratio "$t" "$t3")x the time for 10x the documents"
echo "targets: time_x <= 2 (vs a bare libyaml parse+emit), mem_x <= 4 (peak / input), growth ~10"

if [ -x "$kubectl" ]; then
	k="$out/kustomize"
	rm -rf "$k"
	mkdir -p "$k"
	cp "$out/stream-3000.yaml" "$k/stream.yaml"
	{ echo "resources: [stream.yaml]"; cat "$out/patches.yaml"; } \
		>"$k/kustomization.yaml"
	set -- $("$b/bench-run" 1 - "$out/kustomized.yaml" "$kubectl" kustomize "$k")
	kt=$1
	echo "kubectl kustomize, same patches, 3000 documents: ${kt}s;" \
		"helm-x ${t3}s: $(ratio "$kt" "$t3")x faster (target: >= 200x)"
else
	echo "SKIP: no .tools/bin/kubectl (sh tests/tools.sh): no kubectl kustomize baseline"
fi
