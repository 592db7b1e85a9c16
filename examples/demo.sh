#!/bin/sh
# The bundled example: `helm x template` of examples/chart with patches, the
# plugin installed into a throwaway Helm home, and what the patches changed
# against plain `helm template`.  Without helm (no npm to fetch it), the
# same patches on a rendered stream with `helm-x patch`.
set -eu
cd "$(dirname "$0")/.."
hx=$(pwd)/bin/helm-x
patches="--json-patch examples/patches/expose.yaml --strategic-merge-patch examples/patches/sidecar.yaml"
if sh tests/tools.sh >/dev/null 2>&1 && [ -x .tools/bin/helm4 ]; then
	helm=$(pwd)/.tools/bin/helm4
	home=$(mktemp -d)
	trap 'rm -rf "$home"' EXIT
	export HELM_DATA_HOME="$home/data" HELM_CONFIG_HOME="$home/config" \
		HELM_CACHE_HOME="$home/cache" HELM_PLUGINS="$home/data/plugins"
	"$helm" plugin install "$(pwd)" >/dev/null
	echo "\$ helm x template web examples/chart $patches"
	# shellcheck disable=SC2086
	"$helm" x template web examples/chart $patches >"$home/patched.yaml"
	cat "$home/patched.yaml"
	"$helm" template web examples/chart >"$home/plain.yaml"
	echo
	echo "# what the patches changed against plain helm template (the"
	echo "# ConfigMap and the # Source lines are byte for byte the same):"
	diff -u "$home/plain.yaml" "$home/patched.yaml" || true
else
	echo "helm-x demo: could not fetch helm (needs npm); showing helm-x patch"
	echo "\$ helm-x patch examples/rendered/web.yaml $patches"
	# shellcheck disable=SC2086
	"$hx" patch examples/rendered/web.yaml $patches
fi
