# shellcheck shell=sh
# shellcheck disable=SC2154,SC2034 # H, helm, tools, HX come from run.sh; status is read by expect_status
# Sourced by run.sh per helm: helm x diff --three-way-merge.  A release of
# random Deployments, Services and ConfigMaps (tests/e2e/threeway.py) is
# installed, its live objects edited by hand (and given what a server
# adds: status, defaults, managedFields), and the diff of an upgrade to
# changed values is checked against the upgrade itself: the strategic
# merge patches the real helm sends (client-side apply; Helm 4 with
# --server-side=false), as the stand-in records them, applied to the live
# objects by helm x patch, must make the diff helm x shows.
tns="tw-$dns_helm" # dns_helm: run.sh
tdir="$SCRATCH/threeway"
K="$tools/kubectl"
export KUBECTL_BIN="$K"
csa=
[ "$helm" = helm3 ] || csa=--server-side=false
# a case of its own for each helm (THREEWAY_SEED: another one)
case $helm in helm3) tseed=53 ;; helm4) tseed=7 ;; *) tseed=22 ;; esac
tseed=${THREEWAY_SEED:-$tseed}
rm -rf "$tdir"
mkdir -p "$tdir"
python3 tests/e2e/threeway.py gen "$tseed" 45 "$tdir"
"$H" install tw "$tdir/chart" -n "$tns" -f "$tdir/v1.yaml" $csa \
	>/dev/null 2>"$SCRATCH/err"
status=$?
expect_status "$helm: three-way: a release of 45 random objects" 0
"$K" get deployments.v1.apps,services.v1.,configmaps.v1. -n "$tns" -o json \
	>"$tdir/installed.json" &&
	python3 tests/e2e/threeway.py edit "$tseed" <"$tdir/installed.json" \
		>"$tdir/edited.json" &&
	"$K" replace -n "$tns" --validate=false -f "$tdir/edited.json" \
		>/dev/null 2>"$SCRATCH/err"
status=$?
expect_status "$helm: three-way: the live objects edited by hand" 0
"$H" x diff tw "$tdir/chart" -n "$tns" -f "$tdir/v2.yaml" --three-way-merge \
	--normalize-manifests --no-color >"$tdir/got" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: helm x diff --three-way-merge" 0
"$H" x diff tw "$tdir/chart" -n "$tns" -f "$tdir/v2.yaml" --three-way-merge \
	--no-color -C 0 >"$SCRATCH/out" 2>"$SCRATCH/err"
# d0..: replicas 9 by hand shows as going back to the chart's
if grep -q '^-   replicas: 9$' "$SCRATCH/out" &&
	! grep -q 'managedFields\|resourceVersion\|^[-+] *uid:\|creationTimestamp\|^[-+]  *status:' \
		"$SCRATCH/out"; then
	ok "$helm: three-way: a change made by hand shows, what the server owns does not"
else
	not_ok "$helm: three-way: hand edits or server fields"
	sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
fi
if [ -n "${HELM_X_E2E_KUBECONFIG:-}" ]; then
	echo "# SKIP: $helm: three-way against helm's own patches: a real cluster records no patches (the stand-in does)"
else
	"$H" get manifest tw -n "$tns" >"$tdir/v1.manifest"
	"$K" get deployments.v1.apps,services.v1.,configmaps.v1. -n "$tns" \
		-o json >"$tdir/live.json"
	: >"$SCRATCH/api-patches"
	"$H" upgrade tw "$tdir/chart" -n "$tns" -f "$tdir/v2.yaml" $csa \
		>/dev/null 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: three-way: helm upgrade" 0
	"$H" get manifest tw -n "$tns" >"$tdir/v2.manifest"
	python3 tests/e2e/threeway.py patches "$tdir/live.json" \
		"$SCRATCH/api-patches" >"$tdir/patches.yaml" &&
		python3 tests/e2e/threeway.py docs <"$tdir/live.json" \
			>"$tdir/live.yaml" &&
		if [ -s "$tdir/patches.yaml" ]; then
			"$HX" patch "$tdir/live.yaml" --strategic-merge-patch \
				"$tdir/patches.yaml" >"$tdir/newlive.yaml"
		else cp "$tdir/live.yaml" "$tdir/newlive.yaml"; fi &&
		python3 tests/e2e/threeway.py sides "$tdir/v1.manifest" \
			"$tdir/v2.manifest" "$tdir/live.json" "$tdir/newlive.yaml" \
			"$tdir/old.yaml" "$tdir/new.yaml" &&
		"$HX" diff manifests "$tdir/old.yaml" "$tdir/new.yaml" -n "$tns" \
			--normalize-manifests --no-color >"$tdir/want" 2>"$SCRATCH/err"
	npatch=$(grep -c . "$SCRATCH/api-patches")
	nchanged=$(grep -c 'has changed:$' "$tdir/want")
	if [ "$nchanged" -ge 10 ] && cmp -s "$tdir/want" "$tdir/got"; then
		ok "$helm: three-way: the diff is what helm's $npatch patches do ($nchanged objects changed)"
	else
		not_ok "$helm: three-way: the diff is not what helm's patches do ($nchanged changed)"
		diff "$tdir/want" "$tdir/got" | sed 's/^/#   /' | head -40
		sed 's/^/#   /' "$SCRATCH/err" | head -5
	fi
