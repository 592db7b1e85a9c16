# shellcheck shell=sh
# shellcheck disable=SC2154 # H, helm, ns, status come from run.sh
# Sourced by run.sh per helm ($H, $helm, $ns, $SCRATCH): nothing deletes a
# release's objects by accident.  --inject with an in-place editor (sed -i)
# edits the files; one that empties them, and an upgrade whose patched
# render holds no object, are errors that leave the release as it was;
# --allow-empty lets the upgrade through.
ec="$SCRATCH/empty-chart"
mkdir -p "$ec/templates"
printf 'apiVersion: v2\nname: ec\nversion: 0.1.0\n' >"$ec/Chart.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-a\ndata:\n  k: before\n' \
	>"$ec/templates/a.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-b\ndata:\n  k: before\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-c\ndata:\n  k: before\n' \
	>"$ec/templates/b.yaml"
"$H" -n "$ns" x apply em "$ec" --inject 'sed -i s/before/in-place/ FILE' \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
"$H" get manifest em -n "$ns" >"$SCRATCH/got" 2>&1
if [ "$status" = 0 ] && [ "$(grep -c 'k: in-place' "$SCRATCH/got")" = 3 ]; then
	ok "$helm: --inject 'sed -i ... FILE' edits the files in place"
else
	not_ok "$helm: --inject with sed -i (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err" "$SCRATCH/got" | head -20
fi
# shellcheck disable=SC2016 # sed's own $
"$H" -n "$ns" x apply em "$ec" --inject 'sed -i 1,$d FILE' \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_err "$helm: --inject that empties a file is an error" \
	"helm-x: error: --inject: 'sed' left 0 of the 1 documents of 'templates/a.yaml' (it printed nothing); it must print the whole file on stdout (or edit FILE in place and print nothing)"
"$H" -n "$ns" x apply em "$ec" --inject "sed /^---\$/,\$d FILE" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_err "$helm: --inject that drops a document is an error" \
	"helm-x: error: --inject: 'sed' left 1 of the 2 documents of 'templates/b.yaml'; it must print the whole file on stdout (or edit FILE in place and print nothing)"
cat >"$SCRATCH/delete-all.yaml" <<'YAML'
patches:
- target: {kind: ConfigMap}
  patch: |-
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: any}
    $patch: delete
YAML
"$H" -n "$ns" x apply em "$ec" --patches "$SCRATCH/delete-all.yaml" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_err "$helm: an upgrade to no object is an error" \
	"helm-x: error: the patched render holds no object, and upgrading release 'em' with it would delete its 3 objects: check the patches and --inject commands, or pass --allow-empty if that is what you want"
"$H" history em -n "$ns" -o json >"$SCRATCH/got" 2>&1
if grep -q '"revision":1' "$SCRATCH/got" && ! grep -q '"revision":2' "$SCRATCH/got"; then
	ok "$helm: the refused upgrades left the release at revision 1"
else
	not_ok "$helm: the release changed: $(cat "$SCRATCH/got")"
fi
"$H" -n "$ns" x apply em "$ec" --patches "$SCRATCH/delete-all.yaml" \
	--allow-empty >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
"$H" get manifest em -n "$ns" >"$SCRATCH/got" 2>&1
if [ "$status" = 0 ] && ! grep -q 'kind:' "$SCRATCH/got"; then
	ok "$helm: --allow-empty upgrades the release to no object"
else
	not_ok "$helm: --allow-empty (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err" | head -5
fi
"$H" -n "$ns" x install em2 "$ec" --patches "$SCRATCH/delete-all.yaml" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: a first install of no object is helm's own choice" 0
"$H" uninstall em em2 -n "$ns" >/dev/null 2>&1
