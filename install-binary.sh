#!/bin/sh
# Build helm-x for the plugin: Helm runs this from the plugin dir on
# `helm plugin install` and `helm plugin update`.
set -eu
dir=$(cd -P "$(dirname "$0")" && pwd -P)
cd "$dir"

# A path install (helm plugin install DIR) is a link to DIR.  When DIR is a
# git clone, helm plugin update takes it for a plugin Helm cloned and runs
# git pull and git clean -xdff in it, deleting the clone's untracked files
# (yours, and bin/).  So the link becomes a directory of links to DIR's
# entries but .git: the plugin runs from DIR as before, helm plugin update
# refuses it ("cannot get information about plugin source"), and you
# update DIR with git pull and make.  helm plugin uninstall removes only
# the links.
link=${HELM_PLUGIN_DIR:-}
if [ -n "$link" ] && [ -L "$link" ] && [ -e "$dir/.git" ] &&
	[ "$(cd -P "$link" && pwd -P)" = "$dir" ]; then
	new="$link.helm-x-new.$$"
	mkdir "$new"
	for e in "$dir"/* "$dir"/.[!.]*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		[ "${e##*/}" = .git ] && continue
		ln -s "$e" "$new/${e##*/}"
	done
	if rm "$link" && mv "$new" "$link"; then
		echo "helm-x: $link links to the entries of $dir but .git: update it with 'git -C $dir pull && make -C $dir', not helm plugin update"
	else
		rm -rf "$new"
		echo "helm-x: could not replace the link $link" >&2
	fi
fi
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