fi
"$H" uninstall tw -n "$tns" >/dev/null 2>&1
# A kind with 500 objects or more in a namespace is read with kubectl get
# --raw on its list's path (kubectl get's decoding costs more than a call):
# a release of 510 ConfigMaps, two edited by hand, must diff the same
# when every --raw is refused (kubectl get reads them then).
bdir="$SCRATCH/threeway-big"
rm -rf "$bdir"
mkdir -p "$bdir/chart/templates"
printf 'apiVersion: v2\nname: big\nversion: 0.1.0\n' >"$bdir/chart/Chart.yaml"
printf 'gen: one\n' >"$bdir/chart/values.yaml"
cat >"$bdir/chart/templates/cms.yaml" <<'TPL'
{{- range $i := until 510 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: big-{{ $i }}
data:
  k: v{{ $i }}
  gen: {{ $.Values.gen }}
{{- end }}
TPL
"$H" install twbig "$bdir/chart" -n "$tns" $csa >/dev/null 2>"$SCRATCH/err" &&
	"$K" patch configmap big-7 -n "$tns" --type merge \
		-p '{"data": {"k": "by-hand"}}' >/dev/null 2>>"$SCRATCH/err" &&
	"$K" patch configmap big-300 -n "$tns" --type merge \
		-p '{"data": {"hand": "added"}}' >/dev/null 2>>"$SCRATCH/err"
status=$?
expect_status "$helm: three-way: a release of 510 ConfigMaps, two edited by hand" 0
# kubectl as the test sees it: each command line logged, --raw refused
# when TW_REFUSE_RAW is set
cat >"$bdir/kubectl" <<SH
#!/bin/sh
echo "\$*" >>"$bdir/klog"
if [ -n "\${TW_REFUSE_RAW:-}" ]; then
	for a in "\$@"; do
		if [ "\$a" = --raw ]; then
			echo "error: --raw refused by the test" >&2
			exit 1
		fi
	done
fi
exec "$K" "\$@"
SH
chmod +x "$bdir/kubectl"
: >"$bdir/klog"
KUBECTL_BIN="$bdir/kubectl" "$H" x diff twbig "$bdir/chart" -n "$tns" \
	--set gen=two --three-way-merge --no-color -C 0 >"$bdir/raw" \
	2>"$bdir/raw.err"
s1=$?
mv "$bdir/klog" "$bdir/klog.raw"
KUBECTL_BIN="$bdir/kubectl" TW_REFUSE_RAW=1 "$H" x diff twbig "$bdir/chart" \
	-n "$tns" --set gen=two --three-way-merge --no-color -C 0 \
	>"$bdir/get" 2>"$SCRATCH/err"
s2=$?
if [ "$s1$s2" = 00 ] &&
	grep -q "get --raw /api/v1/namespaces/$tns/configmaps\$" "$bdir/klog.raw" &&
	! grep -q 'get ConfigMap\.' "$bdir/klog.raw" &&
	grep -q "get --raw /api/v1/namespaces/$tns/configmaps\$" "$bdir/klog" &&
	grep -q 'get ConfigMap\.' "$bdir/klog" && cmp -s "$bdir/raw" "$bdir/get" &&
	[ "$(grep -c 'has changed:$' "$bdir/raw")" = 510 ] &&
	grep -qx -e '-   k: by-hand' "$bdir/raw" && grep -qx -e '+   k: v7' "$bdir/raw" &&
	! grep -q 'hand: added' "$bdir/raw"; then
	ok "$helm: three-way: 510 ConfigMaps read raw diff as kubectl get reads them"
else
	not_ok "$helm: three-way: 510 ConfigMaps: the raw read (exit $s1) unused, or not what kubectl get reads (exit $s2)"
	diff "$bdir/raw" "$bdir/get" | sed 's/^/#   /' | head -20
	sed 's/^/#   kubectl (raw run) /' "$bdir/klog.raw" | head -5
	sed 's/^/#   kubectl (get run) /' "$bdir/klog" | head -5
	sed 's/^/#   /' "$bdir/raw.err" "$SCRATCH/err" | head -10
fi
"$H" uninstall twbig -n "$tns" >/dev/null 2>&1
