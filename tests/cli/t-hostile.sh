#!/bin/sh
# shellcheck shell=sh
# shellcheck disable=SC2016 # $patch, $ref and $(...) are YAML text here
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

# --dependency copies the chart: links back into it are a loop, not 99,000
# directories
cp -R "$hchart" "$SCRATCH/loopchart"
ln -s . "$SCRATCH/loopchart/templates/a"
ln -s . "$SCRATCH/loopchart/templates/b"
hostile_render 'apiVersion: v1' 'kind: ConfigMap' 'metadata: {name: a}'
hostile "--dependency on a chart with links to itself" \
	"helm-x: error: '$SCRATCH/loopchart/templates/a' leads back to '$SCRATCH/loopchart/templates' (a symlink loop)" \
	template rel "$SCRATCH/loopchart" --dependency extra=local/web:1.2.3
rm -rf "$SCRATCH/loopchart"
HELM_X_MAX_INPUT_BYTES=1K hostile "--dependency copies a chart no larger than the input limit" \
	"helm-x: error: the copy of the chart passes 1024 bytes at '$hchart/templates/configmap.yaml' (the limit is HELM_X_MAX_INPUT_BYTES)" \
	template rel "$hchart" --dependency extra=local/web:1.2.3

# ---- signals: nothing printed after one, no temporary dir, 128+N, and
# the child helm gets a signal sent to helm-x alone
tar -czf "$SCRATCH/web-1.2.3.tgz" -C "$TOP/testdata/charts" web
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' >"$SCRATCH/ok-render.yaml"
for sig in INT TERM; do
	for src in "$hchart" "$SCRATCH/web-1.2.3.tgz" install; do
		cmd=template
		if [ "$src" = install ]; then
			cmd=install
			src=$hchart
		fi
		what="SIG$sig during helm $cmd of $(basename "$src")"
		rm -f "$SCRATCH/cancel"
		TMPDIR="$htmp" HELM_BIN="$hfake" FAKE_HELM_LOG=/dev/null \
			FAKE_HELM_CANCEL="$SCRATCH/cancel" FAKE_HELM_CANCEL_ON=$cmd \
			FAKE_HELM_OUT="$SCRATCH/ok-render.yaml" \
			$VALGRIND "$HX" $cmd rel "$src" \
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
		# install: helm's own stdout passes through, helm-x adds nothing
		[ "$cmd" = install ] &&
			sed -i '/^Release rel has been cancelled\.$/d' "$SCRATCH/out"
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

# ---- helm-x patch on hostile streams and patch files: exit 1, one line
cd "$SCRATCH" || exit 1
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n' >cm.yaml
printf 'target: {kind: ConfigMap}\npatch: [{op: add, path: /data/x, value: y}]\n' >cm-patch.yaml

# one_line DESC WANT ARGS...: helm-x ARGS gives exactly the line WANT
one_line() {
	desc=$1 want=$2
	shift 2
	TMPDIR="$htmp" hx "$@"
	expect_err "$desc" "$want"
	# (valgrind's own lines, "==PID== ...", do not count)
	lines=$(grep -cv '^==[0-9]*==' "$SCRATCH/err")
	if [ "$lines" = 1 ] && [ -z "$(ls -A "$htmp")" ]; then
		ok "$desc: one line, no temporary dir"
	else
		not_ok "$desc: $lines lines of stderr, left: $(ls -A "$htmp")"
	fi
}

python3 - <<'PY'
lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a}',
         'l0: &l0 [x, x, x, x, x, x, x, x, x, x]']
for i in range(1, 10):
    lines.append('l%d: &l%d [%s]' % (i, i, ', '.join(['*l%d' % (i - 1)] * 10)))
