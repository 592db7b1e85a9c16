#!/bin/sh
# helmfile's command lines for helm-x's own commands (template, lint, diff
# upgrade, upgrade --install: ../shared/conformance/helmfile-argv), with
# real Helm 3 and Helm 4 behind helm-x and the cluster of run.sh (the
# stand-in, or HELM_X_E2E_KUBECONFIG's) under every context name the
# vectors use.  tests/helmfile/replay.py --real says what each must do.
# Sourced by tests/e2e/run.sh after its per-helm runs.
# shellcheck disable=SC2154 # tools, SCRATCH, KUBECONFIG come from run.sh

hargv="$TOP/../shared/conformance/helmfile-argv/argv.json"
if [ ! -f "$hargv" ]; then
	echo "# SKIP: $hargv is not here: helmfile's command lines not replayed"
else
	kc="$SCRATCH/hf-kubeconfig"
	cp "$KUBECONFIG" "$kc"
	cluster=$("$tools/kubectl" config view --kubeconfig "$kc" --minify \
		-o 'jsonpath={.contexts[0].context.cluster}')
	user=$("$tools/kubectl" config view --kubeconfig "$kc" --minify \
		-o 'jsonpath={.contexts[0].context.user}')
	python3 -c '
import json, sys
names = set()
for v in json.load(open(sys.argv[1])):
    a = v["argv"]
    names.update(a[i + 1] for i, w in enumerate(a[:-1]) if w == "--kube-context")
print("\n".join(sorted(names)))' "$hargv" | while IFS= read -r ctx; do
		"$tools/kubectl" config set-context "$ctx" --kubeconfig "$kc" \
			--cluster "$cluster" --user "$user" --namespace default \
			>/dev/null
	done
	# --three-way-merge reads the live objects with kubectl
	KUBECTL_BIN="$tools/kubectl" \
		python3 "$TOP/tests/helmfile/replay.py" --real "$HX" \
		"$tools/helm3" "$tools/helm4" "$hargv" "$TOP/testdata/charts/hf" \
		"$SCRATCH/hf-real" "$kc" >"$SCRATCH/hf-real.out" 2>&1
	while IFS= read -r line; do
		case $line in
		"PASS "*) ok "helmfile, real helm: ${line#PASS }" ;;
		"FAIL "*) not_ok "helmfile, real helm: ${line#FAIL }" ;;
		*) echo "# $line" ;;
		esac
	done <"$SCRATCH/hf-real.out"
	if ! grep -q '^PASS ' "$SCRATCH/hf-real.out"; then
		not_ok "helmfile, real helm: the replay ran no vector"
	fi
fi
