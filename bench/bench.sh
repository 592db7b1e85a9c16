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

printf '%-7s %7s %9s %9s %7s %9s %9s %6s %8s %6s\n' docs input floor_s \
	helm-x_s time_x floor_cpu hx_cpu cpu_x peak_MB mem_x
t3=
for n in 3000 30000; do
	s="$out/stream-$n.yaml"
	"$b/bench-gen" "$n" >"$s"
	size=$(wc -c <"$s")
	set -- $("$b/bench-run" "$R" "$s" - "$b/bench-floor")
	floor=$1
	floor_cpu=$3
	set -- $("$b/bench-run" "$R" - "$out/patched-$n.yaml" "$hx" patch "$s" \
		--patches "$out/patches.yaml")
	t=$1
	peak_kb=$2
	cpu=$3
	# every Deployment and every Service changed
	svc=$(grep -c '^  type: NodePort$' "$out/patched-$n.yaml")
	dep=$(grep -c 'value: staging' "$out/patched-$n.yaml")
	if [ "$svc" != $((n / 3)) ] || [ "$dep" != $((n / 3)) ]; then
		echo "bench: expected $((n / 3)) patched Services and Deployments, got $svc and $dep" >&2
		exit 1
	fi
	printf '%-7s %6.1fM %9s %9s %6sx %9s %9s %5sx %8s %5sx\n' "$n" \
		"$(awk -v s="$size" 'BEGIN{print s/1048576}')" "$floor" "$t" \
		"$(ratio "$t" "$floor")" "$floor_cpu" "$cpu" \
		"$(ratio "$cpu" "$floor_cpu")" "$(mb "$peak_kb")" \
		"$(ratio "$((peak_kb * 1024))" "$size")"
	[ "$n" = 3000 ] && t3=$t
done
echo "growth 3000 -> 30000 documents: $(ratio "$t" "$t3")x the time for 10x the documents"
echo "targets (30,000 documents, vs a bare libyaml parse+emit): cpu_x <= 1.5 (user + system), time_x <= 1 (wall, 2 cores); mem_x <= 4 (peak / input); growth ~10"

# helm x diff manifests of two 3,000-object streams, 10% of the objects
# changed (a line added to each), against GNU diff -u of the same files (the
# floor; target: within 1.5x)
awk '/^---$/ { d++ } { print } /^metadata:$/ && d % 10 == 0 { print "  generation: 7" }' \
	"$out/stream-3000.yaml" >"$out/stream-3000-changed.yaml"
set -- $(BENCH_OK_STATUS=1 "$b/bench-run" "$R" - "$out/gnu-diff.txt" diff -u \
	"$out/stream-3000.yaml" "$out/stream-3000-changed.yaml")
gnu=$1
set -- $("$b/bench-run" "$R" - "$out/hx-diff.txt" "$hx" diff manifests \
	"$out/stream-3000.yaml" "$out/stream-3000-changed.yaml" --no-color -C 3)
t=$1
changed=$(grep -c 'has changed:$' "$out/hx-diff.txt")
[ "$changed" = 300 ] || {
	echo "bench: helm x diff saw $changed changed objects, not 300" >&2
	exit 1
}
echo "helm x diff manifests, 3000 objects, 300 changed: ${t}s; GNU diff -u" \
	"${gnu}s: $(ratio "$t" "$gnu")x (target: <= 1.5x)"

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

# Many patch entries on one document, and one strategic-merge list of many
# new names (issue 19): time and peak memory per item at two sizes; linear
# means the same per item at both.
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: x\n        env:\n        - {name: A, value: b}\n' \
	>"$out/one.yaml"
