#!/bin/sh
# shellcheck shell=sh
# helm-x patch: inputs, separators, output errors, user files untouched.

in="$TOP/testdata/yaml/fidelity.yaml"
hx patch <"$in"
expect_out "stdin passes through byte for byte" "$in"
hx patch - <"$in"
expect_out "'-' is stdin" "$in"
hx patch "$in"
expect_out "a file passes through byte for byte" "$in"

# A directory: *.yaml, *.yml, *.json, recursive, sorted; others skipped.
d="$SCRATCH/manifests"
mkdir -p "$d/sub" "$d/.git"
printf 'kind: B\n' >"$d/b.yaml"
printf 'kind: A\n' >"$d/a.yml"
printf '{"kind": "C"}' >"$d/sub/c.json"
printf 'kind: X\n' >"$d/notes.txt"
printf 'kind: H\n' >"$d/.git/h.yaml"
printf 'kind: A\n---\nkind: B\n---\n{"kind": "C"}' >"$SCRATCH/want"
hx patch "$d"
expect_out "a directory: sorted, recursive, separated, others skipped" "$SCRATCH/want"

# Streams joined: a missing final newline and marker are added between.
printf 'a: 1' >"$SCRATCH/one.yaml"
printf -- '---\nb: 2\n' >"$SCRATCH/two.yaml"
printf 'a: 1\n---\nb: 2\n---\na: 1' >"$SCRATCH/want"
hx patch "$SCRATCH/one.yaml" "$SCRATCH/two.yaml" "$SCRATCH/one.yaml"
expect_out "streams are joined with newline and ---" "$SCRATCH/want"

hx patch "$SCRATCH/nope.yaml"
expect_err "missing input" \
	"helm-x: error: cannot open '$SCRATCH/nope.yaml': No such file or directory"

if [ -w /dev/full ]; then
	hx patch "$in" >/dev/full
	$VALGRIND "$HX" patch "$in" >/dev/full 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 1 ] && grep -q "cannot write output" "$SCRATCH/err"; then
		ok "a full disk is an error"
	else
		not_ok "a full disk is an error (exit $status)"
	fi
fi

# Patch flags: alias, --flag=value, HELM_NAMESPACE, -nNS.
cat >"$SCRATCH/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  a: "1"
YAML
cat >"$SCRATCH/ns.yaml" <<'YAML'
target: {kind: ConfigMap, namespace: prod}
patch: [{op: replace, path: /data/a, value: "2"}]
YAML
sum_before=$(cksum <"$SCRATCH/cm.yaml")
HELM_NAMESPACE=prod hx patch "$SCRATCH/cm.yaml" --jsonpatch="$SCRATCH/ns.yaml"
expect_grep "HELM_NAMESPACE is the release namespace; --jsonpatch= works" 'a: "2"'
hx patch -nprod "$SCRATCH/cm.yaml" --json-patch "$SCRATCH/ns.yaml"
expect_grep "-nNS works" 'a: "2"'
HELM_NAMESPACE=dev hx patch "$SCRATCH/cm.yaml" --json-patch "$SCRATCH/ns.yaml"
expect_err "other release namespace: no match" \
	"$SCRATCH/ns.yaml:1:1: error: patch 0 of --json-patch matched no document (target: kind=ConfigMap, namespace=prod); the render holds: ConfigMap cfg"
HELM_NAMESPACE=dev hx patch "$SCRATCH/cm.yaml" --json-patch "$SCRATCH/ns.yaml" --allow-no-match
expect_status "--allow-no-match exits 0" 0
expect_grep "--allow-no-match warns" \
	"helm-x: warning: patch 0 of --json-patch matched no document" "$SCRATCH/err"
# a kustomization's resources: not read, said in one warning line
printf 'resources: [cm.yaml]\ncommonLabels: {team: a}\n' >"$SCRATCH/kz.yaml"
hx patch "$SCRATCH/cm.yaml" --patches "$SCRATCH/kz.yaml"
if [ "$status" = 0 ] && grep -q 'team: a' "$SCRATCH/out" &&
	[ "$(grep -cv '^==[0-9]*==' "$SCRATCH/err")" = 1 ] &&
	grep -q "^helm-x: warning: $SCRATCH/kz.yaml:1:1: 'resources' is not read: the patches apply to the render" "$SCRATCH/err"; then
	ok "--patches: a kustomization's resources get one warning line, its commonLabels apply"
else
	not_ok "--patches: resources warning (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
fi
# a strategic merge on a kind with no schema replaces a whole list: one
# warning line naming the list and the two ways out (a ClusterIssuer
# patch that changes one of two solvers, as users wrote it)
cat >"$SCRATCH/issuer.yaml" <<'YAML'
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: letsencrypt}
spec:
  acme:
    server: https://acme-v02.api.letsencrypt.org/directory
    solvers:
    - http01: {ingress: {ingressClassName: nginx}}
    - dns01: {route53: {region: eu-west-1}}
      selector: {dnsZones: [example.com]}
YAML
cat >"$SCRATCH/issuer-patch.yaml" <<'YAML'
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: letsencrypt}
spec:
  acme:
    solvers:
    - http01: {ingress: {ingressClassName: traefik}}
