#!/bin/sh
# The bundled example: patch a rendered chart stream and show what changed.
set -eu
hx=${1:-bin/helm-x}
cd "$(dirname "$0")/.."
echo "\$ $hx patch examples/rendered/web.yaml --json-patch examples/patches/expose.yaml"
"$hx" patch examples/rendered/web.yaml --json-patch examples/patches/expose.yaml \
	>examples/.demo-out.yaml
cat examples/.demo-out.yaml
echo
echo "# what the patches changed (the ConfigMap is byte for byte the same):"
diff -u examples/rendered/web.yaml examples/.demo-out.yaml || true
rm -f examples/.demo-out.yaml
