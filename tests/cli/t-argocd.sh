# shellcheck shell=sh
# helm-x argocd generate|discover|parameters: every error line, the
# PARAM_* fallback, discover's answers.  With Argo CD's stand-in and the
# image: tests/e2e/argocd.sh.
AG="$SCRATCH/ag"
mkdir -p "$AG/repo/apps/web" "$AG/repo/apps/empty/templates" "$AG/repo/apps/raw"
cp -R "$TOP/testdata/argocd/repo/apps/web/." "$AG/repo/apps/web/"
cp -R "$TOP/testdata/argocd/repo/apps/flux" "$AG/repo/apps/"
ln -s /etc/hostname "$AG/repo/outside.yaml"
mkdir -p "$AG/repo/apps/raw/nothing"
printf 'apiVersion: v2\nname: empty\nversion: 1.0.0\n' >"$AG/repo/apps/empty/Chart.yaml"
printf '{{- if false }}\nx: 1\n{{- end }}\n' >"$AG/repo/apps/empty/templates/none.yaml"
printf 'hello\n' >"$AG/repo/apps/raw/notes.yaml"
AGH=
[ -x "$TOP/.tools/bin/helm3" ] && AGH="$TOP/.tools/bin/helm3"
# ag APP NAME=VALUE... -- ARGS...: hx in repo/apps/APP with only these
# of Argo CD's variables (ARGOCD_APP_NAME=web unless given)
ag() {
	(
		for v in $(env | sed -n 's/^\(ARGOCD_[A-Z_]*\|PARAM_[A-Z0-9_]*\|KUBE_VERSION\|KUBE_API_VERSIONS\)=.*/\1/p'); do
			unset "$v"
		done
		cd "$AG/repo/apps/$1" || exit 99
		shift
		export ARGOCD_APP_NAME=web ARGOCD_APP_SOURCE_PATH="apps/${PWD##*/}"
		[ -n "$AGH" ] && export HELM_BIN="$AGH"
		while [ "$1" != -- ]; do
			export "${1?}"
			shift
		done
		shift
		hx "$@"
		exit "$status"
	)
	status=$?
}
# ag_err DESC APP NAME=VALUE... LINE: generate fails with LINE alone
ag_err() {
	d=$1
	shift
	set -- "$@" --
	# move the last word before the "--" to the front
	line=
	k=$#
	while [ "$k" -gt 0 ]; do
		a=$1
		shift
		k=$((k - 1))
		if [ "$k" = 1 ]; then
			line=$a
		else
			set -- "$@" "$a"
		fi
	done
	ag "$@" argocd generate
	expect_err "argocd: $d" "$line"
}

hx argocd
expect_err "argocd: no subcommand" \
	"helm-x: error: usage: helm-x argocd generate|discover|parameters (the parameters come from the environment: 'helm-x argocd --help')"
hx argocd --help
if [ "$status" = 0 ] && grep -q "ARGOCD_APP_PARAMETERS" "$SCRATCH/out"; then
	ok "argocd: --help"
else
	not_ok "argocd: --help (exit $status)"
fi
hx argocd parameters
if [ "$status" = 0 ] && python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert [x["name"] for x in a][:3] == ["chart","version","repo"] and a[0]["string"] == "."' "$SCRATCH/out"; then
	ok "argocd: parameters is a JSON array of announcements"
else
	not_ok "argocd: parameters (exit $status)"
fi

ag_err "JSON that does not parse" web 'ARGOCD_APP_PARAMETERS=[{' \
	"ARGOCD_APP_PARAMETERS:1:2: error: string or '}' expected near end of file"
ag_err "parameters not an array" web 'ARGOCD_APP_PARAMETERS={}' \
	'helm-x: error: ARGOCD_APP_PARAMETERS: want a JSON array of {"name": ...} objects'
ag_err "an entry not an object" web 'ARGOCD_APP_PARAMETERS=[1]' \
	'helm-x: error: ARGOCD_APP_PARAMETERS: entry 0 is no {"name": ...} object'
ag_err "an unknown parameter" web 'ARGOCD_APP_PARAMETERS=[{"name":"valuez","array":[]}]' \
	"helm-x: error: ARGOCD_APP_PARAMETERS: no parameter 'valuez' in helm-x's plugin (its parameters: chart, version, repo, release-name, values, set, set-string, patches, strategic-merge-patch, json-patch, skip-crds, skip-tests, helmrelease)"
