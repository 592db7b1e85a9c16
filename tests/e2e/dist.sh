# shellcheck shell=sh
# shellcheck disable=SC2154 # H, helm, dist_port, dsrv come from run.sh
# Sourced by run.sh per helm: helm plugin install downloads make dist's
# static binary (served on 127.0.0.1) with no C compiler or make on PATH;
# a wrong sha256 and a corrupt tarball are refused and leave no plugin;
# with neither a download nor a compiler, one line says what to install.
if [ -z "$dist_port" ]; then
	echo "# SKIP: no make dist tarballs: no download install tests"
elif [ "$(uname -s)/$(uname -m)" != Linux/x86_64 ] &&
	[ "$(uname -s)/$(uname -m)" != Linux/aarch64 ]; then
	echo "# SKIP: no prebuilt binary for $(uname -s)/$(uname -m)"
else
	dl="$SCRATCH/dl"
	rm -rf "$dl"
	mkdir -p "$dl/nocc"
	# a PATH with every program here but compilers and make
	for f in /usr/local/bin/* /usr/bin/* /bin/*; do
		b=${f##*/}
		case $b in
		cc | gcc | gcc-* | *-gcc | *-gcc-* | make | gmake | c89 | c99 | clang* | tcc | *-linux-gnu-*) continue ;;
		esac
		[ -e "$dl/nocc/$b" ] || ln -s "$f" "$dl/nocc/$b"
	done
	# dl_install NAME URL: helm plugin install of a fresh source copy
	dl_install() {
		rm -rf "${dl:?}/${1:?}"
		mkdir -p "$dl/$1"
		cp -R "$TOP/plugin.yaml" "$TOP/plugin.complete" "$TOP/install-binary.sh" \
			"$TOP/x-patch" "$TOP/src" "$TOP/include" "$TOP/Makefile" "$dl/$1/"
		home="$dl/$1-home"
		HELM_DATA_HOME="$home/data" HELM_CONFIG_HOME="$home/config" \
			HELM_CACHE_HOME="$home/cache" HELM_PLUGINS="$home/data/plugins" \
			HELM_X_DOWNLOAD_URL="$2" PATH="$dl/nocc" \
			"$H" plugin install "$dl/$1" >"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
	}
	# dl_helm NAME ARGS...: helm with that install's HELM_* dirs
	dl_helm() {
		home="$dl/$1-home"
		shift
		HELM_DATA_HOME="$home/data" HELM_CONFIG_HOME="$home/config" \
			HELM_CACHE_HOME="$home/cache" HELM_PLUGINS="$home/data/plugins" \
			"$H" "$@"
	}
	dl_install ok "http://127.0.0.1:$dist_port/ok"
	expect_status "$helm: helm plugin install with no compiler downloads the prebuilt binary" 0
	dl_helm ok x version >"$SCRATCH/out" 2>&1
	expect_grep "$helm: the plugin runs the static binary" \
		"built as static, linux-"
	dl_helm ok x template rel testdata/charts/web --patches "$P" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	expect_grep "$helm: helm x template with the downloaded binary" \
		'image: "nginx:1.28"'
	for bad in badsum corrupt; do
		dl_install "$bad" "http://127.0.0.1:$dist_port/$bad"
		case $bad in
		badsum) why="does not match its sha256" ;;
		corrupt) why="is no helm-x release" ;;
		esac
		if [ "$status" != 0 ] && grep -q "$why.*: nothing installed$" "$SCRATCH/err" &&
			[ ! -e "$dl/$bad/bin/helm-x" ] &&
			! dl_helm "$bad" plugin list 2>/dev/null | grep -q '^x[[:space:]]'; then
			ok "$helm: a download that $why is refused, no plugin left"
		else
			not_ok "$helm: a download that $why (exit $status)"
			sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -8
		fi
	done
	dl_install offline "http://127.0.0.1:9/none"
	if [ "$status" != 0 ] &&
		grep -q "helm-x: no prebuilt binary at http://127.0.0.1:9/none/helm-x-" "$SCRATCH/out" &&
		grep -q "a C compiler and make are needed to build the plugin" "$SCRATCH/err" &&
		! dl_helm offline plugin list 2>/dev/null | grep -q '^x[[:space:]]'; then
		ok "$helm: no download and no compiler: one line says what to install, no plugin left"
	else
		not_ok "$helm: no download and no compiler (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -8
	fi
	# helm plugin update of a plugin installed from git (served by the
	# dumb HTTP protocol): Helm runs git pull and git clean -xdff (bin/
	# goes), then the update hook downloads the new version's binary
	if [ -n "$newver" ]; then
		work="$dl/gitwork-$helm"
		bare="$dsrv/git/$helm/helm-x.git"
		rm -rf "$work" "$bare"
		mkdir -p "$work"
		cp -R "$TOP/plugin.yaml" "$TOP/plugin.complete" "$TOP/install-binary.sh" \
			"$TOP/x-patch" "$TOP/src" "$TOP/include" "$TOP/Makefile" "$work/"
		git -C "$work" init -q -b main
		git -C "$work" add -A
		git -C "$work" -c user.name=t -c user.email=t@example.com commit -qm v0
		git clone -q --bare "$work" "$bare"
		git -C "$bare" update-server-info
		verify=
		case $helm in helm4*) verify=--verify=false ;; esac
		home="$dl/git-home"
		rm -rf "$home"
		# shellcheck disable=SC2086 # $verify: no word or one
		HELM_DATA_HOME="$home/data" HELM_CONFIG_HOME="$home/config" \
			HELM_CACHE_HOME="$home/cache" HELM_PLUGINS="$home/data/plugins" \
			HELM_X_DOWNLOAD_URL="http://127.0.0.1:$dist_port/ok" PATH="$dl/nocc" \
			"$H" plugin install "http://127.0.0.1:$dist_port/git/$helm/helm-x.git" \
			$verify >"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		expect_status "$helm: helm plugin install from a git URL downloads the binary" 0
		sed -i "s/^version: \".*\"$/version: \"$newver\"/" "$work/plugin.yaml"
		sed -i "s/HX_VERSION \".*\"/HX_VERSION \"$newver\"/" "$work/include/hx/version.h"
		git -C "$work" -c user.name=t -c user.email=t@example.com commit -qam v1
		git -C "$work" push -q "$bare" main
		git -C "$bare" update-server-info
		HELM_X_DOWNLOAD_URL="http://127.0.0.1:$dist_port/ok" PATH="$dl/nocc" \
			dl_helm git plugin update x >"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		dl_helm git x version >"$SCRATCH/ver" 2>&1
		if [ "$status" = 0 ] && grep -q "^helm-x $newver\$" "$SCRATCH/ver" &&
			grep -q "built as static" "$SCRATCH/ver" &&
			grep -q "installed the prebuilt helm-x-$newver-" "$SCRATCH/out"; then
			ok "$helm: helm plugin update x fetches the next version's binary ($newver)"
		else
			not_ok "$helm: helm plugin update x to $newver (exit $status)"
			sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" "$SCRATCH/ver" | head -12
		fi
	else
		echo "# SKIP: no tarball of a next version was built: no helm plugin update download test"
	fi
	# the other architecture's binary, under qemu
	arm="$dsrv/ok/helm-x-$(sed -n 's/^version: "\(.*\)"$/\1/p' plugin.yaml)-linux-arm64.tar.gz"
	if [ -f "$arm" ] && command -v qemu-aarch64-static >/dev/null 2>&1; then
		mkdir -p "$dl/arm64"
		tar -xzf "$arm" -C "$dl/arm64"
		printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' >"$dl/cm.yaml"
		printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n' >"$dl/smp.yaml"
		if HELM_PLUGIN_NAME=x qemu-aarch64-static "$dl"/arm64/*/bin/helm-x version |
			grep -q 'built as static, linux-arm64' &&
			qemu-aarch64-static "$dl"/arm64/*/bin/helm-x patch --strategic-merge-patch "$dl/smp.yaml" \
				"$dl/cm.yaml" | grep -q '^  k: v$'; then
			ok "$helm: the linux-arm64 binary runs under qemu and patches"
		else
			not_ok "$helm: the linux-arm64 binary under qemu"
		fi
	else
		echo "# SKIP: no linux-arm64 tarball or no qemu-aarch64-static (sh tools/dist-deps.sh)"
	fi
fi