open('laughs.yaml', 'w').write('\n'.join(lines) + '\n')
open('deep-block.yaml', 'w').write('a:\n' + ''.join('  ' * i + '- \n' for i in range(1, 1)) + '- ' * 1500 + 'x\n')
open('deep-flow.yaml', 'w').write('a: ' + '[' * 100000 + ']' * 100000 + '\n')
open('deep-map.yaml', 'w').write('a: ' + '{a: ' * 25000 + '1' + '}' * 25000 + '\n')
pad = 'pad: [' + ','.join(['x'] * 100000) + ']\n'
chain = 'a0: &a0 [x]\n' + ''.join('a%d: &a%d [*a%d]\n' % (i, i, i - 1) for i in range(1, 1200))
open('deep-alias.yaml', 'w').write(pad + chain)
open('scalar.yaml', 'w').write('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {big: ' + 'x' * (2 << 20) + '}\n')
open('ptr.yaml', 'w').write('target: {kind: ConfigMap}\npatch: [{op: remove, path: "' + '/a' * 10000 + '"}]\n')
v = '[' * 600 + ']' * 600
open('deepen.yaml', 'w').write('target: {kind: ConfigMap}\npatch:\n- {op: add, path: /data/d, value: %s}\n- {op: add, path: /data/d%s, value: %s}\n' % (v, '/0' * 599, v))
PY
one_line "billion laughs" \
	"laughs.yaml:7:45: error: aliases expand to more than 10000 nodes (billion laughs?)" \
	patch laughs.yaml --json-patch cm-patch.yaml
one_line "block nesting deeper than 1000" \
	"deep-block.yaml:2:1999: error: nesting deeper than 1000" patch deep-block.yaml
one_line "flow nesting deeper than 1000 (libyaml's quadratic scanner stops early)" \
	"deep-flow.yaml:1:1003: error: nesting deeper than 1000" patch deep-flow.yaml
one_line "flow mappings nested 25,000 deep" \
	"deep-map.yaml:1:4000: error: nesting deeper than 1000" patch deep-map.yaml
one_line "aliases that nest deeper than 1000" \
	"deep-alias.yaml:1000:14: error: nesting deeper than 1000" patch deep-alias.yaml
one_line "JSON patch ops that build nesting deeper than 1000" \
	"deepen.yaml:4:3: error: op 1 'add': the result nests deeper than 1000 (v1 ConfigMap a)" \
	patch cm.yaml --json-patch deepen.yaml
HELM_X_MAX_SCALAR_BYTES=1M one_line "a scalar over the limit" \
	"scalar.yaml:4:13: error: a scalar of 2097152 bytes is larger than 1 MiB (the limit is HELM_X_MAX_SCALAR_BYTES)" \
	patch scalar.yaml
HELM_X_MAX_INPUT_BYTES=1M one_line "an endless input (/dev/zero)" \
	"helm-x: error: '/dev/zero' is larger than 1 MiB (the limit is HELM_X_MAX_INPUT_BYTES)" \
	patch /dev/zero
HELM_X_MAX_INPUT_BYTES=lots one_line "a limit that is no size" \
	"helm-x: error: HELM_X_MAX_INPUT_BYTES='lots': want a number of bytes, such as 512M" \
	patch cm.yaml
one_line "a 10,000-segment pointer: linear, and shown shortened" \
	"ptr.yaml:2:9: error: op 0 'remove': path '/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a...(20000 bytes)': '/a' does not exist (v1 ConfigMap a)" \
	patch cm.yaml --json-patch ptr.yaml

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a\377"}\n' >utf8.yaml
one_line "invalid UTF-8: line and column of the byte" \
	"utf8.yaml:3:20: error: invalid leading UTF-8 octet (byte 0xFF)" patch utf8.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: "x\000y"}\n' >nul.yaml
one_line "a NUL byte" \
	"nul.yaml:4:13: error: control characters are not allowed (byte 0x00)" patch nul.yaml
printf 'apiVersion: v1\nkind: ConfigMap\rmetadata: {name: a}\n' >cr.yaml
one_line "a carriage return without a line feed" \
	"cr.yaml:2:16: error: a carriage return without a line feed (write LF or CR LF line ends)" \
	patch cr.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n' >tab.yaml
one_line "a tab for indentation" \
	"tab.yaml:4:1: error: found character that cannot start any token (while scanning for the next token)" \
	patch tab.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a}\n' >quote.yaml
one_line "an unterminated quote" \
	"quote.yaml:4:1: error: found unexpected end of stream (while scanning a quoted scalar at line 3)" \
	patch quote.yaml
printf 'target: {kind: ConfigMap}\ntarget: {kind: Secret}\npatch: []\n' >dupkey.yaml
one_line "a duplicate key in a patch file" \
	"dupkey.yaml:2:1: error: duplicate key 'target'" patch cm.yaml --json-patch dupkey.yaml