ag_err "a parameter twice" web 'ARGOCD_APP_PARAMETERS=[{"name":"chart","string":"."},{"name":"chart","string":"."}]' \
	"helm-x: error: ARGOCD_APP_PARAMETERS: parameter 'chart' is given twice"
ag_err "a field Argo CD does not send" web 'ARGOCD_APP_PARAMETERS=[{"name":"chart","string":".","x":1}]' \
	"helm-x: error: ARGOCD_APP_PARAMETERS: parameter 'chart' has a field 'x' (Argo CD sends name with string, array or map)"
ag_err "a parameter of the wrong type" web 'ARGOCD_APP_PARAMETERS=[{"name":"set","array":[]}]' \
	"helm-x: error: ARGOCD_APP_PARAMETERS: parameter 'set' is a map (give it as 'map')"
ag_err "an array item not a string" web 'ARGOCD_APP_PARAMETERS=[{"name":"values","array":[1]}]' \
	"helm-x: error: ARGOCD_APP_PARAMETERS: parameter 'values': 'array' must hold strings"
ag_err "a map value not a string" web 'ARGOCD_APP_PARAMETERS=[{"name":"set","map":{"a":1}}]' \
	"helm-x: error: ARGOCD_APP_PARAMETERS: parameter 'set': 'map' must hold string values"
ag_err "a string parameter not a string" web 'ARGOCD_APP_PARAMETERS=[{"name":"chart","string":1}]' \
	"helm-x: error: ARGOCD_APP_PARAMETERS: parameter 'chart': 'string' must hold a string"
ag_err "a map from PARAM_*" web 'PARAM_SET_REPLICAS=3' \
	"helm-x: error: PARAM_SET_REPLICAS: a map parameter's keys cannot be read from PARAM_* (Argo CD upper-cases them): pass ARGOCD_APP_PARAMETERS"
ag_err "a PARAM_* that is no parameter" web 'PARAM_FOO=1' \
	"helm-x: error: PARAM_FOO: no parameter of helm-x's plugin has this name (see 'helm-x argocd parameters')"
ag_err "a flag neither true nor false" web 'ARGOCD_APP_PARAMETERS=[{"name":"skip-crds","string":"yes"}]' \
	"helm-x: error: parameter 'skip-crds': 'yes' is neither true nor false"
ag_err "a source path with .." web 'ARGOCD_APP_SOURCE_PATH=../x' \
	"helm-x: error: ARGOCD_APP_SOURCE_PATH '../x' leaves the repository"
deep=a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p
ag_err "a source path deeper than the app directory" web "ARGOCD_APP_SOURCE_PATH=$deep" \
	"helm-x: error: ARGOCD_APP_SOURCE_PATH '$deep' is deeper than the app directory"
ag_err "an empty path" web 'ARGOCD_APP_PARAMETERS=[{"name":"values","array":[""]}]' \
	"helm-x: error: parameter 'values': an empty path"
ag_err "a missing file" web 'ARGOCD_APP_PARAMETERS=[{"name":"patches","array":["nope.yaml"]}]' \
	"helm-x: error: parameter 'patches': cannot open 'nope.yaml': No such file or directory"
ag_err "a path out of the repository" web 'ARGOCD_APP_PARAMETERS=[{"name":"values","array":["../../../x.yaml"]}]' \
	"helm-x: error: parameter 'values': '../../../x.yaml' leaves the repository"
ag_err "an absolute path is the repository's" web 'ARGOCD_APP_PARAMETERS=[{"name":"values","array":["/etc/passwd"]}]' \
	"helm-x: error: parameter 'values': cannot open '/etc/passwd': No such file or directory"
ag_err "a link out of the repository" web 'ARGOCD_APP_PARAMETERS=[{"name":"json-patch","array":["../../outside.yaml"]}]' \
	"helm-x: error: parameter 'json-patch': '../../outside.yaml' leaves the repository (a link)"
ag_err "no ARGOCD_APP_NAME" web 'ARGOCD_APP_NAME=' \
	"helm-x: error: ARGOCD_APP_NAME is not set: argocd-cmp-server sets it; by hand, set it or the 'release-name' parameter"
ag_err "helmrelease with chart parameters" flux 'ARGOCD_APP_PARAMETERS=[{"name":"helmrelease","string":"."},{"name":"set","map":{}}]' \
	"helm-x: error: parameters 'helmrelease' and 'set' do not go together: the HelmReleases say their chart, values and release"
ag_err "a chart that is nothing helm-x renders" raw 'ARGOCD_APP_PARAMETERS=[{"name":"chart","string":"nothing"}]' \
	"helm-x: error: parameter 'chart': 'nothing' is not a chart (no Chart.yaml), a kustomization (no kustomization.yaml) or a directory of manifests (no *.yaml, *.yml, *.json)"

