# shellcheck shell=sh
# shellcheck disable=SC2154 # H, helm, ns, status come from run.sh
# Sourced by run.sh per helm: a patch for a CRD of crds/ works the same in
# template (with --include-crds; without, the no-match says to add it),
# diff (offline and against a release; CRDs diffed with --include-crds, as
# helm-diff does), lint and apply.
cat >"$SCRATCH/crd-patch.yaml" <<'YAML'
patches:
- target: {kind: CustomResourceDefinition, name: widgets.example.com}
  patch: '[{op: add, path: /metadata/labels, value: {patched: "yes"}}]'
YAML
"$H" x template rel testdata/charts/web --patches "$SCRATCH/crd-patch.yaml" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_err "$helm: template: a CRD patch without --include-crds says to add it" \
	"$SCRATCH/crd-patch.yaml:2:3: error: patch 0 of --patches matched no document (target: kind=CustomResourceDefinition, name=widgets.example.com); helm template leaves a chart's crds/ out: add --include-crds"
"$H" x template rel testdata/charts/web --patches "$SCRATCH/crd-patch.yaml" \
	--include-crds >"$SCRATCH/crd-main.yaml" 2>"$SCRATCH/err"
status=$?
if [ "$status" = 0 ] && grep -q '^    patched: "yes"$' "$SCRATCH/crd-main.yaml"; then
	ok "$helm: template --include-crds patches the CRD"
else
	not_ok "$helm: template --include-crds with a CRD patch (exit $status)"
fi
"$H" x template rel testdata/charts/web >"$SCRATCH/crd-old.yaml" 2>/dev/null
KUBECONFIG="$SCRATCH/no-such-kubeconfig" "$H" x diff rel testdata/charts/web \
	--from "$SCRATCH/crd-old.yaml" --patches "$SCRATCH/crd-patch.yaml" \
	--detailed-exitcode >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: diff --from with a CRD patch: CRDs are not diffed, nothing changed" 0
KUBECONFIG="$SCRATCH/no-such-kubeconfig" "$H" x diff rel testdata/charts/web \
	--from "$SCRATCH/crd-main.yaml" --patches "$SCRATCH/crd-patch.yaml" \
	--include-crds --detailed-exitcode >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: diff --from --include-crds against the patched render: nothing" 0
"$H" x lint testdata/charts/web --patches "$SCRATCH/crd-patch.yaml" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: lint with a CRD patch" 0
"$H" -n "$ns" x apply crd testdata/charts/web --patches "$SCRATCH/crd-patch.yaml" \
	--set replicas=1 >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: apply with a CRD patch" 0
"$H" -n "$ns" x diff upgrade crd testdata/charts/web --set replicas=1 \
	--patches "$SCRATCH/crd-patch.yaml" --detailed-exitcode \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
	ok "$helm: diff against the release with a CRD patch: nothing"
else
	not_ok "$helm: diff with a CRD patch (exit $status)"
	sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -8
fi
"$H" uninstall crd -n "$ns" >/dev/null 2>&1