printf '\177ELF\001\001\001\000' >notyaml.yaml
one_line "a patch file that is not YAML" \
	"notyaml.yaml:1:1: error: control characters are not allowed (byte 0x7F)" \
	patch cm.yaml --json-patch notyaml.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n' >dupkind.yaml
one_line "a duplicate kind: ambiguous, not 'matched no document'" \
	"dupkind.yaml:3:1: error: duplicate key 'kind': the document's identity is ambiguous" \
	patch dupkind.yaml --json-patch cm-patch.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n$patch: [a, b]\n' >dir-list.yaml
one_line "a \$patch that is a list" \
	"dir-list.yaml:4:9: error: strategic merge: unknown \$patch value '[a, b]' (want replace, delete or merge) at '/' (v1 ConfigMap a)" \
	patch cm.yaml --strategic-merge-patch dir-list.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  $retainKeys: k\n  k: v\n' >dir-rk.yaml
one_line "\$retainKeys that is no list" \
	"dir-rk.yaml:5:16: error: strategic merge: '\$retainKeys' must be a list of keys at '/data' (v1 ConfigMap a)" \
	patch cm.yaml --strategic-merge-patch dir-rk.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n$setElementOrder/data: x\n' >dir-seo.yaml
one_line "\$setElementOrder that is no list" \
	"dir-seo.yaml:4:24: error: strategic merge: '\$setElementOrder/data' must be a list at '/' (v1 ConfigMap a)" \
	patch cm.yaml --strategic-merge-patch dir-seo.yaml
printf 'patches:\n- target: {kind: ConfigMap, name: "(a+)+$|a+!"}\n  patch: "[]"\n' >catastrophic.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!}\n' >aaa.yaml
one_line "a catastrophic regex stops at PCRE2's limit, with an error" \
	"catastrophic.yaml:2:35: error: regular expression '(a+)+\$|a+!' on 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!': match limit exceeded" \
	patch aaa.yaml --patches catastrophic.yaml
printf 'patches:\n- target: {kind: ConfigMap, name: "a$"}\n  patch: "[]"\n' >dollar.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a\\n"}\n' >nl-name.yaml
one_line "'\$' matches only at the very end (as Go's)" \
	"dollar.yaml:2:3: error: patch 0 of --patches matched no document (target: kind=ConfigMap, name=a$); the render holds: ConfigMap a\\x0a" \
	patch nl-name.yaml --patches dollar.yaml
printf 'patches:\n- target: {kind: ConfigMap, name: "web-("}\n  patch: "[]"\n' >badre.yaml
one_line "an invalid regex" \
	"badre.yaml:2:35: error: invalid regular expression 'web-(': missing closing parenthesis at offset 5" \
	patch cm.yaml --patches badre.yaml
printf 'patches:\n- target: {kind: ConfigMap, labelSelector: "a>abc"}\n  patch: "[]"\n' >sel.yaml
one_line "a selector '>' without a number" \
	"sel.yaml:2:44: error: invalid selector 'a>abc': '>' and '<' want an integer at offset 5" \
	patch cm.yaml --patches sel.yaml
mkdir -p pdir
printf 'patches:\n- target: {kind: ConfigMap}\n  path: pdir\n' >pathdir.yaml
one_line "a path: that is a directory keeps its file:line" \
	"pathdir.yaml:3:9: error: 'pdir' is not a regular file" patch cm.yaml --patches pathdir.yaml
rm -f fifo && mkfifo fifo
printf 'patches:\n- target: {kind: ConfigMap}\n  path: fifo\n' >pathfifo.yaml
one_line "a path: that is a FIFO is refused, not waited on" \
	"pathfifo.yaml:3:9: error: 'fifo' is not a regular file" patch cm.yaml --patches pathfifo.yaml
printf 'patches:\n- target: {kind: ConfigMap}\n  path: /dev/zero\n' >pathzero.yaml
one_line "a path: /dev/zero" \
	"pathzero.yaml:3:9: error: '/dev/zero' is not a regular file" patch cm.yaml --patches pathzero.yaml
one_line "a directory where a patch file is expected" \
	"helm-x: error: cannot read 'pdir': Is a directory" patch cm.yaml --json-patch pdir
