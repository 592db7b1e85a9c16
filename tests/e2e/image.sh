# shellcheck shell=sh
# shellcheck disable=SC2154,SC2034 # tools, E2E, reg_port, P come from
# run.sh; img_ctr is argocd.sh's
# Sourced by run.sh once: make image's image (tools/image.sh, with
# make dist's tarball of this run) built by buildah into a storage dir of
# this test; helm x, helm3 x and kubectl run in it as uid 999; pushed to
# the test's OCI registry.  Sets img_ctr (the container argocd.sh runs
# the plugin in) when all went well.
img_ctr=
case $(uname -m) in
x86_64) img_arch=amd64 ;;
aarch64) img_arch=arm64 ;;
*) img_arch= ;;
esac
img_ver=$(sed -n 's/^version: "\(.*\)"$/\1/p' plugin.yaml)
img_tgz="$E2E/dist/helm-x-$img_ver-linux-$img_arch.tar.gz"
if ! command -v buildah >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
	echo "# SKIP: no buildah or no /bin/busybox (sh tools/dist-deps.sh installs them): no image tests"
elif [ ! -f "$img_tgz" ]; then
	echo "# SKIP: no make dist tarball for $img_arch: no image tests"
else
	BR="$SCRATCH/buildah"
	HELM4="$SCRATCH/no-helm" sh tools/image.sh >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 1 ] && [ "$(cat "$SCRATCH/err")" = "image: no $SCRATCH/no-helm: make tools fetches Helm and kubectl (or set HELM4, HELM3, KUBECTL)" ]; then
		ok "make image without a helm binary: one line, exit 1"
	else
		not_ok "make image without a helm binary (exit $status)"
		sed 's/^/#   /' "$SCRATCH/err" | head -3
	fi
	img_b() { buildah --storage-driver vfs --root "$BR" --runroot "$BR/run" "$@"; }
	if HELM_X_TARBALL="$img_tgz" BUILDAH_ROOT="$BR" IMAGE=helm-x:test \
		sh tools/image.sh >"$SCRATCH/image.out" 2>&1 &&
		img_b from --name hx-test helm-x:test >/dev/null 2>&1; then
		ok "make image builds the image: $(tail -n 1 "$SCRATCH/image.out")"
		img_run() {
			img_b run --isolation chroot \
				-v "$TOP/testdata:/src/testdata:ro" \
				-v "$SCRATCH/share:/src/share:ro" hx-test -- "$@"
		}
		mkdir -p "$SCRATCH/share"
		cp "$P" "$SCRATCH/share/patches.yaml"
		# shellcheck disable=SC2016 # expanded in the image
		img_run sh -c 'id -u; id -g; touch /tmp/w && echo tmp-writable; echo "$HOME"' \
			>"$SCRATCH/out" 2>"$SCRATCH/err"
		if [ "$(tr '\n' ' ' <"$SCRATCH/out")" = "999 999 tmp-writable /home/helm-x " ]; then
			ok "image: runs as uid 999, /tmp writable"
		else
			not_ok "image: user and /tmp ($(tr '\n' ' ' <"$SCRATCH/out"))"
			sed 's/^/#   /' "$SCRATCH/err" | head -5
		fi
		for pair in helm:helm4.2 helm3:helm3; do
			in=${pair%%:*}
			host=${pair#*:}
			img_run "$in" x template rel /src/testdata/charts/web \
				--patches /src/share/patches.yaml >"$SCRATCH/in.yaml" 2>"$SCRATCH/err"
			st=$?
			HELM_BIN="$tools/$host" HELM_PLUGIN_NAME=x "$HX" template rel \
				testdata/charts/web --patches "$P" >"$SCRATCH/host.yaml" 2>&1
			if [ "$st" = 0 ] && [ -s "$SCRATCH/in.yaml" ] &&
				cmp -s "$SCRATCH/in.yaml" "$SCRATCH/host.yaml"; then
				ok "image: '$in x template' prints what helm-x with $host prints here"
			else
				not_ok "image: '$in x template' (exit $st)"
				diff "$SCRATCH/host.yaml" "$SCRATCH/in.yaml" | head -10 | sed 's/^/#   /'
				sed 's/^/#   /' "$SCRATCH/err" | head -5
			fi
		done
		img_run kubectl version --client >"$SCRATCH/in.txt" 2>&1
		"$tools/kubectl" version --client >"$SCRATCH/host.txt" 2>&1
		if cmp -s "$SCRATCH/in.txt" "$SCRATCH/host.txt" &&
			grep -q '^Client Version' "$SCRATCH/in.txt"; then
			ok "image: kubectl is the tests' kubectl"
		else
			not_ok "image: kubectl version --client"
		fi
		if [ -z "$reg_port" ]; then
			echo "# SKIP: no OCI registry (docker-registry): the image is not pushed"
		elif img_b push --quiet --tls-verify=false helm-x:test \
				"docker://127.0.0.1:$reg_port/helm-x:$img_ver" >"$SCRATCH/out" 2>&1 &&
			[ "$(curl -s -o /dev/null -w '%{http_code}' \
				-H 'Accept: application/vnd.oci.image.manifest.v1+json' \
				"http://127.0.0.1:$reg_port/v2/helm-x/manifests/$img_ver")" = 200 ]; then
			ok "image: pushed to the OCI registry, its manifest served"
		else
			not_ok "image: push to the OCI registry"
			sed 's/^/#   /' "$SCRATCH/out" | head -5
		fi
		img_ctr=hx-test
	else
		not_ok "make image"
		sed 's/^/#   /' "$SCRATCH/image.out" | tail -15
	fi
fi
