# shellcheck shell=sh
# shellcheck disable=SC2154 # H, helm, port, reg_port, tools come from run.sh
# Sourced by run.sh per helm: helm x flux on the Flux repository of
# testdata/flux (its charts served by the chart repository and the OCI
# registry of run.sh, and one in the repository itself), each
# HelmRelease's render checked against the real tools (flux_oracle.py:
# helm template, kubectl kustomize), then lint and diff.
fleet="$SCRATCH/fleet"
if [ -z "$reg_port" ]; then
	echo "# SKIP: no OCI registry: helm x flux end-to-end tests not run"
elif ! command -v git >/dev/null 2>&1; then
	echo "# SKIP: no git: helm x flux end-to-end tests not run"
else
	rm -rf "$fleet"
	cp -R testdata/flux "$fleet"
	mkdir -p "$fleet/charts"
	cp -R testdata/charts/fluxapp "$fleet/charts/fluxapp"
	find "$fleet" -name '*.yaml' -exec sed -i \
		-e "s|@HTTP@|http://127.0.0.1:$port|" \
		-e "s|@OCI@|oci://127.0.0.1:$reg_port/charts|" \
		-e "s|@DIGEST@|$(sed -n 's/^Digest: //p' "$E2E/registry/push" | tail -n 1)|" {} +
	git -C "$fleet" init -q
	paths="infrastructure apps/staging apps/oci apps/local apps/legacy apps/digest"
	# shellcheck disable=SC2086 # paths is a list
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux template $paths \
		>"$SCRATCH/flux.yaml" 2>"$SCRATCH/err")
	status=$?
	expect_status "$helm: flux template of the repository" 0
	PATH="$tools:$PATH" kubectl kustomize "$fleet/apps/staging" \
		>"$SCRATCH/flux-staging.yaml"
	rm -rf "$SCRATCH/oracle"
	mkdir -p "$SCRATCH/oracle"
	if python3 tests/e2e/flux_oracle.py "$tools/$helm" "$tools/kubectl" \
		"$SCRATCH/oracle" "$SCRATCH/flux.yaml" "$TOP/testdata/charts" \
		"$fleet" "$fleet/infrastructure/sources.yaml" \
		"$SCRATCH/flux-staging.yaml" "$fleet/apps/oci/release.yaml" \
		"$fleet/apps/local/release.yaml" "$fleet/apps/legacy/release.yaml" \
		"$fleet/apps/digest/release.yaml" \
		>"$SCRATCH/oracle.out" 2>&1; then
		ok "$helm: flux template: each HelmRelease as helm template + kubectl kustomize + the labels ($(grep -c '^same' "$SCRATCH/oracle.out") releases)"
	else
		not_ok "$helm: flux template differs from the real tools"
		sed 's/^/#   /' "$SCRATCH/oracle.out" | head -40
	fi
	# the release names and namespaces helm-controller uses
	for want in "# HelmRelease shop/shop: release shop-prod-shop in namespace shop-prod" \
		"# HelmRelease tools/oci-app: release gadgets in namespace tools" \
		"# HelmRelease team-platform-tooling/an-app-release-named-long-enough-to-go: release $(printf %s team-platform-tooling-an-app-release-named-long-enough-to-go | cut -c1-40)-$(printf %s team-platform-tooling-an-app-release-named-long-enough-to-go | sha256sum | cut -c1-12) in namespace team-platform-tooling"; do
		if grep -qxF "$want" "$SCRATCH/flux.yaml"; then
			ok "$helm: flux template: $want"
		else
			not_ok "$helm: flux template: no line '$want'"
		fi
	done
	if grep -q 'release.yaml:[0-9]*:[0-9]*: patchesJson6902 (deprecated)' "$SCRATCH/err"; then
		ok "$helm: flux template warns of v2beta2's patchesJson6902"
	else
		not_ok "$helm: no warning for patchesJson6902"
	fi

	# lint: the repository is clean; a patch that matches nothing fails
	# shellcheck disable=SC2086
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux lint $paths \
		>"$SCRATCH/out" 2>"$SCRATCH/err")
	status=$?
	expect_status "$helm: flux lint of the repository" 0
	sed -i 's|app.kubernetes.io/name=fluxapp|app.kubernetes.io/name=fluxap|' \
		"$fleet/apps/oci/release.yaml"
	# shellcheck disable=SC2086
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux lint $paths \
		--output github >"$SCRATCH/out" 2>"$SCRATCH/err")
	status=$?
	if [ "$status" = 1 ] &&
		grep -qxF '::error file=apps/oci/release.yaml,line=33,col=9::patch 0 of postRenderers[0].kustomize matched no document (target: kind=Deployment, labelSelector=app.kubernetes.io/name=fluxap)' "$SCRATCH/out" &&
		grep -qx 'helm-x: error: flux lint: 1 problem in 1 of 5 HelmReleases' "$SCRATCH/err"; then
		ok "$helm: flux lint --output github: a patch that matches nothing"
	else
		not_ok "$helm: flux lint of a patch that matches nothing (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -10
	fi
	# flux template says so too, and renders
	# shellcheck disable=SC2086
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux template apps/oci \
		infrastructure >"$SCRATCH/out" 2>"$SCRATCH/err")
	status=$?
	if [ "$status" = 0 ] && grep -qxF 'helm-x: warning: HelmRelease tools/oci-app: patch 0 of postRenderers[0].kustomize matched no document (target: kind=Deployment, labelSelector=app.kubernetes.io/name=fluxap) at apps/oci/release.yaml:33:9' "$SCRATCH/err"; then
		ok "$helm: flux template warns of a patch that matches nothing"
	else
		not_ok "$helm: flux template of a patch that matches nothing (exit $status)"
		sed 's/^/#   /' "$SCRATCH/err" | head -10
	fi
	sed -i 's|app.kubernetes.io/name=fluxap$|app.kubernetes.io/name=fluxapp|' \
		"$fleet/apps/oci/release.yaml"

	# diff --from: the same repository is no change; a changed patch
	# shows its lines alone
	# shellcheck disable=SC2086
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux diff $paths \
		--from "$SCRATCH/flux.yaml" --detailed-exitcode \
		>"$SCRATCH/out" 2>"$SCRATCH/err")
	status=$?
	if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
		ok "$helm: flux diff --from its own template: nothing"
	else
		not_ok "$helm: flux diff --from its own template (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -10
	fi
	sed -i 's/limits: {memory: 256Mi}/limits: {memory: 512Mi}/' \
		"$fleet/apps/base/shop/release.yaml"
	# shellcheck disable=SC2086
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux diff $paths \
		--from "$SCRATCH/flux.yaml" --detailed-exitcode -C 0 \
		--output simple >"$SCRATCH/out" 2>"$SCRATCH/err")
	status=$?
	if [ "$status" = 2 ] &&
		grep -q 'shop-prod, shop-prod-shop, Deployment (apps)' "$SCRATCH/out"; then
		ok "$helm: flux diff -o simple: the changed Deployment, in the release namespace"
	else
		not_ok "$helm: flux diff -o simple (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -10
	fi
	# shellcheck disable=SC2086
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux diff $paths \
		--from "$SCRATCH/flux.yaml" -C 0 --no-color \
		>"$SCRATCH/out" 2>"$SCRATCH/err")
	status=$?
	if [ "$status" = 0 ] && [ "$(grep -c '^[-+] ' "$SCRATCH/out")" = 2 ] &&
		grep -q '^-  *memory: 256Mi$' "$SCRATCH/out" &&
		grep -q '^+  *memory: 512Mi$' "$SCRATCH/out"; then
		ok "$helm: flux diff: only the changed line of the patch"
	else
		not_ok "$helm: flux diff of a changed patch (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi

	# against the live release, installed as helm-controller stores it:
	# the post-renderers' output as kustomize emits it, no CRDs
	sed -i 's/limits: {memory: 512Mi}/limits: {memory: 256Mi}/' \
		"$fleet/apps/base/shop/release.yaml"
	sc="$SCRATCH/stored-chart"
	rm -rf "$sc"
	mkdir -p "$sc/templates"
	printf 'apiVersion: v2\nname: fluxapp\nversion: 0.3.1\n' >"$sc/Chart.yaml"
	cp "$SCRATCH/oracle/tools_oci-app/stored.yaml" "$sc/templates/manifest.yaml"
	"$H" install gadgets "$sc" -n tools --no-hooks >"$SCRATCH/out" 2>"$SCRATCH/err"
	status=$?
	expect_status "$helm: flux: a release installed with kustomize's text" 0
	# shellcheck disable=SC2086
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux diff $paths \
		--name tools/oci-app --detailed-exitcode \
		>"$SCRATCH/out" 2>"$SCRATCH/err")
	status=$?
	if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
		ok "$helm: flux diff against the live release: nothing"
	else
		not_ok "$helm: flux diff against the live release (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi
	sed -i 's/            value: 3$/            value: 4/' "$fleet/apps/oci/release.yaml"
	# shellcheck disable=SC2086
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux diff $paths \
		--name tools/oci-app --detailed-exitcode -C 0 --no-color \
		>"$SCRATCH/out" 2>"$SCRATCH/err")
	status=$?
	if [ "$status" = 2 ] && [ "$(grep -c '^[-+] ' "$SCRATCH/out")" = 2 ] &&
		grep -q '^-  *replicas: 3$' "$SCRATCH/out" &&
		grep -q '^+  *replicas: 4$' "$SCRATCH/out" &&
		grep -q '^tools, gadgets, Deployment (apps) has changed:$' "$SCRATCH/out"; then
		ok "$helm: flux diff against the live release: only the changed line"
	else
		not_ok "$helm: flux diff of a changed patch against the release (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -20
	fi
	sed -i 's/            value: 4$/            value: 3/' "$fleet/apps/oci/release.yaml"
	# shellcheck disable=SC2086
	(cd "$fleet" && PATH="$tools:$PATH" "$H" x flux diff $paths \
		--name shop/shop --output simple >"$SCRATCH/out" 2>"$SCRATCH/err")
	status=$?
	if [ "$status" = 0 ] &&
		grep -qxF "helm-x: warning: HelmRelease shop/shop: release 'shop-prod-shop' not found in namespace 'shop' (not installed yet?): its objects show as added" "$SCRATCH/err" &&
		grep -q 'shop-prod, shop-prod-shop, Deployment (apps)' "$SCRATCH/out"; then
		ok "$helm: flux diff of a release not installed yet: added, with a warning"
	else
		not_ok "$helm: flux diff of a release not installed (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -10
	fi
	"$H" uninstall gadgets -n tools >/dev/null 2>&1
fi
