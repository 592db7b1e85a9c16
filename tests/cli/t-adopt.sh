#!/bin/sh
# shellcheck shell=sh
# shellcheck disable=SC2154 # status is set by hx() in lib.sh
# helm x adopt and --adopt: kubectl's argv, the refusals, every error line
# (against a cluster: tests/e2e/adopt.sh).

fk="$TOP/tests/cli/fake-kubectl"
ka() {
	: >"$SCRATCH/klog"
	KUBECTL_BIN="$fk" FAKE_KUBECTL_LOG="$SCRATCH/klog" hx "$@"
}
# the argv of kubectl call N (1-based)
kcall() {
	awk -v want="$1" '/^fake-kubectl$/ { n++; next } n == want' "$SCRATCH/klog"
}

HELM_KUBECONTEXT=ctx HELM_KUBEASGROUPS=g1,g2 \
	ka adopt rel configmap/a,deployments.apps/b -n prod
expect_status "adopt two objects" 0
kcall 3 >"$SCRATCH/got"
printf '%s\n' '[--context]' '[ctx]' '[--as-group]' '[g1]' \
	'[--as-group]' '[g2]' '[patch]' '[configmap/a]' '[--namespace]' '[prod]' \
	'[--type]' '[merge]' '[--patch]' \
	'[{"metadata":{"annotations":{"meta.helm.sh/release-name":"rel","meta.helm.sh/release-namespace":"prod"},"labels":{"app.kubernetes.io/managed-by":"Helm"}}}]' \
	>"$SCRATCH/want"
if cmp -s "$SCRATCH/got" "$SCRATCH/want" &&
	[ "$(grep -c '^\[get\]$' "$SCRATCH/klog")" = 2 ] &&
	[ "$(kcall 5 | wc -l)" = 0 ] &&
	kcall 1 | grep -q '^\[--output\]$'; then
	ok "adopt: both read first, then a merge patch of the ownership metadata each, with helm's context and credentials"
else
	not_ok "adopt: kubectl argv"
	diff "$SCRATCH/want" "$SCRATCH/got" | sed 's/^/#   /'
fi
expect_grep "adopt: one line per object on stdout" \
	"^helm-x: deployments.apps/b adopted by release 'rel' in namespace 'prod'$"
# helm's token: in a kubeconfig of mode 0600 named first in KUBECONFIG,
# never on kubectl's command line
: >"$SCRATCH/kcfg"
HOME="$SCRATCH" HELM_KUBECONTEXT=ctx HELM_KUBETOKEN=s3cret-tok \
	FAKE_KUBECTL_KCFG="$SCRATCH/kcfg" \
	FAKE_KUBECTL_VIEW='{"contexts":[{"name":"ctx","context":{"cluster":"prod-cluster","user":"me","namespace":"team"}}]}' \
	ka adopt rel configmap/a --debug
kcall 1 >"$SCRATCH/got1"
kcall 3 >"$SCRATCH/got3"
if [ "$status" = 0 ] && ! grep -q 's3cret' "$SCRATCH/klog" "$SCRATCH/err" "$SCRATCH/out" &&
	grep -q '^\[--context\]$' "$SCRATCH/got1" && ! grep -q '^\[--context\]$' "$SCRATCH/got3" &&
	grep -q '"token":"s3cret-tok"' "$SCRATCH/kcfg" &&
	grep -q '"current-context":"helm-x-token"' "$SCRATCH/kcfg" &&
	grep -q '"cluster":"prod-cluster"' "$SCRATCH/kcfg" &&
	grep -q '"namespace":"team"' "$SCRATCH/kcfg" &&
	grep -q "^KUBECONFIG=.*/kubeconfig-token:$SCRATCH/.kube/config\$" "$SCRATCH/kcfg"; then
	ok "adopt: helm's token reaches kubectl in a kubeconfig, not its argv or --debug"
else
	not_ok "adopt: the token (exit $status)"
	sed 's/^/#   /' "$SCRATCH/klog" "$SCRATCH/kcfg" "$SCRATCH/err"
fi

# all or nothing: a patch that fails gives the objects adopted before it
# their metadata back
FAKE_KUBECTL_FAIL_PATCH=cm/c ka adopt rel cm/a,cm/b,cm/c -n prod
kcall 7 >"$SCRATCH/got7"
if [ "$status" = 1 ] && [ "$(grep -cv "^==[0-9]*==" "$SCRATCH/err")" = 2 ] &&
	grep -q "^helm-x: error: cannot adopt 'cm/c': 'kubectl patch' exited with status 1; the 2 objects adopted before it were restored$" "$SCRATCH/err" &&
	[ "$(grep -c '"meta.helm.sh/release-name":null' "$SCRATCH/klog")" = 3 ] &&
	grep -q '^\[cm/a\]$' "$SCRATCH/got7" &&
	grep -q '"app.kubernetes.io/managed-by":null' "$SCRATCH/got7"; then
	ok "adopt: a failed patch restores the objects adopted before it"
else
	not_ok "adopt: all or nothing (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
	grep -n 'patch\|null\|\[cm' "$SCRATCH/klog" | sed 's/^/#   /' | head -30
fi
FAKE_KUBECTL_FAIL_PATCH=cm/c FAKE_KUBECTL_FAIL_RESTORE=cm/a \
	ka adopt rel cm/a,cm/b,cm/c -n prod
expect_grep "adopt: an object that cannot be restored is named" \
	"^helm-x: error: cannot adopt 'cm/c': 'kubectl patch' exited with status 1; could not restore the ownership metadata of cm/a (kubectl annotate and kubectl label put it back by hand)$" \
	"$SCRATCH/err"
