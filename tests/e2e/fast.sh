# shellcheck shell=sh
# shellcheck disable=SC2154 # H, helm, ns, status come from run.sh
# Sourced by run.sh per helm: the server dry run runs only where it can
# change the render.  A first install of a chart whose templates reach
# nothing of the cluster renders with helm template alone (and installs the
# same release as plain helm); its upgrade, and a first install of a chart
# with lookup, take the server dry run.
"$H" install fast-plain testdata/charts/hf -n "$ns" >/dev/null 2>&1
"$H" -n "$ns" x apply fast testdata/charts/hf --debug >"$SCRATCH/out" \
	2>"$SCRATCH/err"
status=$?
if [ "$status" = 0 ] && grep -q '^helm-x: run: .* history fast .*--max 1' "$SCRATCH/err" &&
	! grep -q -- '--dry-run=server' "$SCRATCH/err"; then
	ok "$helm: a first install of a chart that reads nothing of the cluster: no server dry run"
else
	not_ok "$helm: first install's runs (exit $status)"
	grep '^helm-x: run:' "$SCRATCH/err" | sed 's/^/#   /'
fi
"$H" get manifest fast -n "$ns" | sed 's/fast/R/g' >"$SCRATCH/got"
"$H" get manifest fast-plain -n "$ns" | sed 's/fast-plain/R/g' >"$SCRATCH/want"
if [ -s "$SCRATCH/want" ] && cmp -s "$SCRATCH/got" "$SCRATCH/want"; then
	ok "$helm: ... and installs the release plain helm installs, byte for byte"
else
	not_ok "$helm: the fast first install differs from plain helm"
	diff "$SCRATCH/want" "$SCRATCH/got" | sed 's/^/#   /' | head -10
fi
"$H" -n "$ns" x apply fast testdata/charts/hf --debug >"$SCRATCH/out" \
	2>"$SCRATCH/err"
status=$?
if [ "$status" = 0 ] && grep -q -- '--dry-run=server' "$SCRATCH/err"; then
	ok "$helm: its upgrade renders with the server dry run"
else
	not_ok "$helm: the upgrade's runs (exit $status)"
fi
"$H" -n "$ns" x apply fast-live testdata/charts/live --debug >"$SCRATCH/out" \
	2>"$SCRATCH/err"
status=$?
if [ "$status" = 0 ] && grep -q -- '--dry-run=server' "$SCRATCH/err"; then
	ok "$helm: a first install of a chart with lookup renders with the server dry run"
else
	not_ok "$helm: the lookup chart's first install (exit $status)"
fi
"$H" uninstall fast fast-plain fast-live -n "$ns" >/dev/null 2>&1
