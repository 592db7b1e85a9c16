#!/bin/sh
# shellcheck disable=SC2030,SC2031 # each Helm runs in a subshell on purpose
# End-to-end tests with real Helm 3 and Helm 4 (.tools/bin, fetched by
# tests/tools.sh): the plugin is installed with `helm plugin install` into
# isolated HELM_* dirs, then driven as `helm x ...`.  Prints TAP.
: "${HX:?HX must name the helm-x binary}"
VALGRIND=${VALGRIND:-}
. tests/cli/lib.sh

tools="$TOP/.tools/bin"
P="$SCRATCH/patches.yaml"
cat >"$P" <<'YAML'
patches:
- target: {kind: Deployment}
  patch: |-
    spec:
      template:
        spec:
          containers:
          - {name: web, image: "nginx:1.28"}
- target: {kind: Service}
  patch: '[{op: add, path: /spec/type, value: NodePort}]'
YAML

# Lines only in one of two files, as "+line" / "-line", sorted.
changed() {
	diff "$1" "$2" | sed -n 's/^> /+/p; s/^< /-/p' | sort
}

# A chart repository: helm repo index, served on 127.0.0.1 (port 0) by a
# static HTTP server that the trap below always stops.
mkdir -p "$SCRATCH/repo"
"$tools/helm3" package testdata/charts/web -d "$SCRATCH/repo" >/dev/null
"$tools/helm3" package testdata/charts/fluxapp -d "$SCRATCH/repo" >/dev/null
"$tools/helm3" repo index "$SCRATCH/repo"
python3 -u -m http.server --bind 127.0.0.1 --directory "$SCRATCH/repo" 0 \
	>"$SCRATCH/http.log" 2>&1 &
http_pid=$!
# Start a server of the tests, COMMAND...: it reads the FIFO PREFIX.in,
# held open on file descriptor FD (it stops when that closes), writes
# "PORT N" to PREFIX.out and its log to PREFIX.err.  Sets server_pid and
# server_port.
server_start() { # PREFIX FD COMMAND...
	prefix=$1 fd=$2
	shift 2
	mkfifo "$prefix.in"
	"$@" <"$prefix.in" >"$prefix.out" 2>"$prefix.err" &
	server_pid=$!
	eval "exec $fd>\"\$prefix.in\""
	server_port=
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		server_port=$(sed -n 's/^PORT //p' "$prefix.out")
		[ -n "$server_port" ] && break
		sleep 0.2
	done
}
# The stand-in API server (tests/e2e/apiserver.py) with the environment
# words NAME=VALUE...  Sets apiserver_pid and apiserver_port.
apiserver_start() { # PREFIX FD NAME=VALUE...
	prefix=$1 fd=$2
	shift 2
	server_start "$prefix" "$fd" env "$@" python3 tests/e2e/apiserver.py
	apiserver_pid=$server_pid
	apiserver_port=$server_port
}
# A Kubernetes API server: the real cluster HELM_X_E2E_KUBECONFIG names,
# else the stand-in (tests/e2e/apiserver.py), stopped by the trap below.
api_pid=
if [ -n "${HELM_X_E2E_KUBECONFIG:-}" ]; then
	export KUBECONFIG="$HELM_X_E2E_KUBECONFIG"
	echo "# against the cluster of $KUBECONFIG"
else
	# this one serves helmfile-real.sh; each Helm below starts its own
	apiserver_start "$SCRATCH/api" 9 APISERVER_FAULTS="$SCRATCH/api-faults"
	api_pid=$apiserver_pid
	api_port=$apiserver_port
	cat >"$SCRATCH/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: stand-in
  cluster: {server: "http://127.0.0.1:$api_port"}
contexts:
- name: stand-in
  context: {cluster: stand-in, namespace: default}
current-context: stand-in
users:
- name: nobody
  user: {}
KC
	export KUBECONFIG="$SCRATCH/kubeconfig"
fi
# An OCI registry (Debian's docker-registry) on 127.0.0.1 for oci://
# charts, with the chart pushed by helm push --plain-http.
reg_pid=
reg_port=
if command -v docker-registry >/dev/null 2>&1; then
	mkdir -p "$SCRATCH/registry"
	printf 'version: 0.1\nlog: {level: info}\nstorage:\n  filesystem: {rootdirectory: "%s"}\nhttp: {addr: "127.0.0.1:0"}\n' \
		"$SCRATCH/registry/data" >"$SCRATCH/registry/config.yml"
	docker-registry serve "$SCRATCH/registry/config.yml" \
		>"$SCRATCH/registry/log" 2>&1 &
	reg_pid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		reg_port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
			"$SCRATCH/registry/log" | head -n 1)
		[ -n "$reg_port" ] && break
		sleep 0.2
	done
	[ -n "$reg_port" ] || echo "# the OCI registry did not start"
	HELM_REGISTRY_CONFIG="$SCRATCH/registry/auth.json" \
		"$tools/helm3" push "$SCRATCH/repo/web-1.2.3.tgz" \
		"oci://127.0.0.1:$reg_port/charts" --plain-http \
		>"$SCRATCH/registry/push" 2>&1 ||
		echo "# helm push to the OCI registry failed"
	HELM_REGISTRY_CONFIG="$SCRATCH/registry/auth.json" \
		"$tools/helm3" push "$SCRATCH/repo/fluxapp-0.3.1.tgz" \
		"oci://127.0.0.1:$reg_port/charts" --plain-http \
		>>"$SCRATCH/registry/push" 2>&1 ||
		echo "# helm push of fluxapp to the OCI registry failed"
else
	echo "# SKIP: no docker-registry (tests/deps.sh installs it): no oci:// tests"