# an object that had a managed-by label of its own gets it back
FAKE_KUBECTL_OBJ='{"kind":"ConfigMap","metadata":{"name":"x","labels":{"app.kubernetes.io/managed-by":"kustomize"}}}' \
	FAKE_KUBECTL_FAIL_PATCH=cm/b ka adopt rel cm/a,cm/b -n prod
if grep -q '"labels":{"app.kubernetes.io/managed-by":"kustomize"}' "$SCRATCH/klog"; then
	ok "adopt: a restore puts back the label the object had"
else
	not_ok "adopt: restore of a label"
	grep 'patch' "$SCRATCH/klog" | sed 's/^/#   /'
fi

FAKE_KUBECTL_NS=team ka adopt rel cm/a
kcall 1 >"$SCRATCH/got"
if grep -q '^\[config\]$' "$SCRATCH/got" && kcall 2 | grep -q '^\[team\]$'; then
	ok "adopt: without -n, the kubeconfig's namespace"
else
	not_ok "adopt: the default namespace"
fi
FAKE_KUBECTL_OBJ='{"metadata":{"annotations":{"meta.helm.sh/release-name":"other","meta.helm.sh/release-namespace":"prod"}}}' \
	ka adopt rel cm/a -n prod
expect_err "adopt: an object of another release is refused" \
	"helm-x: error: 'cm/a' belongs to release 'other' in namespace 'prod': helm-x adopts only objects of no release (helm upgrade --take-ownership takes it from the other release)"
if ! grep -q '^\[patch\]$' "$SCRATCH/klog"; then
	ok "adopt: nothing is patched after a refusal"
else
	not_ok "adopt: patched after a refusal"
fi
FAKE_KUBECTL_OBJ='{"metadata":{"annotations":{"meta.helm.sh/release-name":"rel","meta.helm.sh/release-namespace":"other-ns"}}}' \
	ka adopt rel cm/a -n prod
expect_err "adopt: the same release name in another namespace is another release" \
	"helm-x: error: 'cm/a' belongs to release 'rel' in namespace 'other-ns': helm-x adopts only objects of no release (helm upgrade --take-ownership takes it from the other release)"
FAKE_KUBECTL_OBJ='{"metadata":{"annotations":{"meta.helm.sh/release-name":"rel","meta.helm.sh/release-namespace":"prod"},"labels":{"app.kubernetes.io/managed-by":"Helm"}}}' \
	ka adopt rel cm/a -n prod
if [ "$status" = 0 ] && ! grep -q '^\[patch\]$' "$SCRATCH/klog" &&
	grep -q "is already part of release 'rel'" "$SCRATCH/out"; then
	ok "adopt: an object of this release already is left alone"
else
	not_ok "adopt: already owned (exit $status)"
fi
FAKE_KUBECTL_OBJ='{"kind":"List","items":[]}' ka adopt rel cm/a -n prod
expect_err "adopt: a list is refused" "helm-x: error: cannot adopt 'cm/a': it names a list"
FAKE_KUBECTL_OBJ='not json' ka adopt rel cm/a -n prod
expect_err "adopt: kubectl printing no object" \
	"helm-x: error: cannot adopt 'cm/a': kubectl get printed no object ('[' or '{' expected near 'not')"
FAKE_KUBECTL_EXIT=1 ka adopt rel cm/a -n prod
expect_err "adopt: kubectl failing" \
	"helm-x: error: cannot adopt 'cm/a': 'kubectl get' exited with status 1"
KUBECTL_BIN="$SCRATCH/no-kubectl" hx adopt rel cm/a -n prod
if [ "$status" = 1 ] && grep -q "(kubectl: \$KUBECTL_BIN, else kubectl in PATH)$" "$SCRATCH/err"; then
	ok "adopt: no kubectl says where it looked"
else
	not_ok "adopt: no kubectl: $(cat "$SCRATCH/err")"
fi

for bad in 'cm' 'cm/' '/a' 'cm/a/b' 'cm/a b' 'cm/-a' 'cm/a,'; do
	ka adopt rel "$bad" -n prod
	if [ "$status" = 1 ] && grep -q "is not KIND/NAME" "$SCRATCH/err" &&
		[ ! -s "$SCRATCH/klog" ]; then
		ok "adopt: '$bad' is refused before kubectl runs"
	else
		not_ok "adopt: '$bad' (exit $status): $(cat "$SCRATCH/err")"
	fi
done
hx adopt rel
expect_err "adopt needs objects" \
	"helm-x: error: 'adopt' needs RELEASE KIND/NAME... (see 'helm x adopt --help')"
hx adopt rel cm/a --set a=b
expect_err "adopt refuses other helm flags" \
	"helm-x: error: '--set' is not a flag of 'adopt' (see 'helm x adopt --help')"
hx adopt rel cm/a --patches p.yaml
expect_err "adopt refuses patches" \
	"helm-x: error: 'adopt' applies no patches (see 'helm x adopt --help')"
hx adopt --help
expect_grep "adopt --help says when --take-ownership is the better choice" \
	"adopt or --take-ownership?"
hx template rel "$TOP/testdata/charts/web" --adopt cm/a
expect_err "--adopt on template is refused" \
	"helm-x: error: '--adopt' is a flag of install, upgrade and apply, not of 'template' (or run 'helm x adopt')"
HELM_BIN="$TOP/tests/cli/fake-helm" FAKE_HELM_LOG="$SCRATCH/hlog" \
	ka install rel "$TOP/testdata/charts/web" --adopt 'cm/a b'
if [ "$status" = 1 ] && grep -q "'cm/a b' is not KIND/NAME" "$SCRATCH/err" &&
	[ ! -s "$SCRATCH/hlog" ]; then
	ok "--adopt: a malformed object is refused before helm runs"
else
	not_ok "--adopt malformed (exit $status)"
fi