: >empty.yaml
one_line "empty input: the patch matches nothing" \
	"cm-patch.yaml:1:1: error: patch 0 of --json-patch matched no document (target: kind=ConfigMap); the render holds no object" \
	patch empty.yaml --json-patch cm-patch.yaml
printf -- '---\n---\n' >dashes.yaml
one_line "input of only ---" \
	"cm-patch.yaml:1:1: error: patch 0 of --json-patch matched no document (target: kind=ConfigMap); the render holds no object" \
	patch dashes.yaml --json-patch cm-patch.yaml
why="helm takes lower-case letters, digits, '-' and '.' (each part between dots starting and ending with a letter or digit), at most 53 characters"
one_line "a release name that starts with '-'" \
	"helm-x: error: invalid release name '--post-renderer=x': $why" \
	template --name=--post-renderer=x "$hchart"
# release names as helm checks them, before anything is written: no way
# out of --output-dir through a manifest dir or kustomization's name
mkdir -p mdir odir
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' >mdir/cm.yaml
one_line "--output-dir --release-name: a release name with '../'" \
	"helm-x: error: invalid release name '../../x': $why" \
	template ../../x mdir --output-dir odir --release-name
if [ -z "$(ls -A odir)" ] && [ ! -e x ] && [ ! -e ../x ]; then
	ok "--output-dir: nothing written for a refused release name"
else
	not_ok "--output-dir wrote for a refused name: $(ls -A odir)"
fi
one_line "a release name with upper case" \
	"helm-x: error: invalid release name 'Web': $why" template Web mdir
one_line "a release name with a newline" \
	"helm-x: error: invalid release name 'a\\x0ab': $why" \
	template "$(printf 'a\nb')" mdir
one_line "a release name of 54 characters" \
	"helm-x: error: invalid release name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': $why" \
	template aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa mdir
one_line "a release name with an empty part" \
	"helm-x: error: invalid release name 'a..b': $why" template a..b mdir
one_line "adopt: a release name with '/'" \
	"helm-x: error: invalid release name 'a/b': $why" adopt a/b cm/x
one_line "--post-render: a release name with '../'" \
	"helm-x: error: invalid release name '../x': $why" \
	template ../x "$hchart" --post-render
TMPDIR="$htmp" hx template a.b-1.c mdir
expect_status "a release name of dotted parts with '-' inside" 0
one_line "a helm flag given to patch" \
	"helm-x: error: '--set' is a helm flag: 'patch' reads YAML streams (render with 'helm x template', or pipe into 'helm-x patch')" \
	patch cm.yaml --set a=b

if [ "$(id -u)" != 0 ]; then
	cp cm-patch.yaml unreadable.yaml && chmod 000 unreadable.yaml
	one_line "an unreadable patch file" \
		"helm-x: error: cannot open 'unreadable.yaml': Permission denied" \
		patch cm.yaml --json-patch unreadable.yaml
else
	echo "# SKIP unreadable file: root reads every file (covered by 'a path: that is a directory')"
fi
if [ -z "$VALGRIND" ]; then
	# the real thing, at the default limit (64 MiB)
	python3 -c 'import sys
sys.stdout.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {big: " + "x" * (200 << 20) + "}\n")' >big.yaml
	one_line "a 200 MB scalar" \
		"big.yaml:4:13: error: a scalar of 209715200 bytes is larger than 64 MiB (the limit is HELM_X_MAX_SCALAR_BYTES)" \
		patch big.yaml
	rm -f big.yaml
fi
# a byte order mark stays in front of a patched document
printf '\357\273\277apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n' >bom.yaml
hx patch bom.yaml --json-patch cm-patch.yaml
if [ "$status" = 0 ] && [ "$(head -c 3 "$SCRATCH/out" | od -An -tx1 | tr -d ' ')" = efbbbf ] &&
	grep -q '^data: {k: v, x: y}$' "$SCRATCH/out"; then
	ok "a BOM stays in front of a patched document"
else
	not_ok "a BOM in front of a patched document: exit $status"
fi

# names with spaces, quotes, newlines and $(...) are data everywhere
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a b'"'"'\\"$(touch %s/pwned)\\n"}\n' \
	"/tmp" >names.yaml
