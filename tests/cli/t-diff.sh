#!/bin/sh
# shellcheck shell=sh
# shellcheck disable=SC2154 # status is set by hx() in lib.sh
# helm x diff offline (diff manifests, --from): outputs, exit codes, flags,
# and every error line.  Against a release: tests/e2e.

D="$SCRATCH/diffm"
mkdir -p "$D"
cat >"$D/old.yaml" <<'YAML'
---
# Source: app/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  a: "1"
  b: "2"
---
# Source: app/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  password: hunter2
---
# Source: app/templates/kept.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: kept
  annotations:
    helm.sh/resource-policy: keep
---
# Source: app/templates/gone.yaml
apiVersion: v1
kind: Service
metadata:
  name: gone
---
# Source: app/templates/tests/t.yaml
apiVersion: v1
kind: Pod
metadata:
  name: app-test
  annotations:
    helm.sh/hook: test
YAML
cat >"$D/new.yaml" <<'YAML'
---
# Source: app/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  a: "1"
  b: "3"
---
# Source: app/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  password: correct-horse
---
# Source: app/templates/list.yaml
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: prod
---
# Source: app/templates/tests/t.yaml
apiVersion: v1
kind: Pod
metadata:
  name: app-test
  annotations:
    helm.sh/hook: test
spec:
  restartPolicy: Never
YAML

hx diff manifests "$D/old.yaml" "$D/new.yaml" --no-color
cat >"$D/want" <<'TXT'
default, cm, ConfigMap (v1) has changed:
  # Source: app/templates/cm.yaml
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: cm
  data:
    a: "1"
-   b: "2"
+   b: "3"
default, creds, Secret (v1) has changed:
  # Source: app/templates/secret.yaml
  apiVersion: v1
  kind: Secret
  metadata:
    name: creds
  data:
-   password: '-------- # (7 bytes)'
+   password: '++++++++ # (13 bytes)'

default, gone, Service (v1) has been removed:
- # Source: app/templates/gone.yaml
- apiVersion: v1
- kind: Service
- metadata:
-   name: gone
+ 
prod, web, Deployment (apps) has been added:
+ apiVersion: apps/v1
+ kind: Deployment
+ metadata:
+   name: web
+   namespace: prod

TXT
expect_out "diff manifests: helm-diff's report (keep, List, tests, Secret)" "$D/want"
expect_status "diff without --detailed-exitcode exits 0" 0
hx diff manifests "$D/old.yaml" "$D/new.yaml" --detailed-exitcode --output simple
expect_status "--detailed-exitcode: 2 when anything changed" 2
hx diff manifests "$D/old.yaml" "$D/old.yaml" --detailed-exitcode
if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
	ok "--detailed-exitcode: 0 and nothing printed when nothing changed"
else
	not_ok "no change (exit $status)"
fi
hx diff manifests "$D/old.yaml" "$D/new.yaml" --include-tests --no-color
expect_grep "--include-tests compares the test hooks" \
	"^default, app-test, Pod (v1) has changed:$"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --show-secrets --no-color
expect_grep "--show-secrets shows the values" "^+   password: correct-horse$"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --show-secrets-decoded --no-color
expect_grep "--show-secrets-decoded: values under stringData" "^-   password: hunter2$"
# a Secret with values that are no base64 (text, a map, null) and
# kubectl's last-applied copy: redacted key by key, never printed
cat >"$D/sold.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"pw":"c2VjcmV0LW9sZA=="}}'
data:
  pw: c2VjcmV0LW9sZA==
  plain: secret-plain-old
stringData:
  token: secret-token
YAML
cat >"$D/snew.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"pw":"c2VjcmV0LW5ldw=="}}'
data:
  pw: c2VjcmV0LW5ldw==
  plain: {secret: map-new}
  gone: ~
stringData:
  token: secret-token
YAML
for o in diff markdown json simple; do
	hx diff manifests "$D/sold.yaml" "$D/snew.yaml" --no-color -o "$o"
	if [ "$status" = 0 ] && [ -s "$SCRATCH/out" ] &&
		! grep -q 'secret-\|map-new\|c2VjcmV0' "$SCRATCH/out"; then
		ok "-o $o: a Secret with values that are no base64 stays redacted"
	else
		not_ok "-o $o: a Secret's values printed (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" | head -20
	fi
done
hx diff manifests "$D/sold.yaml" "$D/snew.yaml" --no-color
expect_grep "the same value on both sides is REDACTED" \
	"^    token: 'REDACTED # (12 bytes)'$"
expect_grep "a value that is no base64 is redacted as its own text" \
	"^-   plain: '-------- # (16 bytes)'$"
expect_grep "kubectl's last-applied-configuration is redacted whole" \
	"^+     kubectl.kubernetes.io/last-applied-configuration: '++++++++ # (34 bytes)'$"
printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: [secret-in-a-list]\n' \
	>"$D/slist.yaml"
hx diff manifests "$D/sold.yaml" "$D/slist.yaml" --no-color
expect_grep "a data that is no map is one redacted value" \
	"^+   data: '++++++++ # (19 bytes)'$"
hx diff manifests "$D/old.yaml" "$D/new.yaml" -q --no-color
expect_grep "-q hides a Secret's changes" \
	"^+ Changes suppressed on sensitive content of type Secret$"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --suppress ConfigMap --no-color
expect_grep "--suppress KIND" \
	"^+ Changes suppressed on sensitive content of type ConfigMap$"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --suppress-output-line-regex 'b: "[23]"' --no-color
expect_grep "--suppress-output-line-regex empties a change" \
	"^default, cm, ConfigMap (v1) has changed, but diff is empty after suppression.$"
hx diff manifests "$D/old.yaml" "$D/new.yaml" -C 0 --no-color
if grep -q '^\.\.\.$' "$SCRATCH/out" && ! grep -q '^    a: "1"$' "$SCRATCH/out"; then
	ok "-C 0: only the changed lines and '...'"
