#!/bin/sh
# shellcheck shell=sh
# shellcheck disable=SC2154,SC2016 # status is set by hx() in lib.sh; $patch is YAML text
# helm-x as helm's post-renderer: postrender, the filename annotation,
# --post-render's helm argv and what it refuses.

fake="$TOP/tests/cli/fake-helm"
chart="$TOP/testdata/charts/web"
note=postrenderer.helm.sh/postrender-filename

# the documents Helm 4 sends a post-renderer: each marked with its file
cat >"$SCRATCH/pr-in.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    keep: me
    postrenderer.helm.sh/postrender-filename: 'web/templates/deployment.yaml'
spec:
  replicas: 1
---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    postrenderer.helm.sh/postrender-filename: 'web/templates/service.yaml'
spec:
  type: ClusterIP
YAML
cat >"$SCRATCH/pr-p.yaml" <<'YAML'
- target: {kind: Deployment}
  patch: |
    metadata:
      annotations:
        $patch: replace
        new: one
- target: {kind: Service}
  patch: '[{op: remove, path: /metadata}]'
YAML
hx postrender --patches "$SCRATCH/pr-p.yaml" <"$SCRATCH/pr-in.yaml"
expect_status "postrender: patches the stream" 0
if grep -q "^    new: one$" "$SCRATCH/out" && ! grep -q "keep: me" "$SCRATCH/out" &&
	[ "$(grep -c "$note" "$SCRATCH/out")" = 2 ] &&
	grep -q "$note: 'web/templates/deployment.yaml'" "$SCRATCH/out" &&
	grep -q "$note: 'web/templates/service.yaml'" "$SCRATCH/out"; then
	ok "postrender: Helm 4's filename annotation comes back though the patches replaced or removed what held it"
else
	not_ok "postrender: the filename annotation"
	sed 's/^/#   /' "$SCRATCH/out"
fi
hx patch --patches "$SCRATCH/pr-p.yaml" "$SCRATCH/pr-in.yaml"
cp "$SCRATCH/out" "$SCRATCH/patch-out"
hx postrender --patches "$SCRATCH/pr-p.yaml" <"$SCRATCH/pr-in.yaml"
expect_out "postrender prints what patch prints" "$SCRATCH/patch-out"

# an empty stream: nothing to patch, nothing printed, no error
: >"$SCRATCH/empty.yaml"
hx postrender <"$SCRATCH/empty.yaml"
if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
	ok "postrender: empty input, empty output, exit 0"
else
	not_ok "postrender: empty input (exit $status)"
fi
hx postrender --patches "$SCRATCH/pr-p.yaml" --allow-no-match <"$SCRATCH/empty.yaml"
if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ] && grep -q "warning: .*matched no document" "$SCRATCH/err"; then
	ok "postrender: empty input with --allow-no-match: warnings, exit 0"
else
	not_ok "postrender: empty input with --allow-no-match (exit $status)"
fi
hx postrender --patches "$SCRATCH/pr-p.yaml" <"$SCRATCH/empty.yaml"
expect_err "postrender: empty input and a patch: the no-match line" \
	"$SCRATCH/pr-p.yaml:1:3: error: patch 0 of --patches matched no document (target: kind=Deployment); the render holds no object"

# every document deleted: an error, never an empty stream
printf '$patch: delete\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n' \
	>"$SCRATCH/del.yaml"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n' >"$SCRATCH/one.yaml"
hx postrender --strategic-merge-patch "$SCRATCH/del.yaml" <"$SCRATCH/one.yaml"
expect_err "postrender: deleting every document is an error, not empty output" \
	"helm-x: error: the patches deleted every document (1): nothing is left to print"
hx patch --strategic-merge-patch "$SCRATCH/del.yaml" "$SCRATCH/one.yaml"
if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
	ok "patch: deleting every document prints nothing (a stream, not helm's render)"
else
	not_ok "patch: deleting every document (exit $status)"
fi

# Helm 4 hides the plugin's stderr: the line goes to the file helm x
# --post-render names
HELM_X_POSTRENDER_ERRORS="$SCRATCH/pr-errors" hx postrender \
	--patches "$TOP/tests/e2e/no-match.yaml" <"$SCRATCH/pr-in.yaml"
if [ "$status" = 1 ] && grep -qx "$TOP/tests/e2e/no-match.yaml:1:1: error: patch 0 of --patches matched no document (target: kind=Ingress); the render holds no Ingress; its kinds: .*" \
	"$SCRATCH/pr-errors" &&
	[ "$(grep -v '^==[0-9]*==' "$SCRATCH/err")" = "$(cat "$SCRATCH/pr-errors")" ]; then
	ok "postrender: the error line also goes to \$HELM_X_POSTRENDER_ERRORS"
else
	not_ok "postrender: \$HELM_X_POSTRENDER_ERRORS (exit $status)"
	sed 's/^/#   /' "$SCRATCH/pr-errors"
fi

HELM_BIN="$fake" FAKE_HELM_LOG=/dev/null hx postrender-plugin
expect_err "postrender-plugin under Helm 3 is an error that says why" \
	"helm-x: error: x-patch is a plugin of Helm 4, and this helm is Helm 3: installed where Helm 3 loads plugins, it makes Helm 3 load none; Helm 3 runs helm-x as its post-renderer by path: --post-renderer \"\$(helm x postrender-path)\""
