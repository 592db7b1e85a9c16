#!/bin/sh
# shellcheck shell=sh
# Hostile input (SPEC.md section 10): every case exits 1 with one clear
# line, writes nothing outside the temporary dir (a canary dir must stay
# empty) and leaves no temporary dir behind.

hfake="$TOP/tests/cli/fake-helm"
hchart="$TOP/testdata/charts/web"
canary="$SCRATCH/canary"
htmp="$SCRATCH/htmp"
mkdir -p "$canary" "$htmp"

# hostile DESC WANT-LINE CMD ARGS...: run helm-x with the fake helm printing
# $SCRATCH/hostile.yaml as its render; TMPDIR is $htmp
hostile() {
	desc=$1 want=$2
	shift 2
	TMPDIR="$htmp" HELM_BIN="$hfake" FAKE_HELM_LOG=/dev/null \
		FAKE_HELM_OUT="$SCRATCH/hostile.yaml" hx "$@"
	expect_err "$desc" "$want"
	if [ -z "$(ls -A "$canary")" ] && [ -z "$(ls -A "$htmp")" ]; then
		ok "$desc: nothing written outside, no temporary dir left"
	else
		not_ok "$desc: nothing written outside, no temporary dir left"
		find "$canary" "$htmp" | sed 's/^/#   /'
		rm -rf "${canary:?}"/* "${htmp:?}"/*
	fi
}

# hostile_render TEXT: what the fake helm template prints
hostile_render() {
	printf '%s\n' "$@" >"$SCRATCH/hostile.yaml"
}

# ---- path traversal through "# Source:" and kind/name
hostile_render '---' '# Source: x/../../../canary/evil.yaml' \
	'apiVersion: v1' 'kind: ConfigMap' 'metadata: {name: a}'
for cmd in lint install upgrade apply; do
	if [ "$cmd" = lint ]; then set -- lint "$hchart"; else
		set -- "$cmd" rel "$hchart"; fi
	rel=rel
	[ "$cmd" = lint ] && rel=release-name
	hostile "$cmd: a '..' in # Source is refused" \
		"<helm template $rel>:1: error: '# Source: x/../../../canary/evil.yaml': '..' component" \
		"$@"
done
hostile_render '---' "# Source: x/$canary/abs.yaml" \
	'apiVersion: v1' 'kind: ConfigMap' 'metadata: {name: a}'
hostile "an absolute path (x//abs) in # Source is refused" \
	"<helm template release-name>:1: error: '# Source: x/$canary/abs.yaml': empty path component" \
	lint "$hchart"
hostile_render '---' "# Source: $canary/abs.yaml" \
	'apiVersion: v1' 'kind: ConfigMap' 'metadata: {name: a}'
hostile "an absolute # Source is refused" \
	"<helm template release-name>:1: error: '# Source: $canary/abs.yaml': absolute path; the temporary chart takes only templates/..., crds/... and charts/NAME/..." \
	lint "$hchart"
hostile_render '# Source: web/values.yaml' 'kind: ConfigMap' 'metadata: {name: a}'
hostile "a # Source outside templates/, crds/ and charts/ is refused" \
	"<helm template rel>:1: error: '# Source: web/values.yaml': the temporary chart takes only templates/..., crds/... and charts/NAME/..." \
	install rel "$hchart"
hostile_render '# Source: web/charts/../templates/x.yaml' 'kind: ConfigMap' 'metadata: {name: a}'
hostile "charts/.. in # Source is refused" \
	"<helm template rel>:1: error: '# Source: web/charts/../templates/x.yaml': '..' component" \
	install rel "$hchart"
hostile_render '# Source: web/templates/_helpers.yaml' 'kind: ConfigMap' 'metadata: {name: a}'
hostile "a partial's name in # Source is refused (Helm would drop it)" \
	"<helm template rel>:1: error: '# Source: web/templates/_helpers.yaml': a name starting with '_' is a Helm partial, never rendered" \
	install rel "$hchart"
hostile_render '# Source: web/templates/NOTES.txt' 'kind: ConfigMap' 'metadata: {name: a}'
hostile "templates/NOTES.txt in # Source is refused" \
	"<helm template rel>:1: error: '# Source: web/templates/NOTES.txt': templates/NOTES.txt is Helm's notes, not a manifest" \
	install rel "$hchart"
printf '# Source: web/templates/a\001\033[31m.yaml\nkind: ConfigMap\n' >"$SCRATCH/hostile.yaml"
hostile "control bytes in # Source are shown escaped" \
	"<helm template rel>:1: error: '# Source: web/templates/a\\x01\\x1b[31m.yaml': control character in a name" \
	install rel "$hchart"
printf '# Source: web/templates/a\000/../../../../canary/x.yaml\nkind: ConfigMap\n' >"$SCRATCH/hostile.yaml"
hostile "a NUL byte in # Source is refused" \
	"<helm template rel>:1: error: '# Source: web/templates/a\\x00/../../../../canary/x.yaml': NUL byte" \
	install rel "$hchart"

# without a Source line, the file name comes from kind and name
printf 'apiVersion: v1\nkind: ../../../../canary/x\nmetadata: {name: a}\n' >"$SCRATCH/in.yaml"
TMPDIR="$htmp" HELM_BIN="$hfake" FAKE_HELM_LOG=/dev/null hx lint - <"$SCRATCH/in.yaml"
expect_err "a kind with '/' from stdin is refused" \
	"<stdin>:1: error: kind '../../../../canary/x': '/' in a name"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ..}\n' >"$SCRATCH/in.yaml"
TMPDIR="$htmp" HELM_BIN="$hfake" FAKE_HELM_LOG=/dev/null hx install rel - <"$SCRATCH/in.yaml"
expect_err "a name '..' from stdin is refused" \
	"<stdin>:1: error: metadata.name '..': '..' component"

# ---- signals: nothing printed after one, no temporary dir, 128+N, and
# the child helm gets a signal sent to helm-x alone
tar -czf "$SCRATCH/web-1.2.3.tgz" -C "$TOP/testdata/charts" web
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' >"$SCRATCH/ok-render.yaml"
for sig in INT TERM; do
	for src in "$hchart" "$SCRATCH/web-1.2.3.tgz"; do
		what="SIG$sig during helm template of $(basename "$src")"
		rm -f "$SCRATCH/cancel"
		TMPDIR="$htmp" HELM_BIN="$hfake" FAKE_HELM_LOG=/dev/null \
			FAKE_HELM_CANCEL="$SCRATCH/cancel" \
			FAKE_HELM_OUT="$SCRATCH/ok-render.yaml" \
			$VALGRIND "$HX" template rel "$src" \
			>"$SCRATCH/out" 2>"$SCRATCH/err" &
		pid=$!
		for _ in $(seq 1 100); do
			[ -s "$SCRATCH/cancel" ] && break
			sleep 0.1
		done
		kill "-$sig" "$pid"
		wait "$pid"
		status=$?
		want=130
		[ "$sig" = TERM ] && want=143
		if [ "$status" = "$want" ] && [ ! -s "$SCRATCH/out" ] &&
			[ "$(cat "$SCRATCH/cancel")" = cancelled ] &&
			[ -z "$(ls -A "$htmp")" ]; then
			ok "$what: helm gets it, nothing printed, exit $want, no temporary dir"
		else
			not_ok "$what: exit $status (want $want), stdout $(wc -c <"$SCRATCH/out") bytes, helm: $(cat "$SCRATCH/cancel"), left: $(ls -A "$htmp")"
			rm -rf "${htmp:?}"/*
		fi
	done
done

# a reader that stops early: helm-x dies of SIGPIPE quietly
python3 -c 'import sys
for i in range(20000):
    sys.stdout.write("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\n" % i)' \
	>"$SCRATCH/many.yaml"
TMPDIR="$htmp" HELM_BIN="$hfake" FAKE_HELM_LOG=/dev/null \
	FAKE_HELM_OUT="$SCRATCH/many.yaml" "$HX" template rel "$SCRATCH/web-1.2.3.tgz" \
	2>"$SCRATCH/err" | head -n 1 >"$SCRATCH/out"
if [ "$(cat "$SCRATCH/out")" = "---" ] && [ ! -s "$SCRATCH/err" ] &&
	[ -z "$(ls -A "$htmp")" ]; then
	ok "template | head -1: quiet, no temporary dir"
else
	not_ok "template | head -1: stderr: $(head -c 300 "$SCRATCH/err"); left: $(ls -A "$htmp")"
fi
