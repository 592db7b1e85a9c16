#!/bin/sh
# install, upgrade, apply and diff under API faults, injected by a proxy of
# our own (tests/e2e/faultproxy.py) in front of the cluster: the stand-in,
# or the real one of HELM_X_E2E_KUBECONFIG.  Each fault is run by plain
# helm and by helm x, each in a namespace of its own with the same release
# name: helm x must end as plain helm does (same exit status, release
# history and objects) and leave no temporary dir.  Sourced by
# tests/e2e/run.sh for each helm, with H, helm, tools, P, SCRATCH and the
# cluster's KUBECONFIG set.
# shellcheck disable=SC2154 # H, helm, tools, P come from run.sh

K="$tools/kubectl"
fp="$SCRATCH/fp"
mkdir -p "$fp/tmp"
"$K" config view --raw --minify -o json >"$fp/upstream.json" 2>"$fp/err"
: >"$fp/faults"
server_start "$fp/proxy" 7 python3 tests/e2e/faultproxy.py \
	"$fp/upstream.json" "$fp/faults"
fp_pid=$server_pid
fp_port=$server_port
cat >"$fp/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: proxy
  cluster: {server: "http://127.0.0.1:$fp_port"}
contexts:
- name: proxy
  context: {cluster: proxy, namespace: default}
current-context: proxy
users:
- name: nobody
  user: {}
KC

# what a run left: its exit status, the release's revisions and their
# statuses, the objects in its namespace; and its temporary dirs
fp_state() { # WHO NS STATUS
	{
		echo "exit $3"
		"$H" history f -n "$2" -o json 2>/dev/null |
			grep -o '"revision":[0-9]*\|"status":"[a-z-]*"'
		"$K" get deploy,sts,svc,cm,secret,job -n "$2" -o name 2>/dev/null |
			sort
	} >"$fp/$1.state"
}

# fp_case N DESC FAULT SETUP-ARGS|- PLAIN-CMD -- HX-CMD: the fault (NS in
# it stands for the namespace) is armed for the last command of each side.
# Helm 3 creates objects with POST, Helm 4 with a server-side apply PATCH:
# the faults name both.
fp_case() {
	num=$1 desc=$2 fault=$3 setup=$4
	shift 4
	plain=
	while [ "$1" != -- ]; do
		plain="$plain $1"
		shift
	done
	shift
	for who in plain hx; do
		ns=fp$num-$who-$helm
		"$K" create namespace "$ns" >/dev/null 2>&1
		if [ "$setup" != - ]; then
			# shellcheck disable=SC2086 # words of the setup command
			if [ "$who" = plain ]; then
				"$H" install f testdata/charts/web -n "$ns" $setup
			else
				"$H" -n "$ns" x install f testdata/charts/web \
					--patches "$P" $setup
			fi >/dev/null 2>"$fp/setup.err" ||
				sed 's/^/#   setup: /' "$fp/setup.err"
		fi
		echo "$fault" | sed "s|NS|$ns|g" >"$fp/faults"
		if [ "$who" = plain ]; then
			# shellcheck disable=SC2086 # words of the plain command
			KUBECONFIG="$fp/kubeconfig" TMPDIR="$fp/tmp" \
				"$H" $plain -n "$ns" >"$fp/out.$who" 2>"$fp/err.$who"
		else
			KUBECONFIG="$fp/kubeconfig" TMPDIR="$fp/tmp" \
				"$H" -n "$ns" "$@" >"$fp/out.$who" 2>"$fp/err.$who"
		fi
		st=$?
		: >"$fp/faults"
		fp_state "$who" "$ns" "$st"
		# the fault fired on this side's request (the proxy's log)
		case $fault in
		*" drop"*) mark=' -> drop$' ;;
		*" slow:"*) mark=' (slow)$' ;;
		*) mark=" -> $(echo "$fault" | awk '{print $3}')\$" ;;
		esac
		if grep "namespaces/$ns/" "$fp/proxy.err" | grep -q "$mark"; then
			echo fired >>"$fp/$who.state"
		fi
	done
	if cmp -s "$fp/plain.state" "$fp/hx.state" &&
		grep -qx fired "$fp/hx.state" &&
		[ -z "$(ls -A "$fp/tmp")" ] && grep -q "^exit " "$fp/hx.state"; then
		ok "$helm: under a fault, $desc: helm x ends as plain helm ($(head -n 1 "$fp/hx.state"))"
	else
		not_ok "$helm: under a fault, $desc: helm x and plain helm differ"
		diff "$fp/plain.state" "$fp/hx.state" | sed 's/^/#   /'
		sed 's/^/#   helm x: /' "$fp/err.hx" | head -5
		sed 's/^/#   helm: /' "$fp/err.plain" | head -5
		find "$fp/tmp" -mindepth 1 -maxdepth 1 | sed 's/^/#   left: /'
	fi
}