fi
# make dist's tarballs served on 127.0.0.1 for the download install
# (tests/e2e/dist.sh): ok/ as made, badsum/ with a wrong .sha256,
# corrupt/ with a tarball that is no release (and its right sha256)
dist_pid=
dist_port=
newver=
dsrv="$SCRATCH/dist-srv"
mkdir -p "$dsrv/ok" "$dsrv/badsum" "$dsrv/corrupt"
# the next version (patch number + 1), for this machine's architecture
# only: what helm plugin update of a git install fetches.  Built beside
# make dist's own builds (one compiler per core).
cur=$(sed -n 's/^version: "\(.*\)"$/\1/p' plugin.yaml)
newver=${cur%.*}.$((${cur##*.} + 1))
case $(uname -m) in
x86_64) newarch=amd64 ;;
aarch64) newarch=arm64 ;;
*) newarch= ;;
esac
nv="$SCRATCH/next-version"
mkdir -p "$nv"
cp -R plugin.yaml plugin.complete install-binary.sh x-patch src include \
	tools "$nv/"
sed -i "s/^version: \"$cur\"$/version: \"$newver\"/" "$nv/plugin.yaml"
sed -i "s/HX_VERSION \"$cur\"/HX_VERSION \"$newver\"/" "$nv/include/hx/version.h"
nv_pid=
if [ -n "$newarch" ]; then
	DIST_DIR="$nv/dist" DIST_ARCHES=$newarch sh "$nv/tools/dist.sh" \
		>"$SCRATCH/dist-next.log" 2>&1 &
	nv_pid=$!
fi
# make dist's two architectures side by side too
DIST_DIR="$SCRATCH/dist" DIST_ARCHES=arm64 sh tools/dist.sh \
	>"$SCRATCH/dist-arm64.log" 2>&1 &
arm_pid=$!
DIST_DIR="$SCRATCH/dist" DIST_ARCHES=amd64 sh tools/dist.sh >"$SCRATCH/dist.log" 2>&1
dist_ok=$?
wait "$arm_pid" || sed 's/^/# dist arm64: /' "$SCRATCH/dist-arm64.log"
if [ -z "$nv_pid" ] || ! wait "$nv_pid"; then
	newver=
fi
if [ "$dist_ok" = 0 ]; then
	cp "$SCRATCH/dist/"*.tar.gz* "$dsrv/ok/"
	cp "$SCRATCH/dist/"*.tar.gz* "$dsrv/badsum/"
	[ -n "$newver" ] && cp "$nv/dist/"*.tar.gz* "$dsrv/ok/"
	for f in "$dsrv/badsum/"*.sha256; do
		sed -i 's/^[0-9a-f]\{8\}/00000000/' "$f"
	done
	for f in "$SCRATCH/dist/"*.tar.gz; do
		b=$(basename "$f")
		head -c 1000 "$f" >"$dsrv/corrupt/$b"
		(cd "$dsrv/corrupt" && sha256sum "$b" >"$b.sha256")
	done
	python3 -u -m http.server --bind 127.0.0.1 --directory "$dsrv" 0 \
		>"$SCRATCH/dist-http.log" 2>&1 &
	dist_pid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		dist_port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$SCRATCH/dist-http.log" | head -n 1)
		[ -n "$dist_port" ] && break
		sleep 0.2
	done
else
	echo "# make dist failed: no download install tests"
	sed 's/^/#   /' "$SCRATCH/dist.log"
fi
trap 'kill $http_pid $api_pid $reg_pid $dist_pid 2>/dev/null; rm -rf "$SCRATCH"' EXIT
port=
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$SCRATCH/http.log" | head -n 1)
	[ -n "$port" ] && break
	sleep 0.2
done
[ -n "$port" ] || echo "# the chart repository server did not start"