per_item() { # LABEL N PATCHFILE
	set -- "$1" "$2" $("$b/bench-run" "$R" "$3" /dev/null "$hx" patch \
		"$out/one.yaml" --patches -)
	printf '%-40s %6s items: %7ss %8s MB  %6s us/item %7s KB/item\n' "$1" \
		"$2" "$3" "$(mb "$4")" \
		"$(awk -v t="$3" -v n="$2" 'BEGIN { printf "%.1f", t * 1e6 / n }')" \
		"$(awk -v k="$4" -v n="$2" 'BEGIN { printf "%.2f", k / n }')"
}
for n in 10000 20000; do
	awk -v n="$n" 'BEGIN { print "patches:"; for (i = 0; i < n; i++)
		printf "- target: {kind: Deployment}\n  patch: \047[{op: add, path: /metadata/labels, value: {k%d: v}}]\047\n", i }' \
		>"$out/many-$n.yaml"
	per_item "patch entries on one document" "$n" "$out/many-$n.yaml"
done
for n in 10000 20000; do
	awk -v n="$n" 'BEGIN { print "patches:\n- target: {kind: Deployment}\n  patch: |\n    spec:\n      template:\n        spec:\n          containers:\n          - name: app\n            env:";
		for (i = 0; i < n; i++) printf "            - {name: N%d, value: v}\n", i }' \
		>"$out/list-$n.yaml"
	per_item "new names in one merge list" "$n" "$out/list-$n.yaml"
done
echo "target: linear (the same us/item and KB/item at both sizes)"

