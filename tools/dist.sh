#!/bin/sh
# make dist: static helm-x binaries for linux-amd64 and linux-arm64 in
# dist/helm-x-VERSION-linux-ARCH.tar.gz, each with a .sha256 (the format
# of sha256sum).  VERSION comes from plugin.yaml.  arm64 is built with
# Debian's aarch64-linux-gnu-gcc and the :arm64 -dev packages
# (tools/dist-deps.sh installs them); without them it says SKIP.
# A tarball holds what the plugin directory needs to run: bin/helm-x,
# plugin.yaml, plugin.complete, install-binary.sh, x-patch/.  DIST_DIR
# (default dist) is where they go; DIST_ARCHES (default "amd64 arm64")
# which architectures.
set -eu
cd "$(dirname "$0")/.."
out=${DIST_DIR:-dist}
version=$(sed -n 's/^version: "\(.*\)"$/\1/p' plugin.yaml)
[ -n "$version" ] || { echo "dist: no version in plugin.yaml" >&2; exit 1; }
mkdir -p "$out"
built=0
stage=
trap 'if [ -n "$stage" ]; then rm -rf "$stage"; fi' EXIT
for arch in ${DIST_ARCHES:-amd64 arm64}; do
	case $arch in
	amd64) cc=${CC_AMD64:-gcc} triplet=x86_64-linux-gnu ;;
	arm64) cc=${CC_ARM64:-aarch64-linux-gnu-gcc} triplet=aarch64-linux-gnu ;;
	*)
		echo "dist: no such architecture: $arch (amd64, arm64)" >&2
		exit 1
		;;
	esac
	pc="/usr/lib/$triplet/pkgconfig"
	if ! command -v "$cc" >/dev/null 2>&1 ||
		! PKG_CONFIG_LIBDIR="$pc:/usr/share/pkgconfig" pkg-config --exists \
			yaml-0.1 libpcre2-8 jansson; then
		echo "SKIP: dist $arch: no $cc or no $triplet libyaml, PCRE2, jansson (sh tools/dist-deps.sh)"
		continue
	fi
	name="helm-x-$version-linux-$arch"
	stage="$out/$name"
	rm -rf "$stage"
	mkdir -p "$stage/bin" "$stage/x-patch"
	# shellcheck disable=SC2046 # pkg-config's words
	"$cc" -std=c11 -O2 -pthread -Iinclude -D_XOPEN_SOURCE=700 \
		-DHX_BUILD="\"static, linux-$arch, make dist\"" \
		$(PKG_CONFIG_LIBDIR="$pc:/usr/share/pkgconfig" pkg-config --cflags yaml-0.1 libpcre2-8 jansson) \
		-static -o "$stage/bin/helm-x" src/*.c \
		$(PKG_CONFIG_LIBDIR="$pc:/usr/share/pkgconfig" pkg-config --static --libs yaml-0.1 libpcre2-8 jansson) \
		-lm -pthread
	cp plugin.yaml plugin.complete install-binary.sh "$stage/"
	cp x-patch/plugin.yaml "$stage/x-patch/"
	# the same bytes for the same sources: owner, mode, order and time
	tar --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime='2026-01-01 00:00:00Z' -C "$out" -cf - "$name" |
		gzip -n >"$out/$name.tar.gz"
	rm -rf "$stage"
	stage=
	(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
	echo "dist: $out/$name.tar.gz"
	built=$((built + 1))
done
[ "$built" -gt 0 ] || { echo "dist: nothing built" >&2; exit 1; }
