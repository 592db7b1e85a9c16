# shellcheck shell=sh
# shellcheck disable=SC2154 # H, helm, status come from run.sh
# Sourced by run.sh per helm: helm plugin update x never deletes files it
# did not create.  A path install of a git clone whose link is named as
# its remote (the case where Helm took it for a plugin it cloned and ran
# git pull and git clean -xdff in it) is refused, and the clone's
# untracked files stay.
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1 && [ -x "$TOP/bin/helm-x" ]; then
	up="$SCRATCH/update-$helm"
	uphome="$up/home"
	mkdir -p "$up/src"
	clone="$up/src/$(basename "$TOP")"
	git clone -q "$TOP" "$clone"
	# the working tree's install hook and plugin files, as this change has them
	cp "$TOP/install-binary.sh" "$TOP/plugin.yaml" "$clone/"
	git -C "$clone" -c user.name=t -c user.email=t@example.com \
		commit -qam "as in the working tree" >/dev/null 2>&1
	mkdir -p "$clone/bin"
	cp "$TOP/bin/helm-x" "$clone/bin/helm-x"
	echo mine >"$clone/my-notes.txt"
	HELM_DATA_HOME="$uphome/data" HELM_CONFIG_HOME="$uphome/config" \
		HELM_CACHE_HOME="$uphome/cache" HELM_PLUGINS="$uphome/data/plugins" \
		"$H" plugin install "$clone" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm plugin install of a git clone" 0
	HELM_DATA_HOME="$uphome/data" HELM_CONFIG_HOME="$uphome/config" \
		HELM_CACHE_HOME="$uphome/cache" HELM_PLUGINS="$uphome/data/plugins" \
		"$H" x version >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_grep "$helm: the installed plugin runs the clone's binary" "^helm-x "
	HELM_DATA_HOME="$uphome/data" HELM_CONFIG_HOME="$uphome/config" \
		HELM_CACHE_HOME="$uphome/cache" HELM_PLUGINS="$uphome/data/plugins" \
		"$H" plugin update x >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" != 0 ] && [ -f "$clone/my-notes.txt" ] &&
		[ -x "$clone/bin/helm-x" ]; then
		ok "$helm: helm plugin update refuses a path install and deletes nothing"
	else
		not_ok "$helm: helm plugin update of a path install (exit $status; left: $(find "$clone" -maxdepth 1 -newer "$clone/Makefile" | tr "\n" " "))"
	fi
	HELM_DATA_HOME="$uphome/data" HELM_CONFIG_HOME="$uphome/config" \
		HELM_CACHE_HOME="$uphome/cache" HELM_PLUGINS="$uphome/data/plugins" \
		"$H" plugin uninstall x >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && [ -f "$clone/my-notes.txt" ] && [ -f "$clone/Makefile" ]; then
		ok "$helm: helm plugin uninstall removes the links, not the clone"
	else
		not_ok "$helm: helm plugin uninstall (exit $status)"
	fi
else
	echo "# SKIP: $TOP is no git clone with bin/helm-x: no helm plugin update test"
fi