else
	not_ok "-C 0"
fi
hx diff manifests "$D/old.yaml" "$D/new.yaml" --output json
expect_grep "--output json" '"change": "REMOVE"'
HELM_DIFF_OUTPUT=simple hx diff manifests "$D/old.yaml" "$D/new.yaml"
expect_grep "HELM_DIFF_OUTPUT sets the default output" \
	"^Plan: 1 to add, 2 to change, 1 to destroy, 0 to change ownership.$"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --output markdown
# shellcheck disable=SC2016 # backquotes of Markdown
if grep -q '^| removed | `Service` (`v1`) | `default` | `gone` |$' "$SCRATCH/out" &&
	grep -q '^<details><summary><code>default, cm, ConfigMap (v1)</code> changed</summary>$' "$SCRATCH/out" &&
	grep -q '^```diff$' "$SCRATCH/out"; then
	ok "--output markdown: a table and a block per object"
else
	not_ok "--output markdown"
fi
# names from the branch under review take no markup: rendered by
# cmark-gfm (GitHub's renderer, raw HTML kept, with its table, autolink and
# tagfilter extensions)
cat >"$D/evil.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: "<img src=x onerror=alert(1)></details>"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: "[link](http://evil.example/) ![i](http://evil.example/i.png) @octocat https://evil.example/"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: "cr\rends | the \\| row `tick`` \u001b[31m"}
---
apiVersion: v1
kind: "\\<b>Kind"
metadata: {name: "\\<a href=x>", namespace: "&lt;ns"}
data: {x: "```\n</details>"}
YAML
hx diff manifests /dev/null "$D/evil.yaml" --output markdown
if command -v cmark-gfm >/dev/null 2>&1; then
	cmark-gfm --unsafe -e table -e autolink -e tagfilter "$SCRATCH/out" >"$D/evil.html"
	# the text outside code: no mention, no link
	sed '/<pre>/,/<\/pre>/d; s/<code>[^<]*<\/code>//g' "$D/evil.html" \
		>"$D/evil-text.html"
	if [ "$status" = 0 ] && ! grep -q '<img\|<a \|<b>' "$D/evil.html" &&
		[ "$(grep -c '<tr>' "$D/evil.html")" = 5 ] &&
		[ "$(grep -c '</details>' "$D/evil.html")" = 4 ] &&
		! grep -q '@octocat\|evil' "$D/evil-text.html" &&
		! grep -q "$(printf '[\033\r]')" "$SCRATCH/out" &&
		grep -q 'cr\\x0dends' "$D/evil.html"; then
		ok "--output markdown: names render as text: no tag, link, mention or lost row"
	else
		not_ok "--output markdown of hostile names (exit $status)"
		sed 's/^/#   /' "$D/evil.html" | head -40
	fi
else
	echo "# SKIP: cmark-gfm is missing (make deps): the markdown output is not rendered"
fi
# names with a newline, ESC or NUL: printed visible, one line each, and
# a NUL does not cut a name short when objects are paired
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a\\0b"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: "x\\nPlan: 0 to add\\e[2J"}\n' \
	>"$D/ctl-old.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a\\0c"}\n' >"$D/ctl-new.yaml"
hx diff manifests "$D/ctl-old.yaml" "$D/ctl-new.yaml" --output simple --no-color
want=$(printf '%s\n' 'default, a\x00b, ConfigMap (v1) to be removed.' \
	'default, x\x0aPlan: 0 to add\x1b[2J, ConfigMap (v1) to be removed.' \
	'default, a\x00c, ConfigMap (v1) to be added.' \
	'Plan: 1 to add, 0 to change, 2 to destroy, 0 to change ownership.')
if [ "$status" = 0 ] && [ "$(cat "$SCRATCH/out")" = "$want" ]; then
	ok "names with NUL, newline and ESC: visible, paired whole"
else
	not_ok "names with control characters (exit $status)"
	sed 's/^/#   /' "$SCRATCH/out"
fi
hx diff manifests "$D/old.yaml" "$D/new.yaml" --color
if grep -q "$(printf '\033')\[33m" "$SCRATCH/out"; then ok "--color colours"; else
	not_ok "--color"; fi
# --color=WHEN and Helm 4's spellings (the next word; before the command)
for spell in "--color=always:1" "--color=true:1" "--color=never:0" \
	"--color=false:0" "--color never:0" "--color always:1" "--color=auto:0"; do
	# shellcheck disable=SC2086 # one or two words
	HELM_DIFF_COLOR=true hx diff manifests "$D/old.yaml" "$D/new.yaml" ${spell%:*}
	got=0
	grep -q "$(printf '\033')" "$SCRATCH/out" && got=1
	[ "${spell%:*}" = "--color=auto" ] && got=0 # auto: off a terminal
	if [ "$status" = 2 ] || [ "$status" = 0 ]; then st=ok; else st=bad; fi
	if [ "$st" = ok ] && [ "$got" = "${spell##*:}" ]; then
		ok "diff $spell: colour ${spell##*:}"
	else
		not_ok "diff $spell (exit $status, colour $got)"
	fi
done
hx --color always diff manifests "$D/old.yaml" "$D/new.yaml"
if grep -q "$(printf '\033')" "$SCRATCH/out"; then ok "--color always before the command colours"; else
	not_ok "--color always before the command"; fi
hx --color diff manifests "$D/old.yaml" "$D/new.yaml"
if [ "$status" = 0 ] && grep -q "$(printf '\033')" "$SCRATCH/out"; then ok "--color alone before the command: always, and the next word is the command"; else
	not_ok "--color alone before the command (exit $status)"; fi
hx --colour=never diff manifests "$D/old.yaml" "$D/new.yaml" --color
if grep -q "$(printf '\033')" "$SCRATCH/out"; then ok "a --color after the command wins over one before"; else
	not_ok "--color after --colour=never"; fi
hx diff manifests "$D/old.yaml" "$D/new.yaml" --color=sometimes
expect_err "--color=WHEN of no such WHEN" \
	"helm-x: error: --color 'sometimes': want always, never or auto"
hx --color sometimes diff manifests "$D/old.yaml" "$D/new.yaml"
expect_err "--color WHEN before the command, of no such WHEN" \
	"helm-x: error: --color 'sometimes': want always, never or auto"
HELM_DIFF_COLOR=true hx diff manifests "$D/old.yaml" "$D/new.yaml"
if grep -q "$(printf '\033')" "$SCRATCH/out"; then ok "HELM_DIFF_COLOR=true colours"; else
	not_ok "HELM_DIFF_COLOR"; fi
hx diff manifests "$D/old.yaml" "$D/new.yaml"
if grep -q "$(printf '\033')" "$SCRATCH/out"; then not_ok "no colour off a terminal"; else
	ok "no colour off a terminal"; fi
# formatting alone is no change with --normalize-manifests
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {b: "2", a: "1"}\n' >"$D/flow.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n  b: "2"\n' >"$D/block.yaml"
hx diff manifests "$D/flow.yaml" "$D/block.yaml" --normalize-manifests --detailed-exitcode
expect_status "--normalize-manifests: formatting is no change" 0
hx diff manifests "$D/flow.yaml" "$D/block.yaml" --detailed-exitcode
expect_status "without it, formatting is a change" 2
# renames
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-v2\ndata:\n  a: "1"\n  b: "2"\n' >"$D/renamed.yaml"
hx diff manifests "$D/block.yaml" "$D/renamed.yaml" -D 0.5 --no-color
expect_grep "-D: a renamed object is one change" "^default, cm, ConfigMap (v1) has changed:$"
# stdin, and directories
hx diff manifests "$D/old.yaml" - --output simple <"$D/new.yaml"
expect_grep "NEW from stdin" "to be added.$"

# errors: one line each
hx diff manifests "$D/old.yaml"
expect_err "diff manifests needs two sides" \
	"helm-x: error: 'diff manifests' needs OLD NEW (see 'helm x diff --help')"
hx diff manifests - -
expect_err "only one side can be stdin" \
	"helm-x: error: 'diff manifests': only one side can be '-'"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --json-patch "$D/old.yaml"
expect_err "patch flags with diff manifests" \
	"helm-x: error: 'diff manifests' compares two streams as they are: patch with 'helm x patch' first"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --output yaml
expect_err "an unknown --output" \
	"helm-x: error: --output 'yaml': want diff, simple, json, markdown or structured"
HELM_DIFF_OUTPUT=yaml hx diff manifests "$D/old.yaml" "$D/new.yaml"
expect_err "an unknown HELM_DIFF_OUTPUT" \
	"helm-x: error: HELM_DIFF_OUTPUT 'yaml': want diff, simple, json, markdown or structured"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --output template
expect_err "--output template (a Go template)" \
	"helm-x: error: --output 'template' runs a Go template (\$HELM_DIFF_TPL), which helm-x cannot run: take --output json (kind, name, change) or structured (the field changes) and shape it with jq"
HELM_DIFF_OUTPUT=dyff hx diff manifests "$D/old.yaml" "$D/new.yaml"
expect_err "HELM_DIFF_OUTPUT=dyff" \
	"helm-x: error: HELM_DIFF_OUTPUT 'dyff' is the dyff program's own layout, not built in: take --output structured for the field changes, or run 'dyff between' on two 'helm x template' renders"
# --output structured: what helm-diff's TestStructuredOutput* assert
# (ADD and REMOVE without changes, a --suppress'ed kind, a list where an
# object was); the field changes against a second reading of helm-diff
# on random cases: tests/structdiff.py
printf 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec: {x: 1}\n' >"$D/s-job.yaml"
printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata: {a: YQ==}\n' >"$D/s-sec1.yaml"
printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata: {a: Yg==}\n' >"$D/s-sec2.yaml"
hx diff manifests /dev/null "$D/s-job.yaml" -o structured --detailed-exitcode
if [ "$status" = 2 ] && python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); assert len(e)==1 and e[0]["changeType"]=="ADD" and e[0]["resourceStatus"]=={"oldExists":False,"newExists":True} and "changes" not in e[0] and e[0]["namespace"]=="default" and e[0]["apiVersion"]=="batch/v1"' "$SCRATCH/out"; then
	ok "structured: an added object (namespace from the key), exit 2"
else
	not_ok "structured: an added object (exit $status)"
fi
hx diff manifests "$D/s-job.yaml" /dev/null -o structured
if [ "$status" = 0 ] && python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); assert e[0]["changeType"]=="REMOVE" and e[0]["resourceStatus"]=={"oldExists":True,"newExists":False}' "$SCRATCH/out"; then
	ok "structured: a removed object"
