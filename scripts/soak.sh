#!/usr/bin/env bash
# Soak test: the real schedd with 10,000 jobs for MINUTES, reloaded every minute, its socket
# hammered with `schedctl list` and garbage; RSS, fds and lateness sampled every 10 s.
#
#   scripts/soak.sh MINUTES [--jobs N] [--out DIR]
#
# Builds schedd and schedctl in release mode once, then runs scripts/soak/soak.py, which writes
# samples.csv, soak.svg and summary.txt into DIR (default soak-out/<UTC time>/, gitignored) and
# exits 1 when RSS or fds grow after the warm-up, a firing is lost or doubled, or lateness p99
# drifts (see soak.py's header for the exact rules). Not part of .ci/run: it takes as long as asked.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-}
if ! [[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
shift
out="soak-out/$(date -u +%Y%m%dT%H%M%SZ)"
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$2; shift 2 ;;
        --jobs) extra+=(--jobs "$2"); shift 2 ;;
        *) echo "soak: unknown option $1" >&2; exit 2 ;;
    esac
done

# One release build (not part of any loop); the soak measures what users run.
swift build -c release --product schedd >&2
swift build -c release --product schedctl >&2
bin=$(swift build -c release --show-bin-path)

exec env PYTHONDONTWRITEBYTECODE=1 python3 scripts/soak/soak.py --minutes "$minutes" --out "$out" \
    --schedd "$bin/schedd" --schedctl "$bin/schedctl" "${extra[@]}"
