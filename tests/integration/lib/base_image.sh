# shellcheck shell=bash source-path=SCRIPTDIR
# Debian 12 base image for building deploy/Dockerfile without a registry.
# Source it after engine.sh.
#
# The root filesystem comes from `debootstrap --variant=minbase bookworm`.
# It is kept as a tarball in BASE_IMAGE_CACHE, by default
# build/cache/debian-bookworm-minbase.tar in the repository. So it is made
# once per build tree: once per CI run, and once on a developer's machine
# until build/ is removed. DEBIAN_MIRROR selects the archive
# (http://deb.debian.org/debian by default).

_base_image_repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BASE_IMAGE_CACHE=${BASE_IMAGE_CACHE:-$_base_image_repo_root/build/cache/debian-bookworm-minbase.tar}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Writes the root filesystem tarball to BASE_IMAGE_CACHE unless it exists.
# A lock serialises tests that run in parallel, and the tarball appears
# under its name only when complete.
_base_image_make_tarball() {
  local cache_dir rootfs lock_fd started=$SECONDS
  cache_dir=$(dirname "$BASE_IMAGE_CACHE")
  mkdir -p "$cache_dir"
  exec {lock_fd}>"$BASE_IMAGE_CACHE.lock"
  flock "$lock_fd"
  if [[ -s $BASE_IMAGE_CACHE ]]; then
    exec {lock_fd}>&-
    return 0
  fi
  command -v debootstrap >/dev/null ||
    fail "debootstrap not found; install it (scripts/bootstrap --test)"

  rootfs=$(mktemp -d "$cache_dir/rootfs.XXXXXX")
  harness_log "debootstrap --variant=minbase bookworm from $DEBIAN_MIRROR"
  if ! debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" \
    >"$HARNESS_DIR/debootstrap.log" 2>&1; then
    tail -n 20 "$HARNESS_DIR/debootstrap.log" >&2
    # debootstrap can leave /proc and /sys mounted in the target when it
    # fails, and rm must not descend into them.
    umount --recursive --lazy "$rootfs/proc" "$rootfs/sys" 2>/dev/null || true
    rm -rf --one-file-system "$rootfs"
    fail "debootstrap failed; its log is above"
  fi
  # Package lists and downloaded packages are only needed to install
  # packages, and every apt-get in deploy/Dockerfile starts with an update,
  # as on the official slim image.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/cache/apt/archives/*.deb
  tar --numeric-owner -C "$rootfs" -cf "$BASE_IMAGE_CACHE.partial" .
  mv "$BASE_IMAGE_CACHE.partial" "$BASE_IMAGE_CACHE"
  rm -rf --one-file-system "$rootfs"
  exec {lock_fd}>&-
  harness_log "base image tarball made in $((SECONDS - started))s:" \
    "$BASE_IMAGE_CACHE"
}

# base_image_import IMAGE
# Imports the Debian 12 minbase root filesystem into the private engine as
# IMAGE, making the tarball first when it is not cached.
base_image_import() {
  local image=$1
  _base_image_make_tarball
  engine_docker import --change 'CMD ["/bin/bash"]' \
    "$BASE_IMAGE_CACHE" "$image" >/dev/null ||
    fail "docker import of $BASE_IMAGE_CACHE failed"
}