else
	not_ok "structured: a removed object (exit $status)"
fi
hx diff manifests "$D/s-sec1.yaml" "$D/s-sec2.yaml" -o structured --suppress Secret
if python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); assert len(e)==1 and e[0]["changesSuppressed"] is True and "changes" not in e[0]' "$SCRATCH/out"; then
	ok "structured: a --suppress'ed kind: changesSuppressed, no changes"
else
	not_ok "structured: --suppress Secret"
fi
hx diff manifests "$D/s-sec1.yaml" "$D/s-sec2.yaml" -o structured
if python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); c=e[0]["changes"]; assert len(c)==1 and c[0]["path"]=="data" and c[0]["field"]=="a" and c[0]["oldValue"]=="-------- # (1 bytes)" and c[0]["newValue"]=="++++++++ # (1 bytes)"' "$SCRATCH/out"; then
	ok "structured: a Secret's values stay redacted"
else
	not_ok "structured: a Secret's values"
	sed 's/^/#   /' "$SCRATCH/out" | head -20
fi
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {b: "2", a: "1"}\n' >"$D/s-m1.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {a: "1", b: "2"}\n' >"$D/s-m2.yaml"
hx diff manifests "$D/s-m1.yaml" "$D/s-m2.yaml" -o structured --detailed-exitcode
if [ "$status" = 0 ] && [ "$(cat "$SCRATCH/out")" = "[]" ]; then
	ok "structured: keys in another order are no change (exit 0, [])"