HELM_BIN="$fake" FAKE_HELM_LOG=/dev/null FAKE_HELM_VERSION=v4.2.3 hx postrender-plugin
if [ "$status" = 0 ] && [ "$(cat "$SCRATCH/out")" = "$TOP/x-patch" ] &&
	grep -q '^type: postrenderer/v1$' "$TOP/x-patch/plugin.yaml"; then
	ok "postrender-plugin prints the x-patch plugin's directory"
else
	not_ok "postrender-plugin: $(cat "$SCRATCH/out" "$SCRATCH/err")"
fi
hx postrender-plugin extra
expect_err "postrender-plugin takes no arguments" \
	"helm-x: error: 'postrender-plugin' takes no arguments"

# --post-render: the helm argv, Helm 3 (a path) and Helm 4 (the plugin)
pf() {
	: >"$SCRATCH/log"
	HELM_BIN="$fake" FAKE_HELM_LOG="$SCRATCH/log" hx "$@"
}
pr_call() {
	awk '/^fake-helm$/ { n = 0; delete a; next } { a[n++] = $0 }
	     END { for (i = 0; i < n; i++) print a[i] }' "$SCRATCH/log"
}
cd "$SCRATCH" || exit 1
cp "$SCRATCH/pr-p.yaml" "$SCRATCH/rel.yaml"
pf -n prod upgrade rel "$chart" --install --post-render --patches rel.yaml \
	--set a=b --atomic -- --description d
expect_status "upgrade --post-render with Helm 3" 0
pr_call >"$SCRATCH/got"
printf '[upgrade]\n[rel]\n[%s]\n[--install]\n[--namespace]\n[prod]\n[--set]\n[a=b]\n[--atomic]\n[--post-renderer]\n[%s]\n[--post-renderer-args=postrender]\n[--post-renderer-args=--patches=%s/rel.yaml]\n[--post-renderer-args=--namespace=prod]\n[--description]\n[d]\n' \
	"$chart" "$HX" "$SCRATCH" >"$SCRATCH/want"
if cmp -s "$SCRATCH/got" "$SCRATCH/want"; then
	ok "upgrade --post-render: helm upgrade with this binary as its post-renderer, patch files absolute"
else
	not_ok "upgrade --post-render: the helm argv"
	diff "$SCRATCH/want" "$SCRATCH/got" | sed 's/^/#   /'
fi
HELM_PLUGINS=/p/one:/p/two FAKE_HELM_ENV=HELM_PLUGINS FAKE_HELM_VERSION=v4.1.4 \
	pf install rel "$chart" --post-render --patches rel.yaml --atomic
expect_status "install --post-render with Helm 4" 0
pr_call >"$SCRATCH/got"
printf '[install]\n[rel]\n[%s]\n[--rollback-on-failure]\n[--post-renderer]\n[x-patch]\n[--post-renderer-args=--patches=%s/rel.yaml]\n' \
	"$chart" "$SCRATCH" >"$SCRATCH/want"
plugins=$(sed -n 's/^HELM_PLUGINS=//p' "$SCRATCH/want" "$SCRATCH/got")
sed -i '/^HELM_PLUGINS=/d' "$SCRATCH/got"
case "$plugins" in
"${TMPDIR:-/tmp}"/helm-x.*/helm4-plugins:/p/one:/p/two) first=ok ;;
*) first= ;;
esac
if cmp -s "$SCRATCH/got" "$SCRATCH/want" && [ -n "$first" ] &&
	! grep -q "^\[plugin\]$" "$SCRATCH/log" && ! grep -q '^helm-x' "$SCRATCH/err"; then
	ok "install --post-render on Helm 4: x-patch from a plugin dir of helm-x's own, first in HELM_PLUGINS; nothing installed"
else
	not_ok "install --post-render on Helm 4 (HELM_PLUGINS=$plugins)"
	diff "$SCRATCH/want" "$SCRATCH/got" | sed 's/^/#   /'
	sed 's/^/#   /' "$SCRATCH/err"
fi
cd "$TOP" || exit 1

pf install rel "$TOP/testdata/kustomize/web" --post-render
expect_err "--post-render refuses a kustomization" \
	"helm-x: error: --post-render needs a chart; a kustomization is always installed as a temporary chart: drop --post-render"
pf apply rel "$TOP/testdata/manifests/web" --post-render
expect_err "--post-render refuses a manifest dir" \
	"helm-x: error: --post-render needs a chart; a set of manifests is always installed as a temporary chart: drop --post-render"
pf install rel "$chart" --post-render --inject 'cat FILE'
expect_err "--post-render refuses --inject" \
	"helm-x: error: '--inject' works on the temporary chart, which --post-render does not make: drop one of them"
pf install rel "$chart" --post-render --kube-version 1.30.0
expect_err "--post-render on install refuses helm template's flags" \
	"helm-x: error: '--kube-version' is a flag of helm template; with --post-render helm install renders the chart itself"
pf lint "$chart" --post-render
expect_err "lint refuses --post-render" \
	"helm-x: error: '--post-render' is a flag of template, install, upgrade, apply and diff, not of 'lint'"
pf install rel "$chart" --post-render --patches "$SCRATCH/nope.yaml"
if [ "$status" = 1 ] && ! grep -q '^\[install\]$' "$SCRATCH/log"; then
	ok "--post-render: a bad patch file fails before helm runs"
else
	not_ok "--post-render: a bad patch file (exit $status)"
fi
