#!/bin/sh
# Build helm-x for the plugin: Helm runs this from the plugin dir on
# `helm plugin install` and `helm plugin update`.
set -eu
dir=$(cd -P "$(dirname "$0")" && pwd -P)
cd "$dir"
# helm plugin update: rebuild when a source is newer than the binary
if [ -x bin/helm-x ] && [ "${HELM_X_REBUILD:-0}" != 1 ] &&
	[ -z "$(find src include Makefile -newer bin/helm-x 2>/dev/null | head -n 1)" ]; then
	echo "helm-x: bin/helm-x is already built"
	exit 0
fi
if ! command -v make >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
	echo "helm-x: a C compiler and make are needed to build the plugin:" >&2
	echo "helm-x:   apt-get install gcc make pkg-config libyaml-dev libpcre2-dev libjansson-dev" >&2
	exit 1
fi
if ! pkg-config --exists yaml-0.1 libpcre2-8 jansson 2>/dev/null; then
	echo "helm-x: libyaml, PCRE2 and jansson are needed:" >&2
	echo "helm-x:   apt-get install pkg-config libyaml-dev libpcre2-dev libjansson-dev" >&2
	echo "helm-x: (or run 'make deps' as root in $dir)" >&2
	exit 1
fi
# a make that runs us (make check) must not pass its variables down:
# (SANITIZE=... comes in the environment too) or bin/helm-x stays missing
MAKEFLAGS='' MFLAGS='' MAKELEVEL='' make -s SANITIZE= all
echo "helm-x: built $dir/bin/helm-x"
