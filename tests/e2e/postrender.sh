#!/bin/sh
# helm-x as Helm's post-renderer (Helm 3: this binary's path; Helm 4: the
# postrenderer/v1 plugin x-patch) and helm x ... --post-render.  Sourced by
# tests/e2e/run.sh for each helm, with H, helm, P, SCRATCH and the cluster's
# KUBECONFIG set.
# shellcheck disable=SC2154 # H, helm, P come from run.sh

PR="$SCRATCH/pr-patches.yaml"
cat >"$PR" <<'YAML'
- target: {kind: Deployment}
  patch: |
    metadata:
      annotations:
        $patch: replace
        patched-by: helm-x
- target: {kind: Job}
  patch: '[{op: add, path: /metadata/labels, value: {hook-patched: "yes"}}]'
YAML
PLIVE="$SCRATCH/live-patches.yaml"
cat >"$PLIVE" <<'YAML'
- target: {kind: ConfigMap}
  patch: '[{op: add, path: /metadata/labels, value: {patched: "yes"}}]'
YAML

# The words that make helm run helm-x's patches PATCHFILE as its
# post-renderer, for this helm.
if [ "$helm" = helm3 ]; then
	pr_args() {
		printf '%s\n' --post-renderer "$("$H" x postrender-path)" \
			--post-renderer-args patch --post-renderer-args "--patches=$1"
	}
else
	# as docs/integration.md says for a plugin dir Helm 3 shares: x-patch in a dir
	# of Helm 4's own, first in Helm 4's HELM_PLUGINS (Helm 4 installs a
	# plugin dir into $HELM_DATA_HOME/plugins, whatever HELM_PLUGINS says)
	xpatch=$("$H" x postrender-plugin)
	h3plugins=$HELM_PLUGINS
	HELM_DATA_HOME="$home/helm4" HELM_PLUGINS="$home/helm4/plugins" \
		"$H" plugin install "$xpatch" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm plugin install \"\$(helm x postrender-plugin)\" into a dir of Helm 4's own" 0
	export HELM_PLUGINS="$home/helm4/plugins:$h3plugins"
	"$H" plugin list --type postrenderer/v1 >"$SCRATCH/out"
	expect_grep "$helm: x-patch is a postrenderer/v1 plugin" \
		'^x-patch[[:space:]]*0\.1\.0[[:space:]]*postrenderer/v1'
	pr_args() {
		printf '%s\n' --post-renderer x-patch "--post-renderer-args=--patches=$1"
	}
fi

# helm template with the post-renderer: the patched documents, each under
# the # Source: of its template (Helm 4 files them by the annotation
# helm-x must give back), nothing else changed
"$H" template rel testdata/charts/web >"$SCRATCH/plain"
# shellcheck disable=SC2046 # one argument per line
"$H" template rel testdata/charts/web $(pr_args "$P") >"$SCRATCH/out" \
	2>"$SCRATCH/err"
status=$?
expect_status "$helm: helm template --post-renderer runs helm-x's patches" 0
grep '^# Source:' "$SCRATCH/plain" | sort >"$SCRATCH/want"
grep '^# Source:' "$SCRATCH/out" | sort >"$SCRATCH/got"
if cmp -s "$SCRATCH/want" "$SCRATCH/got" && grep -q 'image: "nginx:1.28"' "$SCRATCH/out" &&
	grep -q '^  type: NodePort$' "$SCRATCH/out" &&
	! grep -q 'postrender-filename' "$SCRATCH/out"; then
	ok "$helm: post-rendered: patched, the same # Source: lines as plain helm"
else
	not_ok "$helm: post-rendered output"
	diff "$SCRATCH/want" "$SCRATCH/got" | sed 's/^/#   /'
	sed 's/^/#   /' "$SCRATCH/err" | head
fi
# shellcheck disable=SC2046
"$H" template rel testdata/charts/web $(pr_args "$PR") >"$SCRATCH/out" \
	2>"$SCRATCH/err"
status=$?
if [ "$helm" != helm3 ]; then
	# hooks reach Helm 4's post-renderer; metadata.annotations replaced
	# whole still gives Helm its filename annotation back
	expect_status "$helm: hooks and replaced annotations through x-patch" 0
	expect_grep "$helm: the hook Job is patched" 'hook-patched: "yes"'
	sed -n '/^# Source: web\/templates\/deployment.yaml$/,/^---/p' \
		"$SCRATCH/out" >"$SCRATCH/dep"
	expect_grep "$helm: the Deployment keeps its # Source: though its annotations were replaced" \
		'patched-by: helm-x' "$SCRATCH/dep"
