#!/bin/sh
# helm x install/upgrade render charts as the install itself will (helm
# install|upgrade --dry-run=server): reused values, lookup and the
# revision are the release's.  Sourced by tests/e2e/run.sh for each helm,
# with H, helm, SCRATCH and the cluster's KUBECONFIG set.
# shellcheck disable=SC2154,SC2034 # H, helm come from run.sh; status is read by expect_status

lns=live-$helm
"$H" -n "$lns" x install lv testdata/charts/live --set replicas=2 \
	--patches "$PLIVE" >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: helm x install of a chart using lookup and the revision" 0
"$H" get manifest lv -n "$lns" | grep '^  password: ' >"$SCRATCH/pw1"
for flag in --reuse-values --reset-then-reuse-values; do
	"$H" -n "$lns" x upgrade lv testdata/charts/live "$flag" --set other=x \
		--patches "$PLIVE" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm x upgrade $flag" 0
	"$H" get manifest lv -n "$lns" >"$SCRATCH/out"
	expect_grep "$helm: $flag: the release deploys the reused value (as plain helm)" \
		'^  replicas: "2"$'
done
"$H" get manifest lv -n "$lns" | grep '^  password: ' >"$SCRATCH/pw3"
if [ -s "$SCRATCH/pw1" ] && cmp -s "$SCRATCH/pw1" "$SCRATCH/pw3"; then
	ok "$helm: lookup keeps the generated password across three helm x installs/upgrades"
else
	not_ok "$helm: the password changed: $(cat "$SCRATCH/pw1" "$SCRATCH/pw3")"
fi
"$H" history lv -n "$lns" -o json >"$SCRATCH/hist"
"$H" get manifest lv -n "$lns" >"$SCRATCH/out"
if grep -q '"revision":3' "$SCRATCH/hist" &&
	grep -q '^    release-revision: "3"$' "$SCRATCH/out"; then
	ok "$helm: .Release.Revision in the render is helm history's (3)"
else
	not_ok "$helm: .Release.Revision: $(grep release-revision "$SCRATCH/out")"
fi
expect_grep "$helm: the live render is patched too" 'patched: "yes"'
# the words after -- go to helm upgrade alone, not to the render
"$H" -n "$lns" x upgrade lv testdata/charts/live --reuse-values \
	-- --description from-dashdash >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: -- --description reaches helm upgrade" 0
"$H" history lv -n "$lns" -o json >"$SCRATCH/hist"
expect_grep "$helm: ... and helm history shows it" '"description":"from-dashdash"' \
	"$SCRATCH/hist"
"$H" uninstall lv -n "$lns" >/dev/null 2>&1
