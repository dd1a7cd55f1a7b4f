#!/usr/bin/env bash
# Installs schedd: binaries, the systemd unit, an example config and the docs, in FHS places.
#
#   scripts/install.sh               build (release, static Swift stdlib) and install to /
#   DESTDIR=/tmp/pkg scripts/install.sh          stage into a package root
#   PREFIX=/usr scripts/install.sh               binaries in /usr/bin (the unit is rewritten to match)
#   scripts/install.sh --no-build [--bin-dir DIR]  install binaries built earlier (default .build/release)
#
# Layout (PREFIX defaults to /usr/local):
#   $PREFIX/bin/schedd, $PREFIX/bin/schedctl
#   /etc/systemd/system/schedd.service     (SYSTEMD_UNIT_DIR overrides)
#   /etc/schedd/schedules.toml             (example; an existing config is never overwritten)
#   $PREFIX/share/doc/schedd/              (README.md, SYSTEMD.md, CONFIG.md)
# Then: systemctl daemon-reload && systemctl enable --now schedd
set -euo pipefail
cd "$(dirname "$0")/.."

DESTDIR="${DESTDIR:-}"
PREFIX="${PREFIX:-/usr/local}"
SYSTEMD_UNIT_DIR="${SYSTEMD_UNIT_DIR:-/etc/systemd/system}"
CONFIG_DIR="${CONFIG_DIR:-/etc/schedd}"
build=1
bin_dir=".build/release"

while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --bin-dir) shift; bin_dir="${1:?--bin-dir needs a folder}" ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift
done

if [ "$build" = 1 ]; then
    # Self-contained binaries: they run on machines without a Swift toolchain.
    swift build -c release --static-swift-stdlib --product schedd
    swift build -c release --static-swift-stdlib --product schedctl
fi
for binary in schedd schedctl; do
    [ -x "$bin_dir/$binary" ] || { echo "install.sh: $bin_dir/$binary not found (build first)" >&2; exit 1; }
done

install -d "$DESTDIR$PREFIX/bin" "$DESTDIR$SYSTEMD_UNIT_DIR" "$DESTDIR$CONFIG_DIR" "$DESTDIR$PREFIX/share/doc/schedd"
install -m 0755 "$bin_dir/schedd" "$bin_dir/schedctl" "$DESTDIR$PREFIX/bin/"

# The unit names /usr/local/bin and /etc/schedd; rewrite them for other locations.
sed -e "s|/usr/local/bin/|$PREFIX/bin/|g" \
    -e "s|/etc/schedd/|$CONFIG_DIR/|g" \
    -e "s|/usr/local/share/doc/schedd/|$PREFIX/share/doc/schedd/|g" \
    systemd/schedd.service > "$DESTDIR$SYSTEMD_UNIT_DIR/schedd.service"
chmod 0644 "$DESTDIR$SYSTEMD_UNIT_DIR/schedd.service"

if [ -e "$DESTDIR$CONFIG_DIR/schedules.toml" ]; then
    install -m 0644 schedules.toml "$DESTDIR$CONFIG_DIR/schedules.toml.example"
    echo "kept existing $DESTDIR$CONFIG_DIR/schedules.toml (example installed as schedules.toml.example)"
else
    install -m 0644 schedules.toml "$DESTDIR$CONFIG_DIR/schedules.toml"
fi
for doc in README.md docs/SYSTEMD.md docs/CONFIG.md; do
    if [ -f "$doc" ]; then install -m 0644 "$doc" "$DESTDIR$PREFIX/share/doc/schedd/"; fi
done

echo "installed schedd $("$DESTDIR$PREFIX/bin/schedd" --version | cut -d' ' -f2) into ${DESTDIR:-/}"
if [ -z "$DESTDIR" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    echo "next: systemctl daemon-reload && systemctl enable --now schedd"
fi