else
	not_ok "structured: keys in another order (exit $status)"
fi
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\nspec: {x: .inf}\n' >"$D/s-inf.yaml"
hx diff manifests "$D/s-inf.yaml" "$D/s-m2.yaml" -o structured
if [ "$status" = 0 ] && [ "$(cat "$SCRATCH/err")" = "helm-x: warning: failed to build structured entry for default, m, ConfigMap (v1) (kind: ConfigMap, changeType: MODIFY): an object is no JSON object, or holds .inf or .nan" ] &&
	python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); assert e == [{"name": "default, m, ConfigMap (v1)", "changeType": "MODIFY", "resourceStatus": {"oldExists": False, "newExists": False}}]' "$SCRATCH/out"; then
	ok "structured: an object JSON cannot hold: helm-diff's warning and fallback entry"
else
	not_ok "structured: .inf (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
fi
HELM_DIFF_OUTPUT=dyff hx diff manifests "$D/old.yaml" "$D/new.yaml" --output simple
expect_grep "--output wins over an unknown HELM_DIFF_OUTPUT" "^Plan: "
# a regex that hits PCRE2's match limit stops at the first such line
python3 -c "
for side in ('old', 'new'):
    with open('$D/limit-' + side + '.yaml', 'w') as f:
        f.write('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lim}\ndata:\n')
        for i in range(3000):
            f.write('  k%04d: %s%s!\n' % (i, 'a' * 28, side))
"
hx diff manifests "$D/limit-old.yaml" "$D/limit-new.yaml" \
	--suppress-output-line-regex '(a+)+$'
if [ "$status" = 1 ] && [ "$(grep -cv "^==[0-9]*==" "$SCRATCH/err")" = 1 ] &&
	grep -q "k0000" "$SCRATCH/err" && grep -q "match limit" "$SCRATCH/err"; then
	ok "--suppress-output-line-regex: the first line at the match limit ends it, named"
else
	not_ok "regex match limit (exit $status): $(head -c 300 "$SCRATCH/err")"
fi
hx diff manifests "$D/old.yaml" "$D/new.yaml" -C -2
expect_err "a bad --context" \
	"helm-x: error: --context '-2': want a number of lines (-1: whole objects)"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --max-size lots
expect_err "a bad --max-size" \
	"helm-x: error: --max-size 'lots': want a number of characters (0: no limit)"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --find-renames 1.5
expect_err "a bad --find-renames" \
	"helm-x: error: --find-renames '1.5': want a fraction from 0 to 1"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --suppress-output-line-regex 'a('
expect_err "a bad --suppress-output-line-regex" \
	"helm-x: error: --suppress-output-line-regex: invalid regular expression 'a(': missing closing parenthesis at offset 2"
hx diff manifests "$D/old.yaml" "$D/new.yaml" --three-way-merge
expect_err "--three-way-merge with diff manifests" \
	"helm-x: error: --three-way-merge compares the live objects with an upgrade, not two streams ('diff manifests')"
hx diff rel "$TOP/testdata/charts/web" --from "$D/old.yaml" --three-way-merge
expect_err "--three-way-merge with --from" \
	"helm-x: error: --three-way-merge compares the live objects, and --from a saved render: take one"
hx diff revision rel 1 2 --three-way-merge
expect_err "--three-way-merge with diff revision" \
	"helm-x: error: --three-way-merge compares the live objects with an upgrade: 'helm x diff [upgrade] RELEASE SOURCE', not 'diff revision'"
# three-way: the release (fake helm get manifest), the new manifests (a
# directory), the live objects (fake kubectl get); expected lines by hand
# from apimachinery's three-way patch (the e2e test checks it against
# real helm's patches)
T="$D/tw"
mkdir -p "$T/src"
cat >"$T/release.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  strategy: {type: RollingUpdate}
  template:
    spec:
      containers:
      - {name: web, image: "nginx:1", env: [{name: A, value: "1"}, {name: B, value: "2"}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: gone}
YAML
cat >"$T/src/new.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  strategy: {type: RollingUpdate}
  template:
    spec:
      containers:
      - {name: web, image: "nginx:2", env: [{name: A, value: "1"}]}
YAML
cat >"$T/live.json" <<'JSON'
{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "apps/v1",
 "kind": "Deployment", "metadata": {"name": "web", "namespace": "prod",
 "uid": "u1", "resourceVersion": "7", "generation": 3,
 "creationTimestamp": "2026-01-01T00:00:00Z",
 "managedFields": [{"manager": "helm"}], "annotations":
 {"meta.helm.sh/release-name": "rel", "deployment.kubernetes.io/revision": "3"}},
 "spec": {"replicas": 5, "revisionHistoryLimit": 10, "strategy": {"type":
 "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable":
 "25%"}}, "template": {"spec": {"containers": [{"name": "web", "image":
 "nginx:1", "imagePullPolicy": "IfNotPresent", "env": [{"name": "A",
 "value": "1"}, {"name": "B", "value": "2"}, {"name": "HAND", "value":
 "x"}]}, {"name": "hand", "image": "x:1"}]}}}, "status": {"replicas": 5}}]}
