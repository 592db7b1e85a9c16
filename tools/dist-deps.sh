#!/bin/sh
# What make dist, make image and their tests need beyond tests/deps.sh
# (as root): the arm64 cross compiler and libraries (Debian multiarch),
# qemu-user-static to run the arm64 binary, buildah and busybox-static
# for the image.  Adds the arm64 architecture to dpkg.
set -eu
if [ "$(id -u)" != 0 ]; then
	echo "dist-deps: run as root" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
dpkg --print-foreign-architectures | grep -qx arm64 ||
	dpkg --add-architecture arm64
need=""
arch=$(dpkg --print-architecture)
for p in gcc-aarch64-linux-gnu libc6-dev:arm64 libyaml-dev:arm64 \
	libpcre2-dev:arm64 libjansson-dev:arm64 qemu-user-static buildah \
	busybox-static ca-certificates; do
	# with a foreign architecture added (make dist's arm64), a name
	# installed for both is ambiguous to dpkg: ask for this one's
	dpkg -s "$p" >/dev/null 2>&1 || dpkg -s "$p:$arch" >/dev/null 2>&1 ||
		need="$need $p"
done
[ -z "$need" ] && { echo "dist-deps: installed"; exit 0; }
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
echo "dist-deps: installed$need"
