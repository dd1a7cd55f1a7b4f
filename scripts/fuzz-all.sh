#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 30), one after another; CI calls this after the
# tests. Exits 0 when nothing was found or when the toolchain cannot build fuzzers (said loudly),
# 1 when any target found something or did not build, each reported as what it is (every target
# still runs, so one CI pass reports them all).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}

scripts/fuzz.sh --probe
case $? in
    0) ;;
    77)
        echo "fuzz: SKIPPED — this toolchain cannot build libFuzzer targets (swiftc -sanitize=fuzzer,address)" >&2
        exit 0
        ;;
    *) exit 1 ;;
esac

found=()
broken=()
for target in $(scripts/fuzz.sh --list); do
    status=0
    scripts/fuzz.sh "$target" "$seconds" || status=$?
    case $status in
        0) ;;
        3) broken+=("$target") ;;
        *) found+=("$target") ;;
    esac
done
if [ ${#broken[@]} -gt 0 ]; then
    echo "fuzz: targets that did not build: ${broken[*]} (a build error, not a finding)" >&2
fi
if [ ${#found[@]} -gt 0 ]; then
    echo "fuzz: findings in: ${found[*]} (reproducers in .build-fuzz/crashes/)" >&2
fi
if [ ${#broken[@]} -gt 0 ] || [ ${#found[@]} -gt 0 ]; then
    exit 1
fi
echo "fuzz: all targets ran ${seconds}s each without a finding" >&2