JSON
# shellcheck disable=SC2016 # the script is written as it is
printf '#!/bin/sh\n[ "$1 $2" = "get manifest" ] && cat "%s"\nexit 0\n' \
	"$T/release.yaml" >"$T/helm"
chmod +x "$T/helm"
tw() {
	HELM_BIN="$T/helm" KUBECTL_BIN="$TOP/tests/cli/fake-kubectl" \
		FAKE_KUBECTL_OBJ="$(cat "$T/live.json")" \
		FAKE_KUBECTL_LOG="$T/klog" hx diff rel "$T/src" -n prod \
		--no-color -C 0 "$@"
}
: >"$T/klog"
tw --three-way-merge --detailed-exitcode
grep '^[-+]' "$SCRATCH/out" >"$T/changed"
printf '%s\n' '-   replicas: 5' '+   replicas: 2' '-         - name: B' \
	'-           value: "2"' '-         image: nginx:1' '+         image: nginx:2' \
	'- apiVersion: v1' '- kind: ConfigMap' '- metadata: {name: gone}' '+ ' \
	>"$T/want"
if [ "$status" = 2 ] && diff -u "$T/want" "$T/changed" >"$T/d" &&
	grep -qx 'prod, web, Deployment (apps) has changed:' "$SCRATCH/out" &&
	grep -qx 'prod, gone, ConfigMap (v1) has been removed:' "$SCRATCH/out"; then
	ok "--three-way-merge: the live object against what the upgrade leaves of it"
else
	not_ok "--three-way-merge (exit $status)"
	sed 's/^/#   /' "$T/d" "$SCRATCH/out" "$SCRATCH/err" | head -40
fi
if ! grep -q 'rollingUpdate\|HAND\|hand\|uid\|managedFields\|resourceVersion\|status\|revision' "$T/changed"; then
	ok "--three-way-merge: defaults, fields added by hand and the server's own fields are no change"
else
	not_ok "--three-way-merge: server fields or defaults shown as changes"
	sed 's/^/#   /' "$T/changed"
fi
# the kinds of the release (read while the chart renders) and the upgrade's
if grep -qx '\[get\]' "$T/klog" && grep -qx '\[\(.*,\)\{0,1\}Deployment.v1.apps\(,.*\)\{0,1\}\]' "$T/klog" &&
	grep -qx '\[prod\]' "$T/klog" && [ "$(grep -c '^fake-kubectl$' "$T/klog")" -le 3 ]; then
	ok "--three-way-merge: one kubectl get of the kinds, in the release namespace"
else
	not_ok "--three-way-merge: kubectl's arguments"
	sed 's/^/#   /' "$T/klog"
fi
sed 's/type: RollingUpdate/type: Recreate/' "$T/src/new.yaml" >"$T/r.yaml"
mv "$T/r.yaml" "$T/src/new.yaml"
tw --three-way-merge
if grep -q '^-     rollingUpdate:$' "$SCRATCH/out" &&
	grep -q '^+     type: Recreate$' "$SCRATCH/out"; then
	ok "--three-way-merge: a changed retainKeys map drops the live fields the manifest leaves out"
else
	not_ok "--three-way-merge: retainKeys (exit $status)"
	sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -30
fi
HELM_DIFF_THREE_WAY_MERGE=true tw
if grep -q '^-   replicas: 5$' "$SCRATCH/out" &&
	grep -qx 'Enabled three way merge via the envvar' "$SCRATCH/err"; then
	ok "HELM_DIFF_THREE_WAY_MERGE=true turns it on, saying so"
else
	not_ok "HELM_DIFF_THREE_WAY_MERGE"
	sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head
fi
mkdir -p "$T/badns"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: "a b"}\n' \
	>"$T/badns/cm.yaml"
: >"$T/klog"
HELM_BIN="$T/helm" KUBECTL_BIN="$TOP/tests/cli/fake-kubectl" \
	FAKE_KUBECTL_LOG="$T/klog" hx diff rel "$T/badns" -n prod \
	--three-way-merge
if [ "$status" = 1 ] && [ "$(cat "$SCRATCH/err")" = "helm-x: error: ConfigMap/c: namespace 'a b' is no DNS label, which the API server wants" ] &&
	! grep -q '\[a b\]\|\[a\]' "$T/klog"; then
	ok "--three-way-merge: an object's namespace that is no DNS label is one line, and never read"
else
	not_ok "--three-way-merge with namespace 'a b' (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err" "$T/klog" | head
fi
FAKE_KUBECTL_EXIT=1 tw --three-way-merge
expect_err "--three-way-merge: kubectl get failing" \
	"helm-x: error: cannot read the live objects: 'kubectl get' in namespace 'prod' exited with status 1"
FAKE_KUBECTL_EXIT=1 FAKE_KUBECTL_ERR="error: You must be logged in to the server (Unauthorized)" \
	tw --three-way-merge
expect_err "--three-way-merge: kubectl's last line in the message" \
	"helm-x: error: cannot read the live objects: 'kubectl get' in namespace 'prod' exited with status 1: error: You must be logged in to the server (Unauthorized)"
# with HELM_KUBETOKEN kubectl reads a kubeconfig in helm-x's temporary
# dir, which its message may name: such a line is left out
HELM_KUBETOKEN=secret-token FAKE_KUBECTL_EXIT=1 \
	FAKE_KUBECTL_ERR='error: loading config file "@KUBECONFIG@": permission denied' \
	tw --three-way-merge
expect_err "--three-way-merge: no kubectl line naming helm-x's temporary dir" \
	"helm-x: error: cannot read the live objects: 'kubectl get' in namespace 'prod' exited with status 1"
