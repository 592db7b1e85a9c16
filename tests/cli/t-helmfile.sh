#!/bin/sh
# shellcheck shell=sh
# helm-x as helmfile's helm binary: every command line helmfile runs
# against its helm (../shared/conformance/helmfile-argv/argv.json), replayed
# by tests/helmfile/replay.py with the recording stand-in helm behind
# helm-x.  Against the stand-in API server: tests/e2e/helmfile.sh.

hargv="$TOP/../shared/conformance/helmfile-argv/argv.json"
if [ -n "$VALGRIND" ]; then
	# the replay runs helm-x itself, not under valgrind: once is enough
	echo "# helmfile replay: run by make check, not again under valgrind"
elif [ ! -f "$hargv" ]; then
	echo "# SKIP: $hargv is not here: helmfile's command lines not replayed"
else
	python3 "$TOP/tests/helmfile/replay.py" "$HX" "$TOP/tests/cli/fake-helm" \
		"$hargv" "$TOP/testdata/charts/web" "$SCRATCH/replay" \
		>"$SCRATCH/replay.out" 2>&1
	while IFS= read -r line; do
		case $line in
		"PASS "*) ok "helmfile: ${line#PASS }" ;;
		"FAIL "*) not_ok "helmfile: ${line#FAIL }" ;;
		*) echo "# $line" ;;
		esac
	done <"$SCRATCH/replay.out"
	if ! grep -q '^PASS ' "$SCRATCH/replay.out"; then
		not_ok "helmfile: the replay ran no vector"
	fi
fi
