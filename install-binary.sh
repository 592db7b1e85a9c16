#!/bin/sh
# Install helm-x's binary for the plugin: Helm runs this from the plugin
# dir on `helm plugin install` and `helm plugin update`.  First the
# prebuilt static binary of this version for this OS and architecture
# (from $HELM_X_DOWNLOAD_URL, default the project's release page), its
# sha256 checked; when there is none (another OS, offline,
# HELM_X_BUILD=1), a build from source with make.
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

# ---- the prebuilt binary ------------------------------------------------
# fetch URL FILE: curl or wget; 0 when FILE holds what URL served
fetch() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --connect-timeout 10 --max-time 300 -o "$2" "$1"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -T 10 -t 1 -O "$2" "$1"
	else
		return 1
	fi
}
sha256_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d' ' -f1
	else
		return 1
	fi
}
# 0: installed; 2: no download for us (build instead); 1: refused
download() {
	version=$(sed -n 's/^version: "\(.*\)"$/\1/p' plugin.yaml)
	case "$(uname -s)" in
	Linux) os=linux ;;
	*) return 2 ;;
	esac
	case "$(uname -m)" in
	x86_64 | amd64) arch=amd64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) return 2 ;;
	esac
	[ -n "$version" ] || return 2
	name="helm-x-$version-$os-$arch"
	base=${HELM_X_DOWNLOAD_URL:-https://github.com/helm-x/helm-x/releases/download/v$version}
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/helm-x-install.XXXXXX") || return 2
	if ! fetch "$base/$name.tar.gz" "$tmp/$name.tar.gz" 2>/dev/null ||
		! fetch "$base/$name.tar.gz.sha256" "$tmp/sum" 2>/dev/null; then
		rm -rf "$tmp"
		echo "helm-x: no prebuilt binary at $base/$name.tar.gz: building from source"
		return 2
	fi
	want=$(cut -d' ' -f1 "$tmp/sum")
	got=$(sha256_of "$tmp/$name.tar.gz") || got=
	if [ -z "$got" ] || [ "$got" != "$want" ]; then
		rm -rf "$tmp"
		echo "helm-x: $name.tar.gz from $base does not match its sha256 (want $want, got ${got:-nothing to check it with}): nothing installed" >&2
		return 1
	fi
	if ! tar -xzf "$tmp/$name.tar.gz" -C "$tmp" 2>/dev/null ||
		[ ! -f "$tmp/$name/bin/helm-x" ]; then
		rm -rf "$tmp"
		echo "helm-x: $name.tar.gz from $base is no helm-x release: nothing installed" >&2
		return 1
	fi
	mkdir -p bin
	# one rename: never half a binary in bin/
	if ! cp "$tmp/$name/bin/helm-x" "bin/.helm-x.new.$$" ||
		! chmod 755 "bin/.helm-x.new.$$" ||
		! mv -f "bin/.helm-x.new.$$" bin/helm-x; then
		rm -f "bin/.helm-x.new.$$"
		rm -rf "$tmp"
		echo "helm-x: cannot write $dir/bin/helm-x" >&2
		return 1
	fi
	rm -rf "$tmp"
	echo "helm-x: installed the prebuilt $name (sha256 $got)"
	return 0
}
# A refused install leaves no plugin behind that cannot run: Helm keeps
# the plugin dir after a failed hook, so the hook takes it away when it
# is a link (a path install) or a dir of links (made above).  An update
# keeps the binary it had.
refuse() {
	if [ "${1:-}" != update ] && [ -n "$link" ]; then
		if [ -L "$link" ]; then
			rm -f "$link" &&
				echo "helm-x: the plugin is not installed" >&2
		elif [ -d "$link" ] &&
			[ -z "$(find "$link" -mindepth 1 -maxdepth 1 ! -type l | head -n 1)" ]; then
			rm -rf "$link" &&
				echo "helm-x: the plugin is not installed" >&2
		else
			echo "helm-x: remove it with 'helm plugin uninstall x'" >&2
		fi
	fi
	exit 1
}
if [ "${HELM_X_BUILD:-0}" != 1 ]; then
	set +e
	download
	r=$?
	set -e
	[ "$r" = 0 ] && exit 0
	[ "$r" = 1 ] && refuse "${1:-}"
fi

# ---- from source ----------------------------------------------------------
if ! command -v make >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
	echo "helm-x: no prebuilt binary for $(uname -s)/$(uname -m), and a C compiler and make are needed to build the plugin:" >&2
	echo "helm-x:   apt-get install gcc make pkg-config libyaml-dev libpcre2-dev libjansson-dev" >&2
	refuse "${1:-}"
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