# Each Helm runs in parallel, in a subshell of its own: its own scratch
# dir, HELM_* dirs and stand-in API server (faults injected by one run
# must not hit another's requests); the chart repository and the
# registry are shared.  Its TAP lines go to E2E/HELM.tap, its count to
# E2E/HELM.n; they are printed in order, renumbered, once all are done.
E2E=$SCRATCH
pids=
for helm in ${HELM_X_E2E_HELMS:-helm3 helm4 helm4.2}; do
	mkdir -p "$E2E/$helm.d"
	(
	SCRATCH="$E2E/$helm.d"
	n=0
	if [ -z "${HELM_X_E2E_KUBECONFIG:-}" ]; then
		apiserver_start "$SCRATCH/api" 9 \
			APISERVER_FAULTS="$SCRATCH/api-faults" \
			APISERVER_PATCH_LOG="$SCRATCH/api-patches"
		helm_api_pid=$apiserver_pid
		sed "s|127.0.0.1:$api_port|127.0.0.1:$apiserver_port|" \
			"$E2E/kubeconfig" >"$SCRATCH/kubeconfig"
		export KUBECONFIG="$SCRATCH/kubeconfig"
	fi
	H="$tools/$helm"
	# for namespaces, which are DNS labels: helm4.2 -> helm4-2
	dns_helm=$(echo "$helm" | tr . -)
	echo "# ---- $helm"
	home="$SCRATCH/$helm"
	mkdir -p "$home"
	export HELM_DATA_HOME="$home/data" HELM_CONFIG_HOME="$home/config" \
		HELM_CACHE_HOME="$home/cache" HELM_PLUGINS="$home/data/plugins"
	# Helm 3 after every Helm 4 step, on the same plugin dir: H runs the
	# Helm 4 step, then Helm 3's plugin list on this HELM_PLUGINS; each
	# step after which Helm 3 could not load its plugins is a line of
	# h3.log.
	h3log="$home/h3.log"
	h3steps="$home/h3.steps"
	: >"$h3log"
	: >"$h3steps"
	if [ "$helm" != helm3 ] && [ -x "$tools/helm3" ]; then
		H="$home/helm-then-helm3"
		cat >"$H" <<SH
#!/bin/sh
"$tools/$helm" "\$@"
s=\$?
echo . >>"$h3steps"
e="$home/h3.err.\$\$"
if ! HELM_PLUGINS="$HELM_PLUGINS" "$tools/helm3" plugin list >/dev/null 2>"\$e" ||
	grep -q 'failed to load plugins' "\$e"; then
	printf '%s: %s\\n' "\$*" "\$(head -n 1 "\$e")" >>"$h3log"
fi
rm -f "\$e"
exit \$s
SH
		chmod +x "$H"
	fi

	"$H" plugin install "$TOP" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm plugin install" 0
	"$H" x version >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: helm x version runs the plugin" "^helm-x "
	# shell completion through the plugin's plugin.complete
	"$H" __complete x tem >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: completion of a command" "^template$"
	"$H" __complete x template --strategic >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: completion of a flag" "^--strategic-merge-patch$"

	# a chart: only the patched lines differ from plain helm template
	"$H" template rel testdata/charts/web --include-crds >"$SCRATCH/plain"
	"$H" x template rel testdata/charts/web --include-crds --patches "$P" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: template a chart with patches" 0
	printf '%s\n' '+        image: "nginx:1.28"' '+  type: NodePort' \
		'-        image: "nginx:1.27"' >"$SCRATCH/want"
	changed "$SCRATCH/plain" "$SCRATCH/out" >"$SCRATCH/got"
	if cmp -s "$SCRATCH/got" "$SCRATCH/want"; then
		ok "$helm: only the patched lines differ from helm template"
	else
		not_ok "$helm: only the patched lines differ from helm template"
		sed 's/^/#   /' "$SCRATCH/got"
	fi
	for what in "# Source: web/templates/tests/test-connection.yaml" \
		"# Source: web/templates/hook-migrate.yaml" \
		"# Source: web/charts/cache/templates/statefulset.yaml" \
		"# Source: web/crds/widgets.yaml" \
		"template: 'Hello {{ .User }}'" \
		"args: \[\"--greeting\", \"{{ name }}\"\]"; do
		expect_grep "$helm: kept: $what" "$what"
	done

	# values, namespace (helm -n arrives as HELM_NAMESPACE)
	"$H" -n staging x template rel testdata/charts/web --set replicas=5 \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: --set reaches helm template" "replicas: 5"

	# a packaged chart
	"$H" package testdata/charts/web -d "$SCRATCH" >/dev/null
	"$H" x template rel "$SCRATCH/web-1.2.3.tgz" --patches "$P" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: template a .tgz" 0
	expect_grep "$helm: the .tgz is patched" 'image: "nginx:1.28"'

	# a chart from a repository, by --repo URL and --version
	"$H" x template rel web --repo "http://127.0.0.1:$port" \
		--version 1.2.3 --patches "$P" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: template REPO CHART --version from a chart repository" 0
	expect_grep "$helm: the pulled chart is patched" 'image: "nginx:1.28"'
	"$H" repo add local "http://127.0.0.1:$port" >/dev/null 2>&1
	"$H" x template rel local/web --version 1.2.3 >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: template repo/chart --version" "name: rel-web"

	# diff offline: no cluster, no kubeconfig
	"$H" x template rel testdata/charts/web >"$SCRATCH/main.yaml" 2>"$SCRATCH/err"
	KUBECONFIG="$SCRATCH/no-such-kubeconfig" "$H" x diff rel testdata/charts/web \
		--from "$SCRATCH/main.yaml" --patches "$P" --detailed-exitcode \
		--no-color >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	grep '^[-+] ' "$SCRATCH/out" | sort >"$SCRATCH/got"
	printf '%s\n' '+         image: "nginx:1.28"' '-         image: "nginx:1.27"' \
		'+   type: NodePort' | sort >"$SCRATCH/want"
	if [ "$status" = 2 ] && cmp -s "$SCRATCH/got" "$SCRATCH/want"; then
		ok "$helm: diff --from a saved render, offline: only the patches, exit 2"
	else
		not_ok "$helm: diff --from (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi
	"$H" x template rel testdata/charts/web --set replicas=3 \
		>"$SCRATCH/pr.yaml" 2>"$SCRATCH/err"
	KUBECONFIG="$SCRATCH/no-such-kubeconfig" "$H" x diff manifests \
		"$SCRATCH/main.yaml" "$SCRATCH/pr.yaml" --output simple \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: diff manifests of two renders, offline" \
		"^default, rel-web, Deployment (apps) to be changed.$"
	# every --color spelling helm-diff users type, after the command and
	# before it (helm hands that one on in front of the plugin's words;
	# Helm 4 reads --color itself wherever it stands)
	esc=$(printf '\033')
	# (Helm 4 itself refuses --color=true: its values are never, auto
	# and always)
	for spell in "x diff manifests @ --color" "x diff manifests @ --color=always" \
		"x diff manifests @ --color always" "x diff manifests @ --color=true" \
		"--color always x diff manifests @" "--color=always x diff manifests @" \
		"x diff manifests @ --color=never" "x diff manifests @ --color never" \
		"--color never x diff manifests @" "x diff manifests @ --no-color"; do
		case $helm:$spell in helm4*:*=true) continue ;; esac
		# shellcheck disable=SC2086 # the spelling's words
		set -- $spell
		for w in "$@"; do
			if [ "$w" = @ ]; then
				set -- "$@" "$SCRATCH/main.yaml" "$SCRATCH/pr.yaml"
			else
				set -- "$@" "$w"
			fi
			shift
		done
		"$H" "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		case $spell in
		*never* | *no-color*) want=0 ;;
		*) want=1 ;;
		esac
		got=0
		grep -q "$esc\[" "$SCRATCH/out" && got=1
		if [ "$status" = 0 ] && [ "$got" = "$want" ] && [ ! -s "$SCRATCH/err" ]; then
			ok "$helm: helm $spell: colour $want"
		else
			not_ok "$helm: helm $spell (exit $status, colour $got, want $want)"
			sed 's/^/#   /' "$SCRATCH/err" | head -3
		fi
	done

	# an oci:// chart from a real registry, with --version and --plain-http
	if [ -n "$reg_port" ]; then
		oci="oci://127.0.0.1:$reg_port/charts/web"
		"$H" x template rel "$oci" --version 1.2.3 --plain-http \
			--patches "$P" >"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		expect_status "$helm: template an oci:// chart (--version, --plain-http)" 0
		expect_grep "$helm: the oci:// chart is patched" 'image: "nginx:1.28"'
		expect_grep "$helm: the oci:// chart keeps its Source lines" \
			'^# Source: web/templates/deployment.yaml'
		"$H" x template rel "$oci" --version 1.2.3 --plain-http \
			>"$SCRATCH/oci-main.yaml" 2>"$SCRATCH/err"
		"$H" x diff rel "$oci" --version 1.2.3 --plain-http --patches "$P" \
			--from "$SCRATCH/oci-main.yaml" --output simple \
			>"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		expect_grep "$helm: diff an oci:// chart (--from)" \
			"^Plan: 0 to add, 2 to change, 0 to destroy, 0 to change ownership.$"
		"$H" x template rel "$oci" --version 9.9.9 --plain-http \
			>"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		expect_grep "$helm: a missing oci:// version is helm pull's error" \
			"helm-x: error: 'helm pull' exited with status 1" "$SCRATCH/err"
		"$H" x template rel testdata/charts/web --plain-http \
			>"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		expect_err "$helm: --plain-http with a local chart is refused" \
			"helm-x: error: '--plain-http' is for pulling a chart (oci://..., REPO/CHART or --repo URL), and 'testdata/charts/web' is local"
	fi

	# --dependency adds a subchart from a repository to a copy of the chart
	sum_before=$(find testdata/charts/web -type f | sort | xargs cksum | cksum)
	"$H" x template rel testdata/charts/web \
		--dependency extra=local/web:1.2.3 >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: template --dependency" 0
	expect_grep "$helm: the added subchart renders under its alias" \
		"^# Source: web/charts/extra/templates/deployment.yaml"
	if [ "$(find testdata/charts/web -type f | sort | xargs cksum | cksum)" = "$sum_before" ]; then
		ok "$helm: the user's chart is never written to"
	else
		not_ok "$helm: the user's chart changed"
	fi
	# an apiVersion v1 chart (podinfo's kind) lists it in requirements.yaml
	mkdir -p "$SCRATCH/v1chart/templates"
	printf 'apiVersion: v1\nname: old\nversion: 0.1.0\n' >"$SCRATCH/v1chart/Chart.yaml"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-old\n' \
		>"$SCRATCH/v1chart/templates/cm.yaml"
	"$H" x template rel "$SCRATCH/v1chart" \
		--dependency extra=local/web:1.2.3 >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: --dependency on an apiVersion v1 chart" \
		"^# Source: old/charts/extra/templates/deployment.yaml"
	if [ ! -e "$SCRATCH/v1chart/requirements.yaml" ] && [ ! -e "$SCRATCH/v1chart/charts" ]; then
		ok "$helm: the v1 chart is never written to"
	else
		not_ok "$helm: the v1 chart changed"
	fi
	# ... and to a kustomization and a manifest dir (the chart made for
	# them gets the subchart)
	for src in testdata/kustomize/tested testdata/manifests/web; do
		PATH="$tools:$PATH" "$H" x template rel "$src" \
			--dependency extra=local/web:1.2.3 >"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		expect_grep "$helm: --dependency with $src renders the subchart" \
			"^# Source: rel/charts/extra/templates/deployment.yaml"
		if grep -q 'Hang tight\|Saving 1 charts' "$SCRATCH/out"; then
			not_ok "$helm: helm dependency build's progress is on stdout"
		else
			ok "$helm: helm dependency build's progress stays off stdout"
		fi
	done
	"$H" x template rel testdata/charts/web --inject "sed s/nginx:1.27/nginx:injected/ FILE" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: template --inject runs on the patched stream" 'image: "nginx:injected"'

	# a kustomization, built by kubectl kustomize (first kustomize in PATH)
	PATH="$tools:$PATH" "$H" x template rel testdata/kustomize/web \
		--patches "$P" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: template a kustomization" 0
	expect_grep "$helm: the kustomization is patched" "type: NodePort"

	# a kustomization's values (old helm-x, chartify): images, namePrefix,
	# nameSuffix and namespace through an overlay in the temporary dir
	ksum=$(find testdata/kustomize -type f | sort | xargs cksum | cksum)
	PATH="$tools:$PATH" "$H" x template rel testdata/kustomize/web \
		-f testdata/kustomize/web-values.yaml >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: template a kustomization with -f values" 0
	expect_grep "$helm: values set namePrefix and nameSuffix" "name: team-kweb-v2"
	expect_grep "$helm: values set the namespace" "namespace: apps"
	expect_grep "$helm: values set the image" "image: registry.example.com/nginx:1.28"
	if [ "$(find testdata/kustomize -type f | sort | xargs cksum | cksum)" = "$ksum" ]; then
		ok "$helm: the user's kustomization is never written to"
	else
		not_ok "$helm: the user's kustomization changed"
	fi
	# --enable_alpha_plugins reaches kustomize (a legacy exec generator)
	XDG_CONFIG_HOME="$TOP/testdata/kustomize-plugins" PATH="$tools:$PATH" \
		"$H" x template rel testdata/kustomize/alpha --enable_alpha_plugins \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: --enable_alpha_plugins runs kustomize's plugins" \
		"made-by: alpha-plugin"
	XDG_CONFIG_HOME="$TOP/testdata/kustomize-plugins" PATH="$tools:$PATH" \
		"$H" x template rel testdata/kustomize/alpha >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: without it kustomize refuses the plugin" \
		"external plugins disabled" "$SCRATCH/err"
	# templates/tests of a kustomization or a manifest dir: test hooks
	PATH="$tools:$PATH" "$H" x template rel testdata/kustomize/tested \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: template a kustomization with templates/tests" 0
	expect_grep "$helm: its test renders as a template of the release" \
		'^  name: "rel-test-web"$'
	# values for a kustomization's tests: the keys they read reach them
	PATH="$tools:$PATH" "$H" x template rel testdata/kustomize/valued \
		-f testdata/kustomize/valued-values.yaml >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && grep -q '^    image: "busybox:1.36"$' "$SCRATCH/out" &&
		grep -q '^      - image: nginx:1.28$' "$SCRATCH/out"; then
		ok "$helm: -f with a kustomization: its tests read testImage, images go to kustomize"
	else
		not_ok "$helm: -f with a kustomization's tests (exit $status)"
		sed 's/^/#   /' "$SCRATCH/err"
	fi
	PATH="$tools:$PATH" "$H" x template rel testdata/kustomize/valued \
		--set testImage=alpine:3 >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && grep -q '^    image: "alpine:3"$' "$SCRATCH/out"; then
		ok "$helm: --set of a key a kustomization's tests read"
	else
		not_ok "$helm: --set with a kustomization's tests (exit $status)"
		sed 's/^/#   /' "$SCRATCH/err"
	fi
	"$H" x template rel testdata/manifests/tested >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: a manifest dir's templates/tests render too" \
		'^# Source: rel/templates/tests/test-config.yaml$'
	if [ "$status" = 0 ] && ! grep -q 'Release.Name' "$SCRATCH/out" &&
		grep -q '^  greeting: hello$' "$SCRATCH/out"; then
		ok "$helm: the tests are no raw manifests; the manifests stay"
	else
		not_ok "$helm: manifest dir with templates/tests (exit $status)"
	fi

	# a directory of raw manifests: frozen, sorted, patched
	"$H" x template rel testdata/manifests/web >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: template a manifest directory" 0
	expect_grep "$helm: raw manifests stay frozen" 'tmpl: "{{ .Values.x }}"'

	# lint: the temporary chart passes helm lint; no-match and duplicates fail
	"$H" x lint testdata/charts/web --patches "$P" >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: lint a patched chart" 0
	expect_grep "$helm: lint names the chart given, not the temporary chart" \
		"^==> Linting testdata/charts/web$"
	PATH="$tools:$PATH" "$H" x lint testdata/kustomize/web >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && grep -q '^==> Linting testdata/kustomize/web$' "$SCRATCH/out" &&
		! grep -q 'values.yaml' "$SCRATCH/out"; then
		ok "$helm: lint of a kustomization: no word of a values.yaml it lacks"
	else
		not_ok "$helm: lint of a kustomization (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err"
	fi
	# a manifest dir with a .json file (helm lint refuses a *.json
	# template, helm install renders it)
	mkdir -p "$SCRATCH/jsondir"
	printf '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}\n' \
		>"$SCRATCH/jsondir/cm.json"
	"$H" x lint "$SCRATCH/jsondir" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: lint of a manifest dir holding a .json file" 0
	"$H" x lint testdata/charts/web --allow-no-match \
		--json-patch tests/e2e/no-match.yaml >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	expect_err "$helm: lint fails on a no-match even with --allow-no-match" \
		"tests/e2e/no-match.yaml:1:1: error: patch 0 of --json-patch matched no document (target: kind=Ingress); the render holds no Ingress; its kinds: CustomResourceDefinition, ConfigMap, Service, Deployment, StatefulSet, Pod, Job"
	mkdir -p "$SCRATCH/dup"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' >"$SCRATCH/dup/1.yaml"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\n' >"$SCRATCH/dup/2.yaml"
	"$H" x lint "$SCRATCH/dup" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_err "$helm: lint fails on duplicate objects" \
		"helm-x: error: two objects are 'default, a, ConfigMap (v1)': in '$SCRATCH/dup/1.yaml' and in '$SCRATCH/dup/2.yaml'"

	# a hostile chart: its template names its own "# Source:" outside the
	# temporary chart; helm-x refuses it and writes nothing outside
	mkdir -p "$SCRATCH/evil/templates" "$SCRATCH/canary" "$SCRATCH/etmp"
	printf 'apiVersion: v2\nname: evil\nversion: 0.1.0\n' >"$SCRATCH/evil/Chart.yaml"
	printf '# Source: x/../../../canary/evil.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' \
		>"$SCRATCH/evil/templates/cm.yaml"
	for cmd in lint install; do
		if [ "$cmd" = lint ]; then set -- lint; else
			set -- install rel --dry-run=client; fi
		TMPDIR="$SCRATCH/etmp" "$H" x "$@" "$SCRATCH/evil" \
			>"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		expect_grep "$helm: $cmd refuses a # Source outside the chart" \
			"error: '# Source: x/../../../canary/evil.yaml': '..' component" \
			"$SCRATCH/err"
		if [ "$status" = 1 ] && [ -z "$(find "$SCRATCH/canary" "$SCRATCH/etmp" -mindepth 1)" ]; then
			ok "$helm: $cmd of a hostile chart: exit 1, nothing written outside, no temporary dir left"
		else
			not_ok "$helm: $cmd of a hostile chart: exit $status, files: $(find "$SCRATCH/canary" "$SCRATCH/etmp" -mindepth 1)"
		fi
	done

	if [ "$helm" != helm3 ]; then
		# Helm 4 installs with --dry-run=client without a cluster: the
		# release differs from a plain install only by the patches
		"$H" install rel testdata/charts/web --dry-run=client \
			| grep -v '^LAST DEPLOYED' >"$SCRATCH/plain"
		"$H" x install rel testdata/charts/web --dry-run=client \
			--patches "$P" 2>"$SCRATCH/err" | grep -v '^LAST DEPLOYED' \
			>"$SCRATCH/out"
		printf '%s\n' '+        image: "nginx:1.28"' '+  type: NodePort' \
			'-        image: "nginx:1.27"' >"$SCRATCH/want"
		changed "$SCRATCH/plain" "$SCRATCH/out" >"$SCRATCH/got"
		if cmp -s "$SCRATCH/got" "$SCRATCH/want" &&
			grep -q '^NOTES:' "$SCRATCH/out" &&
			grep -q '# Source: web/charts/cache/templates/statefulset.yaml' "$SCRATCH/out"; then
			ok "$helm: install --dry-run: same Source lines, hooks, NOTES; only the patches differ"
		else
			not_ok "$helm: install --dry-run differs from a plain install"
			sed 's/^/#   /' "$SCRATCH/got" "$SCRATCH/err"
		fi
		: >"$SCRATCH/memdriver"
		HELM_DRIVER=memory HELM_MEMORY_DRIVER_DATA="$SCRATCH/memdriver" \
			"$H" x apply rel testdata/charts/web --dry-run=client \
			--patches "$P" >"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		expect_status "$helm: apply (upgrade --install) --dry-run" 0
		expect_grep "$helm: apply renders the patched release" 'image: "nginx:1.28"'
	fi

	# a cluster: install, get, upgrade, apply, uninstall (per helm, its own
	# namespaces: hx-$helm through helm x, plain-$helm with plain helm)
	ns=hx-$helm
	"$H" install web testdata/charts/web -n "plain-$dns_helm" --set replicas=4 \
		>/dev/null 2>"$SCRATCH/err"
	"$H" -n "$ns" x install web testdata/charts/web --set replicas=4 \
		--patches "$P" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm x install" 0
	expect_grep "$helm: NOTES come from the chart's template" \
		"web 1.2.3 is installed as web-web with 4 replicas."
	"$H" get manifest web -n "plain-$dns_helm" >"$SCRATCH/plain"
	"$H" get manifest web -n "$ns" >"$SCRATCH/out"
	changed "$SCRATCH/plain" "$SCRATCH/out" >"$SCRATCH/got"
	printf '%s\n' '+        image: "nginx:1.28"' '+  type: NodePort' \
		'-        image: "nginx:1.27"' >"$SCRATCH/want"
	if cmp -s "$SCRATCH/got" "$SCRATCH/want"; then
		ok "$helm: get manifest: the same # Source lines as plain helm, only the patches differ"
	else
		not_ok "$helm: get manifest differs from plain helm beyond the patches"
		sed 's/^/#   /' "$SCRATCH/got"
	fi
	"$H" get hooks web -n "$ns" >"$SCRATCH/out"
	expect_grep "$helm: the helm test hook is in the release" '"helm.sh/hook": test'
	expect_grep "$helm: the pre-install hook is in the release" 'pre-install,pre-upgrade'
	"$H" get values web -n "$ns" >"$SCRATCH/out"
	expect_grep "$helm: get values shows the values given" "replicas: 4"
	printf 'target: {kind: Deployment}\npatch: [{op: replace, path: /spec/template/spec/containers/0/image, value: "nginx:1.29"}]\n' \
		>"$SCRATCH/p2.yaml"

	# helm x diff against the release
	"$H" -n "$ns" x diff web testdata/charts/web --set replicas=4 \
		--patches "$P" --detailed-exitcode >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
		ok "$helm: diff with the install's own arguments: nothing, exit 0"
	else
		not_ok "$helm: diff right after install (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi
	"$H" -n "$ns" x diff upgrade web testdata/charts/web --set replicas=4 \
		--json-patch "$SCRATCH/p2.yaml" --detailed-exitcode --no-color \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	grep '^[-+] ' "$SCRATCH/out" | sort >"$SCRATCH/got"
	printf '%s\n' '+         image: "nginx:1.29"' '-         image: "nginx:1.28"' \
		'-   type: NodePort' | sort >"$SCRATCH/want"
	if [ "$status" = 2 ] && cmp -s "$SCRATCH/got" "$SCRATCH/want" &&
		grep -q "^$ns, web-web, Deployment (apps) has changed:$" "$SCRATCH/out"; then
		ok "$helm: diff upgrade with a changed patch: only the changed lines, exit 2"
	else
		not_ok "$helm: diff with a changed patch (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -30
	fi
	"$H" -n "$ns" x diff web testdata/charts/web --set replicas=4 \
		--json-patch "$SCRATCH/p2.yaml" -C 1 >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && grep -q '^\.\.\.$' "$SCRATCH/out" &&
		[ "$(grep -c '^  ' "$SCRATCH/out")" -le 6 ]; then
		ok "$helm: diff -C 1: context lines and '...'"
	else
		not_ok "$helm: diff -C 1 (exit $status)"
	fi
	for fmt in simple json markdown; do
		"$H" -n "$ns" x diff web testdata/charts/web --set replicas=4 \
			--json-patch "$SCRATCH/p2.yaml" --output "$fmt" \
			>"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		case $fmt in
		simple) want="^Plan: 0 to add, 2 to change, 0 to destroy, 0 to change ownership.$" ;;
		json) want='"change": "MODIFY"' ;;
		markdown) want="^| changed | \`Deployment\` (\`apps\`) | \`$ns\` | \`web-web\` |\$" ;;
		esac
		expect_grep "$helm: diff --output $fmt" "$want"
	done
	"$H" -n "$ns" x diff nope testdata/charts/web >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	expect_err "$helm: diff of a missing release: one line" \
		"helm-x: error: release 'nope' not found in namespace '$ns' (--allow-unreleased diffs against nothing)"
	"$H" -n "$ns" x diff nope testdata/charts/web --allow-unreleased \
		--detailed-exitcode >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 2 ] && grep -q "^$ns, nope-web, Deployment (apps) has been added:$" "$SCRATCH/out" &&
		! grep -q 'has changed\|has been removed' "$SCRATCH/out"; then
		ok "$helm: diff --allow-unreleased: everything is added"
	else
		not_ok "$helm: diff --allow-unreleased (exit $status)"
	fi
	"$H" -n "plain-$dns_helm" x diff web testdata/charts/web --set replicas=4 \
		--patches "$P" --no-color >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	grep '^[-+] ' "$SCRATCH/out" | sort >"$SCRATCH/got"
	printf '%s\n' '+         image: "nginx:1.28"' '-         image: "nginx:1.27"' \
		'+   type: NodePort' | sort >"$SCRATCH/want"
	if [ "$status" = 0 ] && cmp -s "$SCRATCH/got" "$SCRATCH/want"; then
		ok "$helm: diff against a release installed by plain helm: only what the patches change"
	else
		not_ok "$helm: diff against the plain release (exit $status)"
		sed 's/^/#   /' "$SCRATCH/got" "$SCRATCH/err" | head -20
	fi

	"$H" -n "$ns" x upgrade web testdata/charts/web --json-patch \
		"$SCRATCH/p2.yaml" >/dev/null 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm x upgrade with a changed patch" 0
	"$H" get manifest web -n "$ns" >"$SCRATCH/out"
	expect_grep "$helm: the upgraded release has the new patch" 'image: "nginx:1.29"'
	"$H" history web -n "$ns" >"$SCRATCH/out"
	expect_grep "$helm: history has revision 2" "^2 "
	"$H" -n "$ns" x diff web testdata/charts/web --json-patch \
		"$SCRATCH/p2.yaml" --detailed-exitcode >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
		ok "$helm: right after helm x upgrade, diff with its arguments: nothing, exit 0"
	else
		not_ok "$helm: diff right after upgrade (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi
	"$H" -n "$ns" x diff web testdata/charts/web --json-patch \
		"$SCRATCH/p2.yaml" --inject "sed s/nginx:1.29/nginx:injected/ FILE" \
		--no-color >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	grep '^[-+] ' "$SCRATCH/out" >"$SCRATCH/got"
	printf '%s\n' '-         image: "nginx:1.29"' '+         image: "nginx:injected"' \
		>"$SCRATCH/want"
	if [ "$status" = 0 ] && cmp -s "$SCRATCH/got" "$SCRATCH/want"; then
		ok "$helm: diff --inject: what the injected chart installs"
	else
		not_ok "$helm: diff --inject (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi
	"$H" -n "$ns" x apply web2 testdata/manifests/web >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm x apply installs a manifest dir" 0
	"$H" get manifest web2 -n "$ns" >"$SCRATCH/out"
	expect_grep "$helm: frozen {{ }} reaches the cluster as written" 'tmpl: "{{ .Values.x }}"'
	"$H" -n "$ns" x diff web2 testdata/manifests/web --detailed-exitcode \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
		ok "$helm: diff of a manifest dir right after apply: nothing"
	else
		not_ok "$helm: diff of the manifest dir after apply (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi
	# a Secret change is shown by size only; an object added, one removed
	mkdir -p "$SCRATCH/m2/sub"
	cp testdata/manifests/web/sub/b-secret.json "$SCRATCH/m2/sub/"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: added\n' \
		>"$SCRATCH/m2/c-added.yaml"
	printf 'target: {kind: Secret}\npatch: [{op: replace, path: /stringData/k, value: hunter22}]\n' \
		>"$SCRATCH/psec.yaml"
	"$H" -n "$ns" x diff web2 "$SCRATCH/m2" --json-patch "$SCRATCH/psec.yaml" \
		--no-color >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && ! grep -q hunter22 "$SCRATCH/out" &&
		grep -q "^-   k: '-------- # (1 bytes)'$" "$SCRATCH/out" &&
		grep -q "^+   k: '++++++++ # (8 bytes)'$" "$SCRATCH/out"; then
		ok "$helm: diff: a Secret's values are redacted, sizes shown"
	else
		not_ok "$helm: diff of a Secret (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi
	expect_grep "$helm: diff: an object only in the render is added" \
		"^$ns, added, ConfigMap (v1) has been added:$"
	expect_grep "$helm: diff: an object only in the release is removed" \
		"^$ns, raw, ConfigMap (v1) has been removed:$"
	# an oci:// chart installed from the registry
	if [ -n "$reg_port" ]; then
		"$H" -n "$ns" x install web4 "oci://127.0.0.1:$reg_port/charts/web" \
			--version 1.2.3 --plain-http --patches "$P" >"$SCRATCH/out" \
			2>"$SCRATCH/err"
		status=$?
		expect_status "$helm: helm x install an oci:// chart" 0
		"$H" get manifest web4 -n "$ns" >"$SCRATCH/out"
		expect_grep "$helm: the release from oci:// is patched" 'image: "nginx:1.28"'
		"$H" -n "$ns" x diff web4 "oci://127.0.0.1:$reg_port/charts/web" \
			--version 1.2.3 --plain-http --patches "$P" --detailed-exitcode \
			>"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
			ok "$helm: diff of the oci:// release with its arguments: nothing"
		else
			not_ok "$helm: diff of the oci:// release (exit $status)"
			sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
		fi
		"$H" uninstall web4 -n "$ns" >/dev/null 2>&1
	fi
	# a kustomization with templates/tests and a --dependency: the
	# release has the test hook and the subchart
	PATH="$tools:$PATH" "$H" -n "$ns" x apply web3 testdata/kustomize/tested \
		--dependency extra=local/web:1.2.3 >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm x apply a kustomization with tests and a dependency" 0
	"$H" get hooks web3 -n "$ns" >"$SCRATCH/out"
	expect_grep "$helm: its templates/tests are the release's test hooks" \
		'^# Source: web3/templates/tests/test-web.yaml'
	"$H" get manifest web3 -n "$ns" >"$SCRATCH/out"
	expect_grep "$helm: its --dependency is a subchart of the release" \
		'^# Source: web3/charts/extra/templates/deployment.yaml'
	PATH="$tools:$PATH" "$H" -n "$ns" x diff web3 testdata/kustomize/tested \
		--dependency extra=local/web:1.2.3 --detailed-exitcode \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
		ok "$helm: diff of a kustomization right after apply: nothing"
	else
		not_ok "$helm: diff of the kustomization after apply (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi
	"$H" -n "$ns" x install bad testdata/charts/web \
		--json-patch tests/e2e/no-match.yaml >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	"$H" list -n "$ns" -q >"$SCRATCH/list"
	if [ "$status" = 1 ] && ! grep -qx bad "$SCRATCH/list"; then
		ok "$helm: a patch that matches nothing installs nothing"
	else
		not_ok "$helm: a no-match install (exit $status)"
	fi
	# --inject and empty renders never delete a release's objects
	. tests/e2e/empty.sh
	# library subcharts' helpers, passwords kept with lookup
	. tests/e2e/library.sh
	# patches for the CRDs of crds/
	. tests/e2e/crds.sh
	# helm plugin update of a path install deletes nothing
	. tests/e2e/update.sh
	# the server dry run only where it can change the render
	. tests/e2e/fast.sh
	"$H" uninstall web web2 web3 -n "$ns" >/dev/null 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm uninstall" 0
	"$H" list -n "$ns" -q >"$SCRATCH/list"
	if [ ! -s "$SCRATCH/list" ]; then ok "$helm: nothing left after uninstall"; else
		not_ok "$helm: releases left: $(cat "$SCRATCH/list")"; fi
	"$H" uninstall web -n "plain-$dns_helm" >/dev/null 2>&1

	# helm-x as helm's post-renderer, and --post-render
	. tests/e2e/postrender.sh
	# charts rendered as the install will: reused values, lookup, revision
	. tests/e2e/live.sh
	# helm-x as helmfile's helm binary
	. tests/e2e/helmfile.sh
	# objects made without helm, adopted into a release
	. tests/e2e/adopt.sh
	# install, upgrade, apply and diff under injected API faults
	. tests/e2e/faults.sh
	# HelmReleases rendered, linted and diffed as helm-controller would
	. tests/e2e/flux.sh
	# helm-diff's revision, rollback and release
	. tests/e2e/helmdiff.sh
	# --three-way-merge against the patches helm sends
	. tests/e2e/threeway.sh
	# helm plugin install of the prebuilt binary, with no compiler
	. tests/e2e/dist.sh

	# failures: exit status, one line, nothing printed, no temp dir left
	"$H" x template rel "$SCRATCH/nope" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_err "$helm: a missing chart" \
		"helm-x: error: cannot open '$SCRATCH/nope': No such file or directory"
	"$H" x template rel testdata/charts/web --patches "$P" \
		--json-patch tests/e2e/no-match.yaml >"$SCRATCH/out" \
		2>"$SCRATCH/err"
	status=$?
	expect_err "$helm: a patch that matches nothing" \
		"tests/e2e/no-match.yaml:1:1: error: patch 0 of --json-patch matched no document (target: kind=Ingress); the render holds no Ingress; its kinds: ConfigMap, Service, Deployment, StatefulSet, Pod, Job"
	mkdir -p "$SCRATCH/tmp"
	TMPDIR="$SCRATCH/tmp" "$H" x template rel "$SCRATCH/web-1.2.3.tgz" \
		--set 'broken={' >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 1 ] && [ ! -s "$SCRATCH/out" ] &&
		grep -q "'helm template' exited with status 1" "$SCRATCH/err" &&
		[ -z "$(ls "$SCRATCH/tmp")" ]; then
		ok "$helm: a failing helm: its status, its stderr, no temp dir left"
	else
		not_ok "$helm: a failing helm (exit $status; tmp: $(ls "$SCRATCH/tmp"))"
		sed 's/^/#   /' "$SCRATCH/err"
	fi
	mkdir -p "$SCRATCH/badkz"
	printf 'resources: [missing.yaml]\n' >"$SCRATCH/badkz/kustomization.yaml"
	PATH="$tools:$PATH" "$H" x template rel "$SCRATCH/badkz" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 1 ] && [ ! -s "$SCRATCH/out" ] &&
		grep -q "'kubectl kustomize' exited with status 1" "$SCRATCH/err"; then
		ok "$helm: a failing kustomization"
	else
		not_ok "$helm: a failing kustomization (exit $status)"
		sed 's/^/#   /' "$SCRATCH/err"
	fi
	if [ "$helm" != helm3 ] && [ -x "$tools/helm3" ]; then
		if [ -s "$h3steps" ] && [ ! -s "$h3log" ]; then
			ok "$helm: Helm 3 loaded its plugins after each of $(wc -l <"$h3steps") Helm 4 steps"
		else
			not_ok "$helm: Helm 3 failed to load its plugins after some Helm 4 steps"
			sed 's/^/#   /' "$h3log" | head -20
		fi
	fi
	echo "$n" >"$E2E/$helm.n"
	[ -n "${helm_api_pid:-}" ] && kill "$helm_api_pid" 2>/dev/null
	) >"$E2E/$helm.tap" 2>&1 &
	pids="$pids $!"
done
# the image and the Argo CD plugin, once, beside the Helms
mkdir -p "$E2E/argocd.d"
(
	SCRATCH="$E2E/argocd.d"
	n=0
	. tests/e2e/image.sh
	. tests/e2e/argocd.sh
	echo "$n" >"$E2E/argocd.n"
) >"$E2E/argocd.tap" 2>&1 &
pids="$pids $!"
# shellcheck disable=SC2086 # a list of pids
wait $pids
SCRATCH=$E2E
for helm in ${HELM_X_E2E_HELMS:-helm3 helm4 helm4.2} argocd; do
	awk -v base="$n" '/^(not )?ok [0-9]+ /{ sub(/ok [0-9]+ /, "ok " (base + (++i)) " ") } { print }' \
		"$E2E/$helm.tap"
	if [ -s "$E2E/$helm.n" ]; then
		n=$((n + $(cat "$E2E/$helm.n")))
	else
		not_ok "$helm: the end-to-end run did not finish"
	fi
done
unset HELM_DATA_HOME HELM_CONFIG_HOME HELM_CACHE_HOME HELM_PLUGINS
. tests/e2e/helmfile-real.sh
echo "1..$n"