if [ -n "$AGH" ]; then
	ag_err "a render with no object" empty \
		"helm-x: error: the render holds no object: refusing to print nothing (Argo CD would prune every object of the Application)"
	ag_err "a document that is no object" raw 'ARGOCD_APP_PARAMETERS=[{"name":"chart","string":"notes.yaml"}]' \
		"helm-x: error: document 1 (line 1) of the render is no Kubernetes object (no apiVersion and kind): Argo CD would refuse the stream"
	ag_err "HelmReleases of another namespace" flux 'ARGOCD_APP_NAMESPACE=other' \
		'ARGOCD_APP_PARAMETERS=[{"name":"helmrelease","string":"."}]' \
		"helm-x: error: a HelmRelease renders into namespace 'prod', the Application deploys to 'other': objects without a namespace would land there; set the Application's destination namespace to 'prod' (one Application per release namespace)"
	ag_err "the render's own error line" web 'ARGOCD_APP_PARAMETERS=[{"name":"json-patch","array":["values.yaml"]}]' \
		"values.yaml:1:1: error: unknown field 'replicas' in a JSON patch entry (want target, patch or path)"
	# PARAM_* when ARGOCD_APP_PARAMETERS is not set: strings and arrays
	ag web ARGOCD_APP_NAMESPACE=prod PARAM_VALUES_0=values-prod.yaml \
		PARAM_SKIP_CRDS=true PARAM_RELEASE_NAME=shop -- argocd generate
	if [ "$status" = 0 ] && grep -q 'image: "nginx:1.28"' "$SCRATCH/out" &&
		grep -q '^  name: shop$' "$SCRATCH/out" &&
		! grep -q CustomResourceDefinition "$SCRATCH/out" && [ ! -s "$SCRATCH/err" ]; then
		ok "argocd: PARAM_* when ARGOCD_APP_PARAMETERS is not set (values, skip-crds, release-name)"
	else
		not_ok "argocd: PARAM_* (exit $status)"
		sed 's/^/#   /' "$SCRATCH/err" | head -5
	fi
else
	echo "# SKIP: no .tools/bin/helm3 (sh tests/tools.sh): argocd generate renders not tested here"
fi
ag web -- argocd discover
expect_grep "argocd: discover says what a chart directory is" "^chart$"
ag raw 'ARGOCD_APP_PARAMETERS=[{"name":"repo","string":"https://charts.example.com"},{"name":"chart","string":"redis"}]' -- argocd discover
expect_grep "argocd: discover of a remote chart" "^chart$"
ag flux -- argocd discover
expect_grep "argocd: discover of a directory of manifests" "^manifests$"
ag web 'ARGOCD_APP_PARAMETERS=[{"name":"chart","string":"../../../x"}]' -- argocd discover
expect_err "argocd: discover of a chart parameter out of the repository" \
	"helm-x: error: parameter 'chart': '../../../x' leaves the repository"
ag raw 'ARGOCD_APP_PARAMETERS=[{"name":"chart","string":"nothing"}]' -- argocd discover
expect_err "argocd: discover of a chart parameter helm-x does not render" \
	"helm-x: error: parameter 'chart': 'nothing' is not a chart (no Chart.yaml), a kustomization (no kustomization.yaml) or a directory of manifests (no *.yaml, *.yml, *.json)"
: >"$AG/repo/apps/raw/-"
ag raw 'ARGOCD_APP_PARAMETERS=[{"name":"chart","string":"-"}]' -- argocd discover
expect_err "argocd: a chart parameter '-' is the file named so, never stdin" \
	"helm-x: error: parameter 'chart': '$AG/repo/apps/raw/-' is not a chart (.tgz) or a manifest file (.yaml, .yml, .json)"
rm -f "$AG/repo/apps/raw/-"
ag web 'ARGOCD_APP_PARAMETERS=[{"name":"chart","string":"--set=x/y"}]' -- argocd generate
expect_err "argocd: a chart parameter that looks like a flag is a path" \
	"helm-x: error: parameter 'chart': cannot open '--set=x/y': No such file or directory"
ag web 'PARAM_VALUES_X=a.yaml' -- argocd generate
expect_err "argocd: an array's PARAM_NAME_ with no index" \
	"helm-x: error: PARAM_VALUES_X: no parameter of helm-x's plugin has this name (see 'helm-x argocd parameters')"
