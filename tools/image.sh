#!/bin/sh
# make image: helm-x's container image (Containerfile) built with
# Debian's buildah (vfs storage, chroot isolation: no daemon, works as
# root in a container).  Stages rootfs/ from make dist's static binary
# for this machine's architecture, Helm 4 as helm, Helm 3 as helm3 and
# kubectl (HELM4, HELM3, KUBECTL; default the binaries the tests use,
# .tools/bin), a static busybox for a shell (/bin/busybox, Debian's
# busybox-static), the CA certificates, a user helm-x with uid 999 and
# argocd/plugin.yaml where argocd-cmp-server reads it.
# IMAGE: the name (default helm-x:VERSION); BUILDAH_ROOT: a storage dir
# of its own (default buildah's); IMAGE_ARCHIVE: also write the image
# there as an OCI archive; HELM_X_TARBALL: make dist's tarball for this
# architecture, made already (default: built here).
set -eu
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version: "\(.*\)"$/\1/p' plugin.yaml)
image=${IMAGE:-helm-x:$version}
helm4=${HELM4:-.tools/bin/helm4.2}
helm3=${HELM3:-.tools/bin/helm3}
kubectl=${KUBECTL:-.tools/bin/kubectl}
die() {
	echo "image: $*" >&2
	exit 1
}
command -v buildah >/dev/null 2>&1 ||
	die "no buildah: apt-get install buildah (or sh tools/dist-deps.sh)"
[ -x /bin/busybox ] ||
	die "no /bin/busybox: apt-get install busybox-static (the image's shell)"
for b in "$helm4" "$helm3" "$kubectl"; do
	[ -x "$b" ] || die "no $b: make tools fetches Helm and kubectl (or set HELM4, HELM3, KUBECTL)"
done
case $(uname -m) in
x86_64) arch=amd64 ;;
aarch64) arch=arm64 ;;
*) die "no static build for $(uname -m)" ;;
esac
ctx=$(mktemp -d "${TMPDIR:-/tmp}/helm-x-image.XXXXXX")
trap 'rm -rf "$ctx"' EXIT
tarball=${HELM_X_TARBALL:-}
if [ -z "$tarball" ]; then
	DIST_DIR="$ctx/dist" DIST_ARCHES=$arch sh tools/dist.sh >/dev/null
	tarball="$ctx/dist/helm-x-$version-linux-$arch.tar.gz"
fi
[ -f "$tarball" ] || die "no $tarball"
r="$ctx/rootfs"
mkdir -p "$r/usr/local/bin" "$r/usr/local/lib/helm/plugins" "$r/bin" \
	"$r/etc/ssl/certs" "$r/tmp" "$r/home/argocd/cmp-server/config" \
	"$ctx/home/helm-x"
tar -xzf "$tarball" -C "$ctx"
mv "$ctx/helm-x-$version-linux-$arch" "$r/usr/local/lib/helm/plugins/x"
ln -s ../lib/helm/plugins/x/bin/helm-x "$r/usr/local/bin/helm-x"
cp "$helm4" "$r/usr/local/bin/helm"
cp "$helm3" "$r/usr/local/bin/helm3"
cp "$kubectl" "$r/usr/local/bin/kubectl"
cp /bin/busybox "$r/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
done
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
	cp /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/"
else
	die "no /etc/ssl/certs/ca-certificates.crt: apt-get install ca-certificates"
fi
printf 'root:x:0:0:root:/root:/bin/sh\nhelm-x:x:999:999:helm-x:/home/helm-x:/bin/sh\n' >"$r/etc/passwd"
printf 'root:x:0:\nhelm-x:x:999:\n' >"$r/etc/group"
cp argocd/plugin.yaml "$r/home/argocd/cmp-server/config/plugin.yaml"
chmod 1777 "$r/tmp"
chmod -R go-w "$r/usr" "$r/etc" "$r/home"
cp Containerfile "$ctx/"
set -- --storage-driver vfs
if [ -n "${BUILDAH_ROOT:-}" ]; then
	set -- "$@" --root "$BUILDAH_ROOT" --runroot "$BUILDAH_ROOT/run"
fi
buildah "$@" bud --quiet --isolation chroot --timestamp 1767225600 \
	-f "$ctx/Containerfile" -t "$image" "$ctx" >/dev/null
if [ -n "${IMAGE_ARCHIVE:-}" ]; then
	buildah "$@" push --quiet "$image" "oci-archive:$IMAGE_ARCHIVE:$image"
fi
size=$(buildah "$@" images --format '{{.Size}}' "$image" | head -n 1)
echo "image: $image ($size)"