KUBECTL_BIN="$D/no-kubectl" HELM_BIN="$T/helm" hx diff rel "$T/src" -n prod --three-way-merge
if [ "$status" = 1 ] && grep -q "(kubectl: \$KUBECTL_BIN, else kubectl in PATH)$" "$SCRATCH/err" &&
	[ "$(wc -l <"$SCRATCH/err")" = 1 ]; then
	ok "--three-way-merge without kubectl: one line naming \$KUBECTL_BIN"
else
	not_ok "--three-way-merge without kubectl (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
fi
hx diff web "$TOP/testdata/charts/web" --from "$D/old.yaml" --reuse-values
expect_err "--reuse-values is refused for diff --from" \
	"helm-x: error: '--reuse-values' takes the release's values: diff renders with them only for a chart against its release (no --from, --post-render, kustomization or manifests): give the values again (-f, --set)"
# shellcheck disable=SC2016 # the script is written as it is
printf '#!/bin/sh\necho "$*" >>"$FAKE_LOG"\n[ "$1" = template ] && printf "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: a\\n"\nexit 0\n' >"$D/fake-helm"
chmod +x "$D/fake-helm"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' >"$D/a.yaml"
: >"$D/log"
FAKE_LOG="$D/log" HELM_BIN="$D/fake-helm" hx diff rel "$TOP/testdata/charts/web" \
	--from "$D/a.yaml" --dry-run=server --detailed-exitcode
if [ "$status" = 0 ] && grep -q '^template rel .* --dry-run=server' "$D/log"; then
	ok "--dry-run=server renders with helm template --dry-run=server"
else
	not_ok "--dry-run=server (exit $status)"
	sed 's/^/#   /' "$D/log" "$SCRATCH/err"
fi
hx diff "$TOP/testdata/charts/web"
expect_err "diff needs RELEASE SOURCE" \
	"helm-x: error: 'diff' needs RELEASE SOURCE (see 'helm x diff --help')"
cat "$D/old.yaml" "$D/old.yaml" >"$D/twice.yaml"
hx diff manifests "$D/twice.yaml" "$D/new.yaml"
expect_err "two objects with one key name both sources" \
	"helm-x: error: two objects are 'default, cm, ConfigMap (v1)': in 'app/templates/cm.yaml' and in 'app/templates/cm.yaml'"
hx template rel "$TOP/testdata/charts/web" --context 3
expect_err "a diff flag elsewhere" \
	"helm-x: error: '--context' is a flag of 'helm x diff', not of 'template'"
hx diff manifests "$D/nope.yaml" "$D/new.yaml"
expect_err "a missing side" \
	"helm-x: error: cannot open '$D/nope.yaml': No such file or directory"
printf 'a: [\n' >"$D/bad.yaml"
hx diff manifests "$D/bad.yaml" "$D/new.yaml"
expect_err "a side that is no YAML: file:line:col" \
	"$D/bad.yaml:2:1: error: did not find expected node content (while parsing a flow node)"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: [\n' >"$D/bad-body.yaml"
hx diff manifests "$D/old.yaml" "$D/bad-body.yaml"
expect_err "a changed object that is no YAML past its metadata" \
	"$D/bad-body.yaml:7:1: error: did not find expected node content (while parsing a flow node)"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n  a: "2"\n' >"$D/dup-key.yaml"
hx diff manifests "$D/old.yaml" "$D/dup-key.yaml"
expect_err "a changed object with a duplicate key" \
	"$D/dup-key.yaml:7:3: error: duplicate key 'a'"
# a broken .tgz: tar exits 2, which diff must not pass on as "changes"
head -c 300 /dev/urandom >"$D/broken.tgz"
hx diff rel "$D/broken.tgz" --from "$D/old.yaml" --detailed-exitcode
if [ "$status" = 1 ] && grep -q "^helm-x: error: 'tar' exited with status 2$" "$SCRATCH/err"; then
	ok "diff of a broken .tgz: exit 1, never --detailed-exitcode's 2"
else
	not_ok "diff of a broken .tgz (exit $status)"
fi
# --from a saved render that cannot be meant: one warning line each
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rel-b-web}\ndata: {a: one}\n' >"$D/relb.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rel-a-web}\ndata: {a: one}\n' >"$D/rela.yaml"
: >"$D/nothing.yaml"
hx diff rel "$D/relb.yaml" --from "$D/nothing.yaml" --detailed-exitcode
if [ "$status" = 2 ] && grep -q 'has been added' "$SCRATCH/out" &&
	[ "$(grep -cv '^==[0-9]*==' "$SCRATCH/err")" = 1 ] &&
	grep -qx "helm-x: warning: '$D/nothing.yaml' (--from) holds no object: every object shows as added (was the saved render empty, or did it fail?)" "$SCRATCH/err"; then
	ok "diff --from an empty render: the diff and one warning line"
else
	not_ok "diff --from an empty render (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
fi
hx diff rel "$D/relb.yaml" --from "$D/rela.yaml" --detailed-exitcode
if [ "$status" = 2 ] && [ "$(grep -cv '^==[0-9]*==' "$SCRATCH/err")" = 1 ] &&
	grep -qx "helm-x: warning: no object of '$D/rela.yaml' (--from) is in the new render (ConfigMap rel-a-web there, rel-b-web here): was it rendered under another release name? Render both with the same RELEASE" "$SCRATCH/err"; then
	ok "diff --from a render of another release name: one warning line with an example"
else
	not_ok "diff --from another release name (exit $status)"
	sed 's/^/#   /' "$SCRATCH/err"
fi
hx diff rel "$D/relb.yaml" --from "$D/relb.yaml" --detailed-exitcode
if [ "$status" = 0 ] && [ "$(grep -cv '^==[0-9]*==' "$SCRATCH/err")" = 0 ]; then
	ok "diff --from the same render: no warning"
else
	not_ok "diff --from the same render (exit $status)"