printf 'patches:\n- target: {kind: ConfigMap, name: "a b.*\\\\n"}\n  patch: "[{op: add, path: /data, value: {k: v}}]"\n' >names-p.yaml
hx patch names.yaml --patches names-p.yaml
if [ "$status" = 0 ] && grep -q '^  k: v$' "$SCRATCH/out" && [ -z "$(ls -A "$canary")" ]; then
	ok "a name with a space, quotes, a newline and \$(...) is patched as data"
else
	not_ok "a name with a space, quotes, a newline and \$(...): exit $status"
fi
TMPDIR="$htmp" HELM_BIN="$hfake" FAKE_HELM_LOG=/dev/null hx install rel - <names.yaml
expect_err "such a name cannot name a file in the temporary chart" \
	"<stdin>:1: error: metadata.name 'a b\\'\"\$(touch /tmp/pwned)\\x0a': '/' in a name"

# files named like flags, after "--"; a symlink loop in a manifest dir
cp cm.yaml ./--help && cp cm.yaml ./-n
hx patch -- --help -n
if [ "$status" = 0 ] && [ "$(grep -c '^kind: ConfigMap' "$SCRATCH/out")" = 2 ]; then
	ok "files named --help and -n are read after --"
else
	not_ok "files named --help and -n: exit $status"
fi
mkdir -p loop && cp cm.yaml loop/ && ln -sf .. loop/up
one_line "a symlink loop in a manifest dir" \
	"helm-x: error: 'loop/up/loop' leads back to 'loop' (a symlink loop)" \
	patch loop --json-patch cm-patch.yaml

# emitted YAML reads back: empty nulls in flow, null and complex keys
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nf: {a: , b: 1}\nl: [a, b]\nt: {{ include "x" . }}\n? [a, b]\n: c\ne: {? : n}\n? \n: v\n' >rt.yaml
printf 'target: {kind: ConfigMap}\npatch:\n- {op: add, path: /l/1, value: }\n- {op: add, path: /l/-, value: }\n' >rt-p.yaml
hx patch rt.yaml --json-patch rt-p.yaml
cp "$SCRATCH/out" rt-out.yaml
printf 'target: {kind: ConfigMap}\npatch:\n- {op: test, path: /l, value: [a, null, b, null]}\n- {op: test, path: /f, value: {a: null, b: 1}}\n- {op: test, path: /e, value: {null: n}}\n' >rt-test.yaml
hx patch rt-out.yaml --json-patch rt-test.yaml
expect_status "nulls in flow collections and odd keys read back as written" 0
if grep -q '^null: v$' rt-out.yaml && grep -q '^e: {null: n}$' rt-out.yaml &&
	grep -q '^l: \[a, null, b, null\]$' rt-out.yaml &&
	grep -q '^t: {{include "x" .: }: }$' rt-out.yaml; then
	ok "a null key is written 'null', a null list item 'null'"
else
	not_ok "null keys and items"
	sed 's/^/#   /' rt-out.yaml
fi

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nl: [-, "a\\tb", "c\\t#d"]\nm: {k: -, "this map is now longer than one line": "of eighty characters, so block"}\nt: a\tb\n' >flowplain.yaml
printf 'target: {kind: ConfigMap}\npatch:\n- {op: add, path: /l/-, value: "this list is now longer than one line of eighty characters"}\n' >flowplain-p.yaml
hx patch flowplain.yaml --json-patch flowplain-p.yaml
cp "$SCRATCH/out" flowplain-out.yaml
printf 'target: {kind: ConfigMap}\npatch:\n- {op: test, path: /l/0, value: "-"}\n- {op: test, path: /m/k, value: "-"}\n- {op: test, path: /l/1, value: "a\\tb"}\n- {op: test, path: /l/2, value: "c\\t#d"}\n- {op: test, path: /t, value: "a\\tb"}\n' >flowplain-t.yaml
hx patch flowplain-out.yaml --json-patch flowplain-t.yaml
if [ "$status" = 0 ] && grep -q '^t: a	b$' flowplain-out.yaml; then
	ok "'-' read in flow, tabs in plain scalars: emitted so they read back"
else
	not_ok "flow-read plain scalars in block: exit $status"
	sed 's/^/#   /' flowplain-out.yaml "$SCRATCH/err"
