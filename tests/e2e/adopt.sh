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

# helm's --kube-token reaches the API server from kubectl, and no
# command line holds it: a stand-in on HTTPS (kubectl sends a bearer token
# only over TLS) records each request's token
if command -v openssl >/dev/null 2>&1; then
	tls="$SCRATCH/tls-$helm"
	mkdir -p "$tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 -keyout "$tls/key.pem" \
		-out "$tls/cert.pem" >/dev/null 2>&1
	apiserver_start "$tls/api" 8 APISERVER_TLS_CERT="$tls/cert.pem" \
		APISERVER_TLS_KEY="$tls/key.pem" APISERVER_AUTH_LOG="$tls/auth.log"
	tport=$apiserver_port
	cat >"$tls/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: tls
  cluster: {server: "https://127.0.0.1:$tport", certificate-authority: "$tls/cert.pem"}
contexts:
- name: tls
  context: {cluster: tls, user: nobody, namespace: $ans}
current-context: tls
users:
- name: nobody
  user: {token: setup-token}
KC
	KUBECONFIG="$tls/kubeconfig" "$K" create namespace "$ans" >/dev/null 2>&1
	KUBECONFIG="$tls/kubeconfig" "$K" create configmap tokened -n "$ans" \
		>/dev/null 2>&1
	: >"$tls/auth.log"
	KUBECONFIG="$tls/kubeconfig" "$H" --kube-token "e2e-token-$helm" \
		x adopt ad configmap/tokened --debug >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] &&
		grep -q "^PATCH /api/v1/namespaces/$ans/configmaps/tokened Bearer e2e-token-$helm\$" \
			"$tls/auth.log" &&
		! grep -q "e2e-token" "$SCRATCH/err" "$SCRATCH/out"; then
		ok "$helm: adopt with --kube-token: kubectl sends the token, no argv shows it"
	else
		not_ok "$helm: adopt with --kube-token (exit $status)"
		sed 's/^/#   /' "$tls/auth.log" "$SCRATCH/err" | head -20
	fi
	exec 8>&-
else
	not_ok "$helm: openssl is missing: the token test needs a TLS stand-in"
fi

# all or nothing under API faults (the stand-in only: a real cluster
# takes no injected faults): the third object's PATCH fails with a 500,
# then with a dropped connection; the two before it are restored, and
# apply --adopt installs nothing
if [ -z "${HELM_X_E2E_KUBECONFIG:-}" ]; then
	for fault in 500 drop; do
		for c in f1 f2 f3; do
			"$K" delete configmap "$c" -n "$ans" >/dev/null 2>&1
			"$K" create configmap "$c" -n "$ans" >/dev/null 2>&1
		done
		"$K" label configmap f1 -n "$ans" app.kubernetes.io/managed-by=kustomize \
			>/dev/null 2>&1
		echo "PATCH /api/v1/namespaces/$ans/configmaps/f3 $fault" >"$SCRATCH/api-faults"
		"$H" -n "$ans" x apply fa testdata/charts/live \
			--adopt configmap/f1,configmap/f2,configmap/f3 >"$SCRATCH/out" 2>"$SCRATCH/err"
		status=$?
		: >"$SCRATCH/api-faults"
		"$K" get configmap f1 f2 f3 -n "$ans" -o json >"$SCRATCH/objs"
		"$H" list -n "$ans" -q >"$SCRATCH/list"
		if [ "$status" = 1 ] &&
			grep -q "^helm-x: error: cannot adopt 'configmap/f3': .*; the 2 objects adopted before it were restored$" "$SCRATCH/err" &&
			! grep -q 'meta.helm.sh/release-name' "$SCRATCH/objs" &&
			grep -q '"app.kubernetes.io/managed-by": "kustomize"' "$SCRATCH/objs" &&
			[ "$(grep -c 'managed-by' "$SCRATCH/objs")" = 1 ] &&
			! grep -qx fa "$SCRATCH/list"; then
			ok "$helm: apply --adopt, PATCH of the third object fails ($fault): the others restored, nothing installed"
		else
			not_ok "$helm: adopt under a fault ($fault, exit $status)"
			sed 's/^/#   /' "$SCRATCH/err" | head -10
			grep -n 'meta.helm\|managed-by' "$SCRATCH/objs" | sed 's/^/#   /'
		fi
	done
fi

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
