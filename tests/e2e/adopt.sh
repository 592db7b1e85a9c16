#!/bin/sh
# helm x adopt and --adopt: objects made in the cluster without helm become
# part of a release.  Sourced by tests/e2e/run.sh for each helm, with H,
# helm, tools, SCRATCH and the cluster's KUBECONFIG set.
# shellcheck disable=SC2154 # H, helm, tools come from run.sh

K="$tools/kubectl"
ans=adopt-$helm
export KUBECTL_BIN="$K"
"$K" create namespace "$ans" >/dev/null 2>&1
# what a chart will render, made by hand first
"$K" create configmap ad-live -n "$ans" --from-literal=made=by-hand \
	>/dev/null 2>"$SCRATCH/err" || sed 's/^/#   /' "$SCRATCH/err"
"$H" -n "$ans" x apply ad testdata/charts/live >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
if [ "$status" != 0 ] && grep -q "invalid ownership metadata" "$SCRATCH/err"; then
	ok "$helm: without --adopt helm refuses the object made by hand"
else
	not_ok "$helm: an unowned object (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
fi
"$H" uninstall ad -n "$ans" >/dev/null 2>&1
"$H" -n "$ans" x apply ad testdata/charts/live --adopt configmap/ad-live \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: helm x apply --adopt configmap/ad-live" 0
expect_grep "$helm: --adopt says what it adopted" \
	"^helm-x: configmap/ad-live adopted by release 'ad' in namespace '$ans'$" "$SCRATCH/err"
"$K" get configmap/ad-live -n "$ans" -o json >"$SCRATCH/out"
if grep -q '"meta.helm.sh/release-name": "ad"' "$SCRATCH/out" &&
	grep -q "\"meta.helm.sh/release-namespace\": \"$ans\"" "$SCRATCH/out" &&
	grep -q '"app.kubernetes.io/managed-by": "Helm"' "$SCRATCH/out"; then
	ok "$helm: the object carries the release's ownership metadata"
else
	not_ok "$helm: ownership metadata"
	sed 's/^/#   /' "$SCRATCH/out" | head -30
fi
"$H" get manifest ad -n "$ans" >"$SCRATCH/out"
expect_grep "$helm: the adopted object is in the release" '^  name: ad-live$'

# helm x adopt, on its own
"$K" create configmap orphan -n "$ans" >/dev/null 2>&1
"$H" -n "$ans" x adopt ad configmap/orphan >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: helm x adopt" 0
expect_grep "$helm: helm x adopt says so" \
	"^helm-x: configmap/orphan adopted by release 'ad' in namespace '$ans'$"
"$K" get configmap/orphan -n "$ans" -o json >"$SCRATCH/out"
expect_grep "$helm: helm x adopt set the owner" '"meta.helm.sh/release-name": "ad"'
"$H" -n "$ans" x adopt ad configmap/orphan >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_grep "$helm: adopting again changes nothing" \
	"^helm-x: configmap/orphan is already part of release 'ad'"

# an object another release owns is refused, and nothing changes
"$K" create configmap theirs -n "$ans" >/dev/null 2>&1
"$K" annotate configmap/theirs -n "$ans" meta.helm.sh/release-name=other \
	"meta.helm.sh/release-namespace=$ans" >/dev/null 2>&1
"$K" create configmap free -n "$ans" >/dev/null 2>&1
"$H" -n "$ans" x adopt ad configmap/free,configmap/theirs \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_err "$helm: an object of another release is refused, naming it" \
	"helm-x: error: 'configmap/theirs' belongs to release 'other' in namespace '$ans': helm-x adopts only objects of no release (helm upgrade --take-ownership takes it from the other release)"
"$K" get configmap/free -n "$ans" -o json >"$SCRATCH/out"
if grep -q 'meta.helm.sh/release-name' "$SCRATCH/out"; then
	not_ok "$helm: a refused adopt changed another object"
else
	ok "$helm: a refused adopt changes nothing"
fi
"$H" history ad -n "$ans" -o json >"$SCRATCH/before"
"$H" -n "$ans" x apply ad testdata/charts/live --adopt configmap/theirs \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
"$H" history ad -n "$ans" -o json >"$SCRATCH/after"
if [ "$status" = 1 ] && grep -q "belongs to release 'other'" "$SCRATCH/err" &&
	cmp -s "$SCRATCH/before" "$SCRATCH/after"; then
	ok "$helm: apply --adopt of another release's object: refused, no upgrade"
else
	not_ok "$helm: apply --adopt refused (exit $status)"
fi
"$H" uninstall ad -n "$ans" >/dev/null 2>&1
unset KUBECTL_BIN