# helm x template of a 3,000-document chart with the same patches, against
# plain helm template of the same chart (target: at most 1.15x).
for helm in helm3 helm4; do
	H=.tools/bin/$helm
	if [ ! -x "$H" ]; then
		echo "SKIP: no $H (sh tests/tools.sh): no helm template baseline"
		continue
	fi
	c="$out/chart"
	rm -rf "$c"
	mkdir -p "$c/templates"
	printf 'apiVersion: v2\nname: bench\nversion: 0.1.0\n' >"$c/Chart.yaml"
	cat >"$c/templates/all.yaml" <<'TPL'
{{- range $i := until 1000 }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{{ $i }}
  labels: {app.kubernetes.io/name: app-{{ $i }}}
spec:
  replicas: 1
  selector:
    matchLabels: {app.kubernetes.io/name: app-{{ $i }}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: app-{{ $i }}}
    spec:
      containers:
      - name: app
        image: "registry.example.com/app:1.{{ $i }}.0"
        env:
        - {name: MODE, value: production}
        resources:
          limits: {cpu: 500m, memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: app-{{ $i }}
  labels: {app.kubernetes.io/name: app-{{ $i }}}
spec:
  type: ClusterIP
  ports:
  - {name: http, port: 80, targetPort: http}
  selector: {app.kubernetes.io/name: app-{{ $i }}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{{ $i }}-config
data:
  LOG_LEVEL: info
{{- end }}
TPL
	set -- $("$b/bench-run" "$R" - - "$H" template rel "$c")
	plain=$1
	set -- $(HELM_BIN="$H" "$b/bench-run" "$R" - "$out/hx-template.yaml" \
		"$hx" template rel "$c" --patches "$out/patches.yaml")
	t=$1
	[ "$(grep -c 'value: staging' "$out/hx-template.yaml")" = 1000 ] || {
		echo "bench: helm x template did not patch the 1000 Deployments" >&2
		exit 1
	}
	echo "helm x template, 3000-document chart ($helm): ${t}s; plain" \
		"helm template ${plain}s: $(ratio "$t" "$plain")x (target: <= 1.15x)"
	# the same patches with helm-x as helm's post-renderer: one render
	# instead of two (Helm 3: this binary's path; Helm 4: x-patch, in a
	# plugin dir of the bench's own)
	data="$out/data-$helm" # Helm 4 installs into $HELM_DATA_HOME/plugins
	plugins="$data/plugins"
	rm -rf "$data"
	if [ "$helm" = helm3 ]; then
		set -- --post-renderer "$(pwd)/$hx" --post-renderer-args patch \
			--post-renderer-args "--patches=$out/patches.yaml"
	else
		HELM_DATA_HOME="$data" HELM_PLUGINS="$plugins" "$H" plugin install \
			"$(HELM_BIN="$H" "$hx" postrender-plugin)" >/dev/null || exit 1
		set -- --post-renderer x-patch \
			"--post-renderer-args=--patches=$out/patches.yaml"
	fi
	set -- $(HELM_DATA_HOME="$data" HELM_PLUGINS="$plugins" "$b/bench-run" "$R" - "$out/pr.yaml" \
		"$H" template rel "$c" "$@")
	tp=$1
	[ "$(grep -c 'value: staging' "$out/pr.yaml")" = 1000 ] || {
		echo "bench: the post-renderer did not patch the 1000 Deployments" >&2
		exit 1
	}
	echo "helm template --post-renderer helm-x ($helm): ${tp}s; plain" \
		"helm template ${plain}s: $(ratio "$tp" "$plain")x (target: <= 1.10x);" \
		"temporary chart (helm x template): $(ratio "$t" "$plain")x"
	if [ "$helm" = helm4 ]; then
		# Helm 4's own cost of post-rendering (it annotates, splits
		# and re-files every document): a plugin that runs cat
		mkdir -p "$out/noop-plugin"
		printf '%s\n' 'apiVersion: v1' 'type: postrenderer/v1' \
			'name: noop' 'version: 0.1.0' 'runtime: subprocess' \
			'runtimeConfig:' '  platformCommand:' '  - command: cat' \
			>"$out/noop-plugin/plugin.yaml"
		HELM_DATA_HOME="$data" HELM_PLUGINS="$plugins" "$H" plugin \
			install "$out/noop-plugin" >/dev/null || exit 1
		set -- $(HELM_DATA_HOME="$data" HELM_PLUGINS="$plugins" \
			"$b/bench-run" "$R" - - "$H" template rel "$c" \
			--post-renderer noop)
		echo "  Helm 4 with a post-renderer plugin that runs cat: ${1}s" \
			"($(ratio "$1" "$plain")x plain): helm-x as the plugin" \
			"is $(ratio "$tp" "$1")x that"
	fi
done

# helm x diff end to end on the same chart against a release, against
# helm template plus helm get manifest run back to back (target: within
# 1.2x).  The release lives in Helm 4's memory driver, loaded from a file
# (HELM_MEMORY_DRIVER_DATA): no cluster needed, so the chart renders with
# helm template (--dry-run=client), not with the server dry run diff makes
# by default (whose cost is helm's and the cluster's).
H=.tools/bin/helm4
if [ -x "$H" ]; then
	mem="$out/memdriver.yaml"
	: >"$mem"
	HELM_DRIVER=memory HELM_MEMORY_DRIVER_DATA="$mem" "$H" install rel \
		"$out/chart" --dry-run=client -o yaml >"$out/release.yaml"
	awk 'NR == 1 { print "- " $0; next } { print "  " $0 }' \
		"$out/release.yaml" |
		sed 's/^    status: pending-install$/    status: deployed/' >"$mem"
	export HELM_DRIVER=memory HELM_MEMORY_DRIVER_DATA="$mem"
	set -- $("$b/bench-run" "$R" - - "$H" template rel "$out/chart")
	tpl=$1
	set -- $("$b/bench-run" "$R" - "$out/got-manifest.yaml" "$H" get \
		manifest rel)
	get=$1
	grep -q 'name: app-999-config' "$out/got-manifest.yaml" || {
		echo "bench: the release in the memory driver has no manifest" >&2
		exit 1
	}
	set -- $(HELM_BIN="$H" BENCH_OK_STATUS=2 "$b/bench-run" "$R" - \
		"$out/hx-release-diff.txt" "$hx" diff rel "$out/chart" \
		--patches "$out/patches.yaml" --no-color -C 3 --detailed-exitcode \
		--dry-run=client)
	t=$1
	# --three-way-merge: the same diff with the 3000 live objects read
	# from the stand-in API server (preloaded with the release's objects)
	# by kubectl, against the plain release diff (target: within 1.5x)
	K=.tools/bin/kubectl
	if [ -x "$K" ]; then
		python3 -c 'import json, sys, yaml
json.dump([d for d in yaml.safe_load_all(open(sys.argv[1])) if d],
          open(sys.argv[2], "w"))' "$out/got-manifest.yaml" "$out/live.json"
		rm -f "$out/api.in"
		mkfifo "$out/api.in"
		APISERVER_PRELOAD="$out/live.json" python3 tests/e2e/apiserver.py \
			<"$out/api.in" >"$out/api.out" 2>/dev/null &
		exec 8>"$out/api.in"
		for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			port=$(sed -n 's/^PORT //p' "$out/api.out")
			[ -n "$port" ] && break
			sleep 0.2
		done
		set -- $(HELM_BIN="$H" KUBECTL_BIN="$K" \
			HELM_KUBEAPISERVER="http://127.0.0.1:$port" BENCH_OK_STATUS=2 \
			"$b/bench-run" "$R" - "$out/hx-3way-diff.txt" "$hx" diff rel \
			"$out/chart" --patches "$out/patches.yaml" --no-color -C 3 \
			--detailed-exitcode --dry-run=client --three-way-merge \
			-n default)
		t3=$1
		exec 8>&-
		[ "$(grep -c 'has changed:$' "$out/hx-3way-diff.txt")" = 2000 ] || {
			echo "bench: helm x diff --three-way-merge did not show the 2000 patched objects" >&2
			exit 1
		}
	fi
	unset HELM_DRIVER HELM_MEMORY_DRIVER_DATA
	[ "$(grep -c 'has changed:$' "$out/hx-release-diff.txt")" = 2000 ] || {
		echo "bench: helm x diff did not show the 2000 patched objects" >&2
		exit 1
	}
	echo "helm x diff against a release, 3000 objects (helm4): ${t}s;" \
		"helm template + helm get manifest $(awk -v a="$tpl" -v b="$get" \
			'BEGIN { printf "%.4f", a + b }')s: $(awk -v t="$t" -v a="$tpl" \
			-v b="$get" 'BEGIN { printf "%.2f", t / (a + b) }')x (target: <= 1.2x)"
	if [ -n "${t3:-}" ]; then
		echo "helm x diff --three-way-merge, 3000 live objects (kubectl" \
			"get from the stand-in): ${t3}s; the plain release diff" \
			"${t}s: $(ratio "$t3" "$t")x (target: <= 1.5x)"
	else
		echo "SKIP: no $K (make tools): no --three-way-merge timing"
	fi
else
	echo "SKIP: no $H (sh tests/tools.sh): no helm x diff end-to-end timing"
fi

# helm x apply of a 300-object chart against the stand-in API server
# (tests/e2e/apiserver.py), first install and upgrade, against plain helm
# upgrade --install of the same chart: API requests (the server's log
# lines) and wall time of one run each (an install cannot be repeated).
# Target (issue 18): within 1.1x in both.
# helm x flux template of 50 HelmReleases of one local chart (a
# GitRepository's directory, one post-renderer patch each) against helm
# template of the same 50 releases with the same values, one after
# another.
for helm in helm3 helm4; do
	H=.tools/bin/$helm
	[ -x "$H" ] || { echo "SKIP: no $H: no flux timing"; continue; }
	fx="$out/flux"
	rm -rf "$fx"
	mkdir -p "$fx/releases"
	printf 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: repo, namespace: flux-system}\nspec: {url: "https://example.com/x"}\n' \
		>"$fx/releases/source.yaml"
	: >"$fx/plain.sh"
	i=0
	while [ "$i" -lt 50 ]; do
		cat >"$fx/releases/app-$i.yaml" <<YAML
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app-$i, namespace: team-$i}
spec:
  chart:
    spec: {chart: ./fluxapp, sourceRef: {kind: GitRepository, name: repo, namespace: flux-system}}
  values: {replicas: $((i % 5 + 1))}
  postRenderers:
  - kustomize:
      patches:
      - target: {kind: Deployment}
        patch: '[{op: add, path: /metadata/annotations/index, value: "$i"}]'
YAML
		printf 'replicas: %s\n' "$((i % 5 + 1))" >"$fx/values-$i.yaml"
		echo "$H template app-$i testdata/charts/fluxapp -n team-$i -f $fx/values-$i.yaml --include-crds" >>"$fx/plain.sh"
		i=$((i + 1))
	done
	set -- $("$b/bench-run" "$R" - - sh "$fx/plain.sh")
	plain=$1
	set -- $(HELM_BIN="$H" "$b/bench-run" "$R" - "$fx/out.yaml" "$hx" flux \
		template "$fx/releases" --source \
		"GitRepository/flux-system/repo=$PWD/testdata/charts")
	[ "$(grep -c "^    index: " "$fx/out.yaml")" = 50 ] || {
		echo "bench: helm x flux template did not patch the 50 Deployments" >&2
		exit 1
	}
	echo "helm x flux template, 50 HelmReleases ($helm): ${1}s; 50 helm" \
		"template one after another ${plain}s: $(ratio "$1" "$plain")x (target: <= 1.1x)"
done

if [ -n "${BENCH_APPLY:-1}" ] && [ "${BENCH_APPLY:-1}" != 0 ]; then
	ac="$out/apply-chart"
	rm -rf "$ac"
	mkdir -p "$ac/templates"
	printf 'apiVersion: v2\nname: big\nversion: 0.1.0\n' >"$ac/Chart.yaml"
	cat >"$ac/templates/all.yaml" <<'TPL'
{{- range $i := until 100 }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $.Release.Name }}-{{ $i }}
spec:
  replicas: 1
  selector:
    matchLabels: {app: {{ $.Release.Name }}-{{ $i }}}
  template:
    metadata:
      labels: {app: {{ $.Release.Name }}-{{ $i }}}
    spec:
      containers:
      - name: app
        image: "nginx:1.27"
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $.Release.Name }}-{{ $i }}
  labels: {app: {{ $.Release.Name }}-{{ $i }}}
