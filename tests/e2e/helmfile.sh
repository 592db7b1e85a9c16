#!/bin/sh
# helm-x as helmfile's helm binary against a cluster: the command lines
# helmfile builds for sync, diff, template, lint, list, status and destroy
# of one release whose postRenderer is helm-x (its patches applied by
# helm-x, no hooks), in helmfile's order.  Sourced by tests/e2e/run.sh for
# each helm, with H, helm, HX, P, SCRATCH and KUBECONFIG set.
# shellcheck disable=SC2154,SC2034 # from run.sh; status is read by expect_*

hfns=hf-$helm
ctx=$(sed -n 's/^current-context: //p' "$KUBECONFIG" | head -n 1)
# what helmfile passes for a release with postRenderer: helm-x
if [ "$helm" = helm3 ]; then
	set -- --post-renderer "$HX" --post-renderer-args patch \
		--post-renderer-args "--patches=$P"
else
	set -- --post-renderer x-patch "--post-renderer-args=--patches=$P"
fi
hfx() {
	HELM_PLUGIN_NAME='' HELM_BIN="$H" $VALGRIND "$HX" "$@" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
}

hfx version --short
if [ "$status" = 0 ] && grep -Eq '^v[34]\.[0-9]+\.[0-9]+' "$SCRATCH/out"; then
	ok "$helm: helmfile's probe 'version --short' reads helm's version"
else
	not_ok "$helm: version --short: $(cat "$SCRATCH/out" "$SCRATCH/err")"
fi
hfx --kubeconfig "$KUBECONFIG" --kube-context "$ctx" diff upgrade \
	--allow-unreleased hf testdata/charts/web --namespace "$hfns" \
	--reset-values --detailed-exitcode "$@"
expect_status "$helm: helmfile diff of a new release: exit 2" 2
expect_grep "$helm: ... shows the patched image to be added" '^+         image: "nginx:1.28"$'
hfx --kubeconfig "$KUBECONFIG" --kube-context "$ctx" upgrade --install hf \
	testdata/charts/web --create-namespace --namespace "$hfns" \
	--reset-values --history-max 10 "$@"
expect_status "$helm: helmfile sync: upgrade --install with postRenderer helm-x" 0
"$H" get manifest hf -n "$hfns" >"$SCRATCH/out"
expect_grep "$helm: the release is patched by helm-x's pipeline" 'image: "nginx:1.28"'
"$H" history hf -n "$hfns" -o json >"$SCRATCH/hist"
if [ "$(grep -o '"revision":[0-9]*' "$SCRATCH/hist" | wc -l)" = 1 ]; then
	ok "$helm: one revision per sync, no unpatched one before it"
else
	not_ok "$helm: revisions: $(cat "$SCRATCH/hist")"
fi
hfx --kubeconfig "$KUBECONFIG" --kube-context "$ctx" diff upgrade \
	--allow-unreleased hf testdata/charts/web --namespace "$hfns" \
	--reset-values --detailed-exitcode "$@"
if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
	ok "$helm: helmfile diff right after sync: no changes, exit 0"
else
	not_ok "$helm: diff after sync (exit $status)"
	sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
fi
hfx --kubeconfig "$KUBECONFIG" --kube-context "$ctx" template hf \
	testdata/charts/web --namespace "$hfns" "$@"
expect_grep "$helm: helmfile template with postRenderer helm-x" 'image: "nginx:1.28"'
hfx --kubeconfig "$KUBECONFIG" --kube-context "$ctx" lint testdata/charts/web \
	--namespace "$hfns"
expect_status "$helm: helmfile lint" 0
hfx --kubeconfig "$KUBECONFIG" --kube-context "$ctx" list --filter '^hf$' \
	--namespace "$hfns" --uninstalling --deployed --failed --pending
if [ "$status" = 0 ] && [ "$(sed -n 2p "$SCRATCH/out" | awk '{print $1}')" = hf ]; then
	ok "$helm: list: a header, then the release (helmfile drops the first line)"
else
	not_ok "$helm: list: $(cat "$SCRATCH/out")"
fi
hfx --kubeconfig "$KUBECONFIG" --kube-context "$ctx" status hf --namespace "$hfns"
expect_grep "$helm: status" '^STATUS: deployed$'
hfx --kubeconfig "$KUBECONFIG" --kube-context "$ctx" delete hf --namespace "$hfns"
expect_status "$helm: helmfile destroy: delete" 0
hfx --kubeconfig "$KUBECONFIG" --kube-context "$ctx" status hf --namespace "$hfns"
expect_grep "$helm: status of a deleted release says 'release: not found'" \
	'Error: release: not found' "$SCRATCH/err"

# examples/helmfile/helmfile.yaml: the line helmfile builds for its release
# (helm runs in the helmfile's directory), through helm-x, patched by
# helm-x's pipeline and not by a post-renderer helm runs
: >"$SCRATCH/hf-log"
(cd examples/helmfile && HELM_PLUGIN_NAME='' HELM_BIN="$H" $VALGRIND "$HX" \
	--kubeconfig "$KUBECONFIG" --kube-context "$ctx" template web ../chart \
	--namespace web --post-renderer ../../bin/helm-x \
	--post-renderer-args patch \
	--post-renderer-args=--json-patch=../patches/expose.yaml \
	--post-renderer-args=--strategic-merge-patch=../patches/sidecar.yaml) \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: examples/helmfile: helmfile template's line" 0
expect_grep "$helm: ... the Service is exposed (JSON patch)" '^  type: NodePort$'
expect_grep "$helm: ... the Deployment has the sidecar (strategic merge)" 'name: metrics'