fi
# --inject on diff --from: the new side is what 'helm x template' prints
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inj}\ndata: {a: one}\n' >"$D/inj.yaml"
hx diff rel "$D/inj.yaml" --from "$D/inj.yaml" --inject 'sed -i s/one/two/ FILE' \
	--no-color --detailed-exitcode
if [ "$status" = 2 ] && grep -q '^+ data: {a: two}$' "$SCRATCH/out"; then
	ok "diff --from --inject: the injected render is the new side"
else
	not_ok "diff --from --inject (exit $status)"
	sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err"
fi
hx diff rel "$D/inj.yaml" --from "$D/inj.yaml" --inject 'true FILE' --detailed-exitcode
expect_status "diff --from --inject with a command that changes nothing: no diff" 0

# --normalize-manifests: a string of several lines is one value however
# it is written (a chart's double quotes, kustomize's literal block)
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  f: "a: 1\\nb: 2"\n' >"$SCRATCH/q.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  f: |-\n    a: 1\n    b: 2\n' >"$SCRATCH/l.yaml"
hx diff manifests "$SCRATCH/q.yaml" "$SCRATCH/l.yaml" --normalize-manifests --detailed-exitcode
if [ "$status" = 0 ] && [ ! -s "$SCRATCH/out" ]; then
	ok "diff --normalize-manifests: a quoted and a literal multi-line string are the same"
else
	not_ok "diff --normalize-manifests of multi-line strings (exit $status)"
	sed 's/^/#   /' "$SCRATCH/out" | head
fi
hx diff manifests "$SCRATCH/q.yaml" "$SCRATCH/l.yaml" --detailed-exitcode
expect_status "diff without --normalize-manifests: the two spellings differ" 2

# --output markdown: a comment that fits.  A CRD the size of argo-cd's
# Application CRD (7,000 lines) with one annotation changed, and two small
# ConfigMaps changed
python3 - "$SCRATCH/md-old.yaml" "$SCRATCH/md-new.yaml" <<'PY'
import sys
def crd(note):
    out = ["apiVersion: apiextensions.k8s.io/v1", "kind: CustomResourceDefinition",
           "metadata:", "  name: applications.argoproj.io", "  annotations:",
           "    note: %s" % note, "spec:", "  group: argoproj.io", "  versions:",
           "  - name: v1alpha1", "    schema:", "      openAPIV3Schema:",
           "        type: object", "        properties:"]
    for i in range(1750):
        out += ["          field%04d:" % i, "            type: string",
                "            description: the field number %d of the spec" % i,
                "            x-kubernetes-preserve-unknown-fields: false"]
    return "\n".join(out) + "\n"
def cm(name, v):
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata:\n%s" % (
        name, "".join("  k%02d: v%02d\n" % (i, i) for i in range(40)) + "  changed: %s\n" % v)
for path, v in ((sys.argv[1], "old"), (sys.argv[2], "new")):
    with open(path, "w") as f:
        f.write(crd(v) + "---\n" + cm("small-a", v) + "---\n" + cm("small-b", v))
PY
hx diff manifests "$SCRATCH/md-old.yaml" "$SCRATCH/md-new.yaml" --output markdown
if [ "$status" = 0 ] && [ "$(wc -c <"$SCRATCH/out")" -lt 4000 ] &&
	grep -q '^-     note: old$' "$SCRATCH/out" && grep -q '^+     note: new$' "$SCRATCH/out" &&
	! grep -q 'field0900' "$SCRATCH/out" && ! grep -q '    k10: v10' "$SCRATCH/out" &&
	grep -q '^    k39: v39$' "$SCRATCH/out"; then
	ok "--output markdown: the changed lines and 3 around them by default ($(wc -c <"$SCRATCH/out") bytes)"
else
	not_ok "--output markdown's default context ($(wc -c <"$SCRATCH/out") bytes)"
fi
hx diff manifests "$SCRATCH/md-old.yaml" "$SCRATCH/md-new.yaml" --output markdown -C -1
# shellcheck disable=SC2016 # backquotes of Markdown
if [ "$status" = 0 ] && [ "$(wc -c <"$SCRATCH/out")" -le 65000 ] &&
	head -n 3 "$SCRATCH/out" | grep -q '^| change | kind | namespace | name |$' &&
	grep -q '^1 object too big for a comment of 65000 characters' "$SCRATCH/out" &&
	grep -q '^- `default, applications.argoproj.io, CustomResourceDefinition (apiextensions.k8s.io)`: +1 -1$' "$SCRATCH/out" &&
	grep -q '^<details><summary><code>default, small-a, ConfigMap (v1)</code> changed</summary>$' "$SCRATCH/out" &&
	grep -q '^    k10: v10$' "$SCRATCH/out"; then
	ok "--output markdown -C -1: under 65000 characters, the largest object cut to a line, the table first"
else
	not_ok "--output markdown -C -1 past the limit ($(wc -c <"$SCRATCH/out") bytes)"
	grep -v '^ ' "$SCRATCH/out" | head -20 | sed 's/^/#   /'
fi
hx diff manifests "$SCRATCH/md-old.yaml" "$SCRATCH/md-new.yaml" --output markdown -C -1 --max-size 0
if [ "$status" = 0 ] && [ "$(wc -c <"$SCRATCH/out")" -gt 250000 ] &&
	! grep -q 'too big for a comment' "$SCRATCH/out"; then
	ok "--output markdown --max-size 0: whole objects, no limit"
else
	not_ok "--output markdown --max-size 0 ($(wc -c <"$SCRATCH/out") bytes)"
fi

# helm-diff's other subcommands: version, their errors, and local
hx diff version
if [ "$status" = 0 ] && grep -qx "$(HELM_PLUGIN_NAME=x "$HX" version --short | sed 's/^v//')" "$SCRATCH/out"; then
	ok "diff version: helm-x's version"
else
	not_ok "diff version (exit $status): $(cat "$SCRATCH/out")"