fi

# strategic merge on long lists and self-referring OpenAPI schemas ends
python3 -c 'import sys
print("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        env:")
for i in range(5000): print("        - {name: V%d, value: x}" % i)' >env.yaml
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        env:\n        - {name: NEW, value: y}\n' >env-p.yaml
hx patch env.yaml --strategic-merge-patch env-p.yaml
if [ "$status" = 0 ] && [ "$(grep -c '{name: V' "$SCRATCH/out")" = 5000 ] &&
	grep -A1 '^        env:$' "$SCRATCH/out" | grep -q 'name: NEW'; then
	ok "5,000 env vars + 1 merge by key (new item first, as apimachinery)"
else
	not_ok "5,000 env vars + 1: exit $status"
fi
printf 'definitions:\n  io.x.W:\n    x-kubernetes-group-version-kind: [{group: x.io, version: v1, kind: W}]\n    allOf: [{$ref: "#/definitions/io.x.W"}, {$ref: "#/definitions/io.x.W"}, {$ref: "#/definitions/io.x.W"}, {$ref: "#/definitions/io.x.W"}, {$ref: "#/definitions/io.x.W"}, {$ref: "#/definitions/io.x.W"}]\n' >oa.yaml
printf 'apiVersion: x.io/v1\nkind: W\nmetadata: {name: a}\nspec: {a: [1]}\n' >w.yaml
printf 'apiVersion: x.io/v1\nkind: W\nmetadata: {name: a}\nspec: {a: [2]}\n' >w-p.yaml
hx patch w.yaml --openapi oa.yaml --strategic-merge-patch w-p.yaml
expect_status "allOf entries that refer to their own definition end" 0
# NUL bytes in a pointer, a target field or a path: refused, never cut short
printf 'patch: [{op: add, path: "/data/x\\0/y", value: 1}]\n' >nul-ptr.yaml
one_line "a pointer holding a NUL byte" \
	"nul-ptr.yaml:1:25: error: op 0 'add': 'path' holds a NUL byte" \
	patch cm.yaml --json-patch nul-ptr.yaml
printf 'target: {kind: "ConfigMap\\0x"}\npatch: []\n' >nul-target.yaml
one_line "a target field holding a NUL byte" \
	"nul-target.yaml:1:16: error: target field 'kind' must be a string (without NUL bytes)" \
	patch cm.yaml --json-patch nul-target.yaml
printf 'target: {kind: ConfigMap}\npath: "cm-patch.yaml\\0x"\n' >nul-path.yaml
one_line "a path: holding a NUL byte" \
	"nul-path.yaml:2:7: error: 'path' must be a file name" \
	patch cm.yaml --json-patch nul-path.yaml
# a key holding NUL bytes is neither a field name nor a directive
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      "$setElementOrder/containers\\0AAAA": [{name: web}]\n      "$patch\\0x": delete\n' >nulkey.yaml
hx patch env.yaml --strategic-merge-patch nulkey.yaml
if [ "$status" = 0 ] && [ "$(grep -c '{name: V' "$SCRATCH/out")" = 5000 ]; then
	ok "keys with NUL bytes are not directives"
else
	not_ok "keys with NUL bytes: exit $status"
	head -3 "$SCRATCH/err" | sed 's/^/#   /'
fi
# a reader that goes away (| head): helm-x dies of SIGPIPE, leaving no
# temporary dir
python3 -c "
print('\n---\n'.join('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\ndata: {a: \"%s\"}' % (i, 'x' * 200) for i in range(3000)))" >many.yaml
for cmd in "diff rel many.yaml --from cm.yaml" "template rel many.yaml"; do
	# shellcheck disable=SC2086 # the command's words
	{ TMPDIR="$htmp" $VALGRIND "$HX" $cmd; echo $? >pipe-status; } | head -c 10 >/dev/null
	if [ "$(cat pipe-status)" = 141 ] && [ -z "$(ls -A "$htmp")" ]; then
		ok "$cmd | head: dies of SIGPIPE, no temporary dir left"
	else
		not_ok "$cmd | head: exit $(cat pipe-status), left: $(ls -A "$htmp")"
		rm -rf "${htmp:?}"/*
	fi
done
cd "$TOP" || exit 1
