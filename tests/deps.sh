#!/bin/sh
# Install the Debian packages helm-x needs to build and test (run as root).
# Only packages that are missing are installed.  --check installs nothing:
# it names what is missing and how to get it (make check runs it so).
set -eu
check=0
[ "${1:-}" = --check ] && check=1
need=""
arch=$(dpkg --print-architecture)
for p in gcc make pkg-config libc6-dev libyaml-dev libpcre2-dev libjansson-dev \
	valgrind python3 docker-registry cmark-gfm; do
	# with a foreign architecture added (make dist's arm64), a name
	# installed for both is ambiguous to dpkg: ask for this one's
	dpkg -s "$p" >/dev/null 2>&1 || dpkg -s "$p:$arch" >/dev/null 2>&1 ||
		need="$need $p"
done
if [ -z "$need" ]; then
	[ "$check" = 1 ] || echo "deps: all build and test packages are installed"
	exit 0
fi
if [ "$check" = 1 ]; then
	echo "deps: missing Debian packages:$need: 'make deps' (as root) installs them; their tests say SKIP" >&2
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$need" >&2
	echo "deps: run 'make deps' as root, or: apt-get install$need" >&2
	exit 1
fi
echo "deps: installing$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