else
	# Helm 3 sends no hooks to a post-renderer: the Job patch matches
	# nothing, and says so through helm
	if [ "$status" != 0 ] &&
		grep -q "patch 1 of --patches matched no document (target: kind=Job)" "$SCRATCH/err"; then
		ok "$helm: Helm 3 sends no hooks to a post-renderer: the hook patch is a no-match"
	else
		not_ok "$helm: hook patch through Helm 3's post-renderer (exit $status)"
	fi
fi
# a failing patch fails helm, and helm-x's line is visible
# shellcheck disable=SC2046
"$H" template rel testdata/charts/web $(pr_args "$TOP/tests/e2e/no-match.yaml") \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
if [ "$helm" = helm3 ]; then
	if [ "$status" != 0 ] && grep -q "patch 0 of --patches matched no document" "$SCRATCH/err"; then
		ok "$helm: a no-match fails helm with helm-x's line"
	else
		not_ok "$helm: no-match through the post-renderer (exit $status)"
	fi
else
	# Helm 4 keeps a plugin's stderr to itself: helm-x writes the line to
	# the terminal (script(1) gives the command one)
	expect_status "$helm: a no-match fails helm" 1
	if command -v script >/dev/null 2>&1; then
		script -q -e -c "$H template rel testdata/charts/web $(pr_args "$TOP/tests/e2e/no-match.yaml" | tr '\n' ' ')" \
			/dev/null >"$SCRATCH/tty" 2>&1 </dev/null
		expect_grep "$helm: helm-x's line reaches the terminal though Helm 4 hides the plugin's stderr" \
			"no-match.yaml:1:1: error: patch 0 of --patches matched no document" "$SCRATCH/tty"
	else
		not_ok "$helm: script(1) is missing (util-linux): cannot give helm a terminal"
	fi
fi

# helm x template --post-render: the same as helm template with the
# post-renderer (on Helm 4, x-patch from a plugin dir of helm-x's own run:
# nothing installed, so a Helm 3 sharing the plugin dir keeps working)
"$H" x template rel testdata/charts/web --post-render --patches "$P" \
	>"$SCRATCH/out2" 2>"$SCRATCH/err"
status=$?
# shellcheck disable=SC2046
"$H" template rel testdata/charts/web $(pr_args "$P") >"$SCRATCH/out"
expect_status "$helm: helm x template --post-render" 0
if cmp -s "$SCRATCH/out" "$SCRATCH/out2"; then
	ok "$helm: helm x template --post-render is helm template --post-renderer"
else
	not_ok "$helm: helm x template --post-render differs"
	diff "$SCRATCH/out" "$SCRATCH/out2" | head | sed 's/^/#   /'
fi

# install with the post-renderer, by plain helm: the release is patched
prns=pr-$helm
# shellcheck disable=SC2046
"$H" install pr testdata/charts/web -n "$prns" $(pr_args "$P") \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: helm install --post-renderer (helm-x)" 0
"$H" get manifest pr -n "$prns" >"$SCRATCH/out"
expect_grep "$helm: the installed release is patched" 'image: "nginx:1.28"'
expect_grep "$helm: the release keeps its # Source: lines" \
	'^# Source: web/templates/deployment.yaml$'
# helm x diff --post-render: the render helm upgrade would post-render
"$H" -n "$prns" x diff pr testdata/charts/web --post-render --patches "$P" \
	--detailed-exitcode >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: diff --post-render with the install's patches: nothing, exit 0" 0
"$H" -n "$prns" x diff pr testdata/charts/web --post-render --no-color \
	--detailed-exitcode >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
expect_status "$helm: diff --post-render without the patches: exit 2" 2
expect_grep "$helm: ... and it shows the patches being undone" \
	'^+         image: "nginx:1.27"$'
"$H" uninstall pr -n "$prns" >/dev/null 2>&1

# helm x upgrade --install --post-render, twice: helm renders the release
# itself, so .Release.Revision and lookup are live (a temporary chart
# renders with revision 1 and no cluster)
for i in 1 2; do
	"$H" -n "$prns" x upgrade live testdata/charts/live --install \
		--post-render --patches "$PLIVE" >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm x upgrade --install --post-render ($i)" 0
	"$H" get manifest live -n "$prns" | grep '^  password: ' >"$SCRATCH/pw$i"