fi
hx diff revision web x
expect_err "diff revision: a revision that is no number" \
	"helm-x: error: revision 'x': want a revision number"
hx diff rollback web 0
expect_err "diff rollback: revision 0" \
	"helm-x: error: revision '0': want a revision number"
hx diff release Bad_Name web
expect_err "diff release: a release name helm refuses" \
	"helm-x: error: invalid release name 'Bad_Name': helm takes lower-case letters, digits, '-' and '.' (each part between dots starting and ending with a letter or digit), at most 53 characters"
hx diff local "$TOP/testdata/charts/web" "$D/old.yaml"
expect_err "diff local: a side that is no chart" \
	"helm-x: error: 'diff local' compares two charts, and '$D/old.yaml' is none (helm x diff manifests compares streams)"
hx diff revision web 1 2 --from "$D/old.yaml"
expect_err "diff revision with --from" \
	"helm-x: error: 'diff revision' compares what helm holds or renders: no --from, patches or --post-render"
h3="$TOP/.tools/bin/helm3"
if [ -x "$h3" ]; then
	cp -R "$TOP/testdata/charts/web" "$SCRATCH/web2"
	sed -i 's/^replicas: 2$/replicas: 7/' "$SCRATCH/web2/values.yaml"
	HELM_BIN="$h3" hx diff local "$TOP/testdata/charts/web" "$SCRATCH/web2" \
		--no-color -C 0 --detailed-exitcode
	if [ "$status" = 2 ] && [ "$(grep -c '^[-+] ' "$SCRATCH/out")" = 2 ] &&
		grep -q '^-   replicas: 2$' "$SCRATCH/out" &&
		grep -q '^+   replicas: 7$' "$SCRATCH/out" &&
		grep -q '^default, release-name-web, Deployment (apps) has changed:$' "$SCRATCH/out"; then
		ok "diff local: two charts rendered by helm template, the changed line"
	else
		not_ok "diff local (exit $status)"
		sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err" | head -10
	fi
else
	echo "# SKIP: .tools/bin/helm3 missing (sh tests/tools.sh): diff local not checked"
fi

# --from: changes a chart that generates values makes on every render
# (a Secret, checksum/ annotations) get a warning naming the cause
G="$SCRATCH/gen"
mkdir -p "$G"
printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {pw: YWFhYQ==}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations:\n        checksum/secret: aaa\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: a}\n' >"$G/old.yaml"
sed 's/YWFhYQ==/YmJiYg==/; s/checksum\/secret: aaa/checksum\/secret: bbb/' "$G/old.yaml" >"$G/new.yaml"
hx diff rel "$G/new.yaml" --from "$G/old.yaml" -o simple
if [ "$status" = 0 ] && grep -qxF "helm-x: warning: 2 changes of a Secret or of checksum/ annotations may be values the chart generates (randAlphaNum, genCA, ...): offline there is no lookup to find the ones in the cluster; with read access, --dry-run=server renders with it (or --ignore-generated)" "$SCRATCH/err"; then
	ok "diff --from: a Secret and a checksum/ annotation changed: the warning"
else
	not_ok "diff --from of generated values (exit $status): $(cat "$SCRATCH/err")"
fi
# --ignore-generated: such changes alone are no change for the exit status
hx diff rel "$G/new.yaml" --from "$G/old.yaml" -o simple --detailed-exitcode --ignore-generated
if [ "$status" = 0 ] && grep -q "^Plan: 0 to add, 2 to change" "$SCRATCH/out" &&
	grep -qxF "helm-x: warning: 2 changes of a Secret or of checksum/ annotations left out of the exit status (--ignore-generated)" "$SCRATCH/err"; then
	ok "diff --ignore-generated: shown, one line, exit 0"
else
	not_ok "diff --ignore-generated (exit $status): $(cat "$SCRATCH/err")"
fi
sed 's/k: a/k: b/' "$G/new.yaml" >"$G/new3.yaml"
hx diff manifests "$G/old.yaml" "$G/new3.yaml" -o structured --detailed-exitcode --ignore-generated
if [ "$status" = 2 ] && grep -q '"name": "c"' "$SCRATCH/out"; then
	ok "diff --ignore-generated with another change: exit 2"
else
	not_ok "diff --ignore-generated with another change (exit $status)"
fi
hx diff manifests "$G/old.yaml" "$G/new.yaml" -o structured --detailed-exitcode --ignore-generated
expect_status "diff --ignore-generated, structured, generated changes alone: exit 0" 0
# a checksum/ annotation that only lost its quotes is a changed line
# (generated-looking) but no changed field, so no entry of the
# structured report: it cannot hide the ConfigMap's change
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations:\n        checksum/secret: "aaa"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: a}\n' >"$G/o4.yaml"
sed 's/checksum\/secret: "aaa"/checksum\/secret: aaa/; s/k: a/k: b/' "$G/o4.yaml" >"$G/n4.yaml"
hx diff manifests "$G/o4.yaml" "$G/n4.yaml" -o structured --detailed-exitcode --ignore-generated
if [ "$status" = 2 ] && [ "$(grep -c '"changeType"' "$SCRATCH/out")" = 1 ]; then
	ok "diff --ignore-generated, structured: only the entries it shows count"
else
	not_ok "diff --ignore-generated, structured, an entry left out (exit $status)"
fi
sed 's/checksum\/secret: aaa/checksum\/secret: aaa\n        other: x/' "$G/old.yaml" >"$G/new2.yaml"
hx diff rel "$G/new2.yaml" --from "$G/old.yaml" -o simple
if [ "$status" = 0 ] && ! grep -q "may be values the chart generates" "$SCRATCH/err"; then
	ok "diff --from: another annotation changed: no warning"
else
	not_ok "diff --from warns of a change that is not generated"
fi