spec:
  selector: {app: {{ $.Release.Name }}-{{ $i }}}
  ports:
  - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $.Release.Name }}-{{ $i }}
data:
  k: "{{ $i }}"
{{- end }}
TPL
	now() { date +%s.%N; }
	# run NAME CMD...: one run, its seconds and the server's requests
	run() {
		: >"$out/api.err"
		s0=$(now)
		"$@" >/dev/null 2>"$out/run.err" || {
			echo "bench: $* failed:" >&2
			cat "$out/run.err" >&2
			return 1
		}
		s1=$(now)
		sleep 0.2 # the server's last log lines
		echo "$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }') $(wc -l <"$out/api.err")"
	}
	for helm in helm3 helm4 helm4.2; do
		H=.tools/bin/$helm
		[ -x "$H" ] || { echo "SKIP: no $H: no apply timing"; continue; }
		rm -f "$out/api.in"
		mkfifo "$out/api.in"
		APISERVER_LOG=1 python3 tests/e2e/apiserver.py <"$out/api.in" \
			>"$out/api.out" 2>"$out/api.err" &
		api=$!
		exec 8>"$out/api.in"
		port=
		for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			port=$(sed -n 's/^PORT //p' "$out/api.out")
			[ -n "$port" ] && break
			sleep 0.2
		done
		printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster: {server: "http://127.0.0.1:%s"}\ncontexts:\n- name: s\n  context: {cluster: s, namespace: default}\ncurrent-context: s\nusers:\n- name: u\n  user: {}\n' \
			"$port" >"$out/kubeconfig"
		export KUBECONFIG="$out/kubeconfig"
		for step in install upgrade; do
			set -- $(run "$H" upgrade --install plain "$ac") || break
			pt=$1 pr=$2
			set -- $(run env HELM_BIN="$H" "$hx" apply hx "$ac" \
				--patches "$out/patches.yaml") || break
			echo "helm x apply, 300 objects, $step ($helm): ${1}s, $2 requests;" \
				"plain helm upgrade --install ${pt}s, $pr requests:" \
				"$(ratio "$1" "$pt")x time, $(ratio "$2" "$pr")x requests (target: <= 1.1x)"
		done
		unset KUBECONFIG
		exec 8>&-
		wait "$api" 2>/dev/null
	done
fi