done
if [ -s "$SCRATCH/pw1" ] && cmp -s "$SCRATCH/pw1" "$SCRATCH/pw2"; then
	ok "$helm: --post-render: lookup keeps the generated password across upgrades"
else
	not_ok "$helm: --post-render: the password changed: $(cat "$SCRATCH/pw1" "$SCRATCH/pw2")"
fi
"$H" get manifest live -n "$prns" >"$SCRATCH/out"
expect_grep "$helm: --post-render: .Release.Revision is the upgrade's (2)" \
	'release-revision: "2"'
expect_grep "$helm: --post-render: the release is patched" 'patched: "yes"'
"$H" get manifest live -n "$prns" | grep '^# Source:' >"$SCRATCH/got"
if grep -q '^# Source: live/templates/configmap.yaml$' "$SCRATCH/got"; then
	ok "$helm: --post-render: the release keeps the chart's own templates"
else
	not_ok "$helm: --post-render: # Source: lines $(cat "$SCRATCH/got")"
fi
"$H" history live -n "$prns" -o json >"$SCRATCH/out"
expect_grep "$helm: helm history shows revision 2" '"revision":2'
# a no-match under --post-render: helm fails, helm-x's line is shown
"$H" -n "$prns" x upgrade live testdata/charts/live --post-render \
	--patches tests/e2e/no-match.yaml >"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
want="helm-x: error: 'helm upgrade' exited with status 1"
# Helm 3: a hook may be what the patch meant, and Helm 3 sends none
[ "$helm" = helm3 ] &&
	want="$want; Helm 3 sends no hooks and no tests to a post-renderer: for a patch of a hook, drop --post-render (helm-x's temporary chart patches them) or use Helm 4"
if [ "$status" = 1 ] &&
	grep -q "no-match.yaml:1:1: error: patch 0 of --patches matched no document (target: kind=Ingress)" "$SCRATCH/err" &&
	grep -qxF "$want" "$SCRATCH/err"; then
	ok "$helm: --post-render: a no-match fails the upgrade with helm-x's line"
else
	not_ok "$helm: --post-render no-match (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
fi
"$H" uninstall live -n "$prns" >/dev/null 2>&1

# the x-patch that "helm plugin install" put there goes; --post-render
# runs it from a plugin dir of helm-x's own run, installing nothing
if [ "$helm" != helm3 ]; then
	export HELM_PLUGINS="$h3plugins"
	# Helm 4's plugin uninstall reads HELM_PLUGINS as one dir
	HELM_DATA_HOME="$home/helm4" HELM_PLUGINS="$home/helm4/plugins" \
		"$H" plugin uninstall x-patch >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: helm plugin uninstall x-patch" 0
fi
"$H" x template rel testdata/charts/web --post-render --patches "$P" \
	>"$SCRATCH/out2" 2>"$SCRATCH/err"
status=$?
if [ "$helm" != helm3 ]; then
	"$H" plugin list >"$SCRATCH/out" 2>&1
	if [ "$status" = 0 ] && ! grep -q '^x-patch' "$SCRATCH/out" &&
		! grep -q 'installed' "$SCRATCH/err"; then
		ok "$helm: --post-render runs x-patch without installing it"
	else
		not_ok "$helm: --post-render installed x-patch (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err"
	fi
	# Helm 3 on the same plugin dir, after the Helm 4 steps
	"$tools/helm3" plugin list >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	if [ "$status" = 0 ] && grep -q '^x[[:space:]]' "$SCRATCH/out" &&
		! grep -q 'failed to load plugins' "$SCRATCH/err"; then
		ok "$helm: a Helm 3 sharing the plugin dir still loads helm-x"
	else
		not_ok "$helm: Helm 3 on the shared plugin dir (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err"
	fi
else
	"$H" x postrender-plugin >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_err "$helm: postrender-plugin under Helm 3 says why not" \
		"helm-x: error: x-patch is a plugin of Helm 4, and this helm is Helm 3: installed where Helm 3 loads plugins, it makes Helm 3 load none; Helm 3 runs helm-x as its post-renderer by path: --post-renderer \"\$(helm x postrender-path)\""
fi
