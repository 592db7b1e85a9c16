# shellcheck shell=sh
# shellcheck disable=SC2154 # H, helm come from run.sh
# Sourced by run.sh per helm: helm-diff's revision, rollback and release
# against releases with two revisions.
hns="hdiff-$dns_helm"
"$H" install hd testdata/charts/web -n "$hns" >/dev/null 2>"$SCRATCH/err" &&
	"$H" upgrade hd testdata/charts/web -n "$hns" --set replicas=5 \
		>/dev/null 2>>"$SCRATCH/err" &&
	"$H" install hd2 testdata/charts/web -n "$hns" >/dev/null 2>>"$SCRATCH/err"
status=$?
expect_status "$helm: helm-diff modes: two releases, one with two revisions" 0
# hd_diff DESC WANT-MINUS WANT-PLUS ARGS...: exit 2 and only those lines
hd_diff() {
	desc=$1 minus=$2 plus=$3
	shift 3
	"$H" -n "$hns" x diff "$@" --no-color -C 0 --detailed-exitcode \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 2 ] && [ "$(grep -c '^[-+] ' "$SCRATCH/out")" = 2 ] &&
		grep -qx -- "-   replicas: $minus" "$SCRATCH/out" &&
		grep -qx -- "+   replicas: $plus" "$SCRATCH/out" &&
		grep -qx "$hns, hd-web, Deployment (apps) has changed:" "$SCRATCH/out"; then
		ok "$helm: diff $desc"
	else
		not_ok "$helm: diff $desc (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -10
	fi
}
hd_diff "revision hd 1 2" 2 5 revision hd 1 2
hd_diff "revision hd 1: against the current one" 2 5 revision hd 1
hd_diff "rollback hd: back to the revision before" 5 2 rollback hd
hd_diff "rollback hd 1" 5 2 rollback hd 1
"$H" -n "$hns" x diff release hd hd2 --detailed-exitcode -o simple \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
if [ "$status" = 2 ] && grep -q "^$hns, hd2-web, Deployment (apps) to be added\.$" "$SCRATCH/out" &&
	grep -q "^$hns, hd-web, Deployment (apps) to be removed\.$" "$SCRATCH/out"; then
	ok "$helm: diff release hd hd2: the objects of each"
else
	not_ok "$helm: diff release (exit $status)"
	sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -10
fi
"$H" -n "$hns" x diff revision hd 9 >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
if [ "$status" = 1 ] && grep -q "release 'hd' (or that revision) not found\|'helm get manifest' exited" "$SCRATCH/err"; then
	ok "$helm: diff revision of a revision that is not there: an error"
else
	not_ok "$helm: diff revision hd 9 (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err" | head -5
fi
"$H" -n "$hns" x diff rollback hd2 >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_err "$helm: diff rollback of a release with one revision" \
	"helm-x: error: release 'hd2' has no revision before 1 to roll back to"
"$H" uninstall hd hd2 -n "$hns" >/dev/null 2>&1
