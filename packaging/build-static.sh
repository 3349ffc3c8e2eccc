#!/usr/bin/env bash
# Builds the fully static onebox binary and proves it: no dynamic section entries, and it runs
# (creating a tenant, which needs the random generator and SQLite) in an empty chroot.
#
#   packaging/build-static.sh            # dist profile: LTO, stripped (~6 MB), slower to build
#   PROFILE=release packaging/build-static.sh
#
# The binary lands in target/x86_64-unknown-linux-gnu/$PROFILE/onebox.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${PROFILE:-dist}"
target=x86_64-unknown-linux-gnu

# --target is required: without it, crt-static would also apply to proc-macro crates.
# The getrandom cfg makes it use the getrandom(2) syscall only, never /dev/urandom, which an
# empty chroot or a minimal container does not have.
RUSTFLAGS='-C target-feature=+crt-static --cfg getrandom_backend="linux_getrandom"' \
  cargo build --locked --profile "$profile" --target "$target"

bin="target/$target/$profile/onebox"
if readelf -d "$bin" | grep -q '(NEEDED)'; then
  echo "FAIL: $bin needs shared libraries:" >&2
  readelf -d "$bin" | grep '(NEEDED)' >&2
  exit 1
fi
echo "ok: $bin has no dynamic dependencies ($(ldd "$bin" 2>&1 | head -n 1 | xargs))"

if [ "$(id -u)" = 0 ]; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  cp "$bin" "$root/onebox"
  chroot "$root" /onebox --data /data tenant create chroot-check --name "Chroot check" >/dev/null
  test -s "$root/data/tenants/chroot-check.sqlite"
  echo "ok: the static binary creates a tenant inside an empty chroot"
fi
ls -l "$bin" | awk '{print "size: " $5 " bytes"}'
