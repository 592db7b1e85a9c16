# shellcheck shell=sh
# shellcheck disable=SC2154 # H, helm, ns, status come from run.sh
# Sourced by run.sh per helm ($H, $helm, $ns, $SCRATCH): a chart shaped like
# Bitnami's (testdata/charts/libapp) installs, upgrades, diffs and lints
# through the temporary chart.  Its NOTES.txt and templates include helpers
# of a library subchart that renders no document, and its Secret keeps a
# generated password with lookup, failing an upgrade that cannot find it
# (Bitnami's common.errors.upgrade.passwords.empty), so no render step may
# run as an upgrade without the cluster.
lib=testdata/charts/libapp
cat >"$SCRATCH/lib-patch.yaml" <<'YAML'
patches:
- target: {kind: ConfigMap}
  patch: '[{op: add, path: /data/patched, value: "yes"}]'
YAML
"$H" -n "$ns" x install lib "$lib" --patches "$SCRATCH/lib-patch.yaml" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: install a chart whose NOTES include a library's helpers" 0
expect_grep "$helm: its NOTES render with the library's helpers" \
	"^lib-libapp is installed; its password is in Secret lib-libapp.$"
"$H" get manifest lib -n "$ns" >"$SCRATCH/lib1" 2>&1
"$H" -n "$ns" x apply lib "$lib" --patches "$SCRATCH/lib-patch.yaml" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: upgrade a chart that guards its generated password" 0
"$H" get manifest lib -n "$ns" >"$SCRATCH/lib2" 2>&1
if grep -q '^  password: ..*' "$SCRATCH/lib1" && grep -q '^  patched: "yes"$' "$SCRATCH/lib2" &&
	[ "$(grep '^  password:' "$SCRATCH/lib1")" = "$(grep '^  password:' "$SCRATCH/lib2")" ]; then
	ok "$helm: the upgrade keeps the generated password (lookup) and the patch"
else
	not_ok "$helm: the password or the patch changed on upgrade"
fi
"$H" -n "$ns" x diff upgrade lib "$lib" --patches "$SCRATCH/lib-patch.yaml" \
	--detailed-exitcode >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
	ok "$helm: diff of the guarded chart right after the upgrade: nothing"
else
	not_ok "$helm: diff of the guarded chart (exit $status)"
	sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -10
fi
"$H" x lint "$lib" --patches "$SCRATCH/lib-patch.yaml" >"$SCRATCH/out" \
	2>"$SCRATCH/err"
status=$?
expect_status "$helm: lint a chart whose NOTES include a library's helpers" 0
# the library packaged, as helm dependency build leaves it
mkdir -p "$SCRATCH/libtgz/charts"
cp -r "$lib/Chart.yaml" "$lib/values.yaml" "$lib/templates" "$SCRATCH/libtgz/"
"$H" package "$lib/charts/common" -d "$SCRATCH/libtgz/charts" >/dev/null
"$H" -n "$ns" x install lib-tgz "$SCRATCH/libtgz" >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_grep "$helm: a packaged library subchart's helpers too" \
	"^lib-tgz-libapp is installed"
"$H" uninstall lib lib-tgz -n "$ns" >/dev/null 2>&1