fp_case 1 "install, the release record's create answers 500" \
	"POST ^/api/v1/namespaces/NS/secrets$ 500" - \
	install f testdata/charts/web -- \
	x install f testdata/charts/web --patches "$P"
fp_case 2 "install, a Service's create answers 500" \
	"POST|PATCH ^/api/v1/namespaces/NS/services(/|$) 500" - \
	install f testdata/charts/web -- \
	x install f testdata/charts/web --patches "$P"
fp_case 3 "install, a ConfigMap's create is dropped" \
	"POST|PATCH ^/api/v1/namespaces/NS/configmaps(/|$) drop" - \
	install f testdata/charts/web -- \
	x install f testdata/charts/web --patches "$P"
fp_case 4 "install, a Deployment's create is slow (2 s)" \
	"POST|PATCH ^/apis/apps/v1/namespaces/NS/deployments(/|$) slow:2" - \
	install f testdata/charts/web -- \
	x install f testdata/charts/web --patches "$P"
fp_case 5 "upgrade, the Deployment's update answers 409" \
	"PATCH ^/apis/apps/v1/namespaces/NS/deployments/ 409" "" \
	upgrade f testdata/charts/web --set replicas=3 -- \
	x upgrade f testdata/charts/web --patches "$P" --set replicas=3
fp_case 6 "upgrade, the new release record's create answers 500" \
	"POST ^/api/v1/namespaces/NS/secrets$ 500" "" \
	upgrade f testdata/charts/web --set replicas=3 -- \
	x upgrade f testdata/charts/web --patches "$P" --set replicas=3
fp_case 7 "apply of a new release, a Service's create answers 500" \
	"POST|PATCH ^/api/v1/namespaces/NS/services(/|$) 500" - \
	upgrade --install f testdata/charts/web -- \
	x apply f testdata/charts/web --patches "$P"
fp_case 8 "apply of a release, the Deployment's update is dropped" \
	"PATCH ^/apis/apps/v1/namespaces/NS/deployments/ drop" "" \
	upgrade --install f testdata/charts/web --set replicas=3 -- \
	x apply f testdata/charts/web --patches "$P" --set replicas=3
fp_case 9 "diff, reading the release answers 500 (plain: helm get manifest)" \
	"GET ^/api/v1/namespaces/NS/secrets 500 *" "" \
	get manifest f -- \
	x diff f testdata/charts/web --patches "$P"
# adopt all or nothing through the proxy too (so on a real cluster as
# well): the third object's PATCH fails; the two before it are restored
# and the release is not installed
ans=fpa-$helm
"$K" create namespace "$ans" >/dev/null 2>&1
for c in f1 f2 f3; do
	"$K" create configmap "$c" -n "$ans" >/dev/null 2>&1
done
echo "PATCH ^/api/v1/namespaces/$ans/configmaps/f3$ 500" >"$fp/faults"
KUBECONFIG="$fp/kubeconfig" TMPDIR="$fp/tmp" KUBECTL_BIN="$K" "$H" -n "$ans" \
	x apply fa testdata/charts/live \
	--adopt configmap/f1,configmap/f2,configmap/f3 >"$fp/out.hx" 2>"$fp/err.hx"
status=$?
: >"$fp/faults"
"$K" get configmap f1 f2 f3 -n "$ans" -o json >"$fp/objs"
"$H" list -n "$ans" -q >"$fp/list"
if [ "$status" = 1 ] && grep -q "namespaces/$ans/configmaps/f3?.* -> 500$" "$fp/proxy.err" &&
	grep -q "the 2 objects adopted before it were restored$" "$fp/err.hx" &&
	! grep -q 'meta.helm.sh/release-name' "$fp/objs" &&
	! grep -qx fa "$fp/list" && [ -z "$(ls -A "$fp/tmp")" ]; then
	ok "$helm: through the fault proxy, apply --adopt whose third PATCH fails: the others restored, nothing installed"
else
	not_ok "$helm: adopt through the fault proxy (exit $status)"
	sed 's/^/#   /' "$fp/err.hx" | head -5
fi

# the proxy's own log shows it injected what the cases asked for
if grep -q ' -> 500$' "$fp/proxy.err" && grep -q ' -> 409$' "$fp/proxy.err" &&
	grep -q ' -> drop$' "$fp/proxy.err" && grep -q ' (slow)$' "$fp/proxy.err"; then
	ok "$helm: the fault proxy answered 500, 409, dropped and slowed requests"
else
	not_ok "$helm: the fault proxy did not inject every fault"
	tail -5 "$fp/proxy.err" | sed 's/^/#   /'
fi
exec 7>&-
kill "$fp_pid" 2>/dev/null