YAML
hx patch "$SCRATCH/issuer.yaml" --strategic-merge-patch "$SCRATCH/issuer-patch.yaml"
if [ "$status" = 0 ] && ! grep -q dns01 "$SCRATCH/out" &&
	[ "$(grep -cv '^==[0-9]*==' "$SCRATCH/err")" = 1 ] &&
	grep -q "^helm-x: warning: $SCRATCH/issuer-patch.yaml:1:1: strategic merge patch 0 of --strategic-merge-patch replaces the whole list 'spec.acme.solvers' (2 items) of cert-manager.io/v1 ClusterIssuer letsencrypt, a kind with no schema: give its CRD with --openapi to merge the list by key, or change the item with a JSON patch$" "$SCRATCH/err"; then
	ok "strategic merge on a kind with no schema replacing a list of 2: one warning line with the ways out"
else
	not_ok "schema-less list replacement warning (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
fi
# a no-match names what the render holds near the target
cat >"$SCRATCH/rn.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: release-name-web}
---
apiVersion: v1
kind: Service
metadata: {name: release-name-web}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
YAML
printf 'target: {kind: Deployment, name: web}\npatch: [{op: add, path: /spec/replicas, value: 2}]\n' >"$SCRATCH/rn-patch.yaml"
hx patch "$SCRATCH/rn.yaml" --json-patch "$SCRATCH/rn-patch.yaml"
expect_err "no match: the same kind's names, and the release-name form" \
	"$SCRATCH/rn-patch.yaml:1:1: error: patch 0 of --json-patch matched no document (target: kind=Deployment, name=web); the render holds: Deployment release-name-web (named for the release 'release-name', as helm names it when RELEASE is left out: give RELEASE)"
printf 'target: {kind: Secret, name: web}\npatch: [{op: add, path: /data, value: {}}]\n' >"$SCRATCH/rn-patch.yaml"
hx patch "$SCRATCH/rn.yaml" --json-patch "$SCRATCH/rn-patch.yaml"
expect_err "no match: objects of that name with other kinds" \
	"$SCRATCH/rn-patch.yaml:1:1: error: patch 0 of --json-patch matched no document (target: kind=Secret, name=web); of that name the render holds: ConfigMap web"
printf 'target: {kind: Deploymnet}\npatch: [{op: add, path: /spec, value: {}}]\n' >"$SCRATCH/rn-patch.yaml"
hx patch "$SCRATCH/rn.yaml" --json-patch "$SCRATCH/rn-patch.yaml"
expect_err "no match: a kind typo lists the kinds" \
	"$SCRATCH/rn-patch.yaml:1:1: error: patch 0 of --json-patch matched no document (target: kind=Deploymnet); the render holds no Deploymnet; its kinds: Deployment, Service, ConfigMap"
if [ "$(cksum <"$SCRATCH/cm.yaml")" = "$sum_before" ]; then
	ok "the user's input file is never changed"
else
	not_ok "the user's input file is never changed"
fi

# A large stream is patched on several threads: the reported error is
# still the first failing document's, and matches in any part count.
awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\ndata:\n  v: \"%s\"\n  pad: \"%0100d\"\n", i, (i == 40 || i == 2900) ? "bad" : "ok", 0 }' \
	>"$SCRATCH/big.yaml"
cat >"$SCRATCH/test-ok.yaml" <<'YAML'
target: {kind: ConfigMap}
patch: [{op: test, path: /data/v, value: ok}]
YAML
hx patch "$SCRATCH/big.yaml" --json-patch "$SCRATCH/test-ok.yaml"
expect_err "several threads: the first failing document is reported" \
	"$SCRATCH/test-ok.yaml:2:9: error: op 0 'test': test failed: '/data/v' is \"bad\", not ok (v1 ConfigMap cm-40)"
printf 'target: {kind: ConfigMap, name: cm-2999}\npatch: [{op: add, path: /data/last, value: "yes"}]\n' \
	>"$SCRATCH/last.yaml"
hx patch "$SCRATCH/big.yaml" --json-patch "$SCRATCH/last.yaml"
expect_status "several threads: a match in the last part counts" 0
if [ "$(grep -c 'last: "yes"' "$SCRATCH/out")" = 1 ] &&
	[ "$(grep -c '^kind: ConfigMap$' "$SCRATCH/out")" = 3000 ]; then
	ok "several threads: every document comes out, in order, once"
else
	not_ok "several threads: output documents"
fi
diff "$SCRATCH/big.yaml" "$SCRATCH/out" >"$SCRATCH/diff"
if [ "$(grep -c '^[<>]' "$SCRATCH/diff")" = 1 ] &&
	grep -q '^> *last: "yes"$' "$SCRATCH/diff"; then
	ok "several threads: all else stays byte for byte"
else
	not_ok "several threads: all else stays byte for byte"
	head -5 "$SCRATCH/diff" | sed 's/^/#   /'
fi

# a directory nested deeper than 64 levels is refused, not recursed into
deep="$SCRATCH/deep"
i=0
while [ $i -lt 66 ]; do deep="$deep/d"; i=$((i + 1)); done
mkdir -p "$deep"
printf 'a: 1\n' >"$deep/a.yaml"
hx patch "$SCRATCH/deep"
first=$(head -n 1 "$SCRATCH/err")
case "$first" in
"helm-x: error: '$SCRATCH/deep/"*"': directories nested too deep")
	ok "directories nested too deep" ;;
*) not_ok "directories nested too deep: $first" ;;
esac
