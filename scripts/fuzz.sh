#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a bounded time.
#
#   scripts/fuzz.sh TARGET SECONDS        fuzz TARGET for SECONDS
#   scripts/fuzz.sh TARGET replay FILE…   run TARGET once on each FILE (reproduce a crash)
#   scripts/fuzz.sh --list                the available targets
#   scripts/fuzz.sh --probe               exit 0 when this toolchain can build fuzzers, 77 when not
#
# Targets live in Fuzz/<target>/: main.swift (defines LLVMFuzzerTestOneInput), a committed seed
# corpus in corpus/, and a dictionary <target>.dict. The library sources a target needs are compiled
# directly with `swiftc -sanitize=fuzzer,address` into static modules under .build-fuzz/ (rebuilt
# only when a source changed); SwiftPM is not involved, so the normal build stays untouched.
#
# Outputs (all under .build-fuzz/, gitignored):
#   corpus/<target>/    inputs the fuzzer found interesting (kept between runs)
#   crashes/<target>/   crash-*, timeout-*, oom-* reproducers: turn each into a regression test
#   logs/<target>.log   the fuzzer's output
#
# Exit status: 0 no finding; 1 a finding (or the fuzzer did not stop); 2 usage; 3 the target did not
# compile or link (our bug, not a finding); 77 the toolchain cannot build fuzzers (CI treats that as
# a visible skip).
#
# Environment: TOML_TEST_DIR (the toml-test suite) adds its .toml files as extra seeds for the
# toml and config targets; FUZZ_FLAGS adds libFuzzer flags.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/.build-fuzz"

# Library modules per target, dependencies first.
modules_for() {
    case "$1" in
        cron) echo "SchedTime SchedCron" ;;
        toml) echo "TOML" ;;
        config) echo "SchedTime SchedCron TOML SchedCore" ;;
        control) echo "SchedTime SchedCron TOML SchedCore" ;;
        state) echo "SchedTime SchedCron TOML SchedCore CSchedLinux SchedRuntime" ;;
        *) return 1 ;;
    esac
}
targets() {
    local dir
    for dir in Fuzz/*/; do
        dir=${dir%/}
        if modules_for "${dir#Fuzz/}" >/dev/null; then echo "${dir#Fuzz/}"; fi
    done
}

# Flags shared by every compile: Swift 6 mode and the package's upcoming features, optimised (the
# fuzzer runs many more inputs per second) but with every overflow and bounds check still in.
swift_flags=(
    -swift-version 6 -O -g -sanitize=fuzzer,address -parse-as-library
    -enable-upcoming-feature ExistentialAny
    -enable-upcoming-feature InternalImportsByDefault
    -enable-upcoming-feature MemberImportVisibility
    -I "$out/modules" -I "$out/modules/CSchedLinux" -L "$out/modules"
    # Internal declarations (the state file's record decoder) are fuzzed through @testable import.
    -enable-testing
)

log() { printf 'fuzz: %s\n' "$*" >&2; }

# A two-line fuzzer: can this toolchain build and link one at all?
probe() {
    mkdir -p "$out/probe"
    cat >"$out/probe/main.swift" <<'SWIFT'
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { 0 }
SWIFT
    swiftc -sanitize=fuzzer,address -parse-as-library -use-ld=lld "$out/probe/main.swift" \
        -o "$out/probe/probe" >"$out/probe/build.log" 2>&1
}

# Compiles Sources/<module> into .build-fuzz/modules/lib<module>.a plus its .swiftmodule, unless
# the archive is newer than every source file.
build_module() {
    local module=$1 archive="$out/modules/lib$1.a"
    if [ "$module" = CSchedLinux ]; then build_c_module; return; fi
    local sources=()
    mapfile -t sources < <(find "Sources/$module" -name '*.swift' | sort)
    if [ -f "$archive" ] && [ -z "$(find "Sources/$module" -name '*.swift' -newer "$archive" -print -quit)" ]; then
        return 0
    fi
    log "compiling $module (${#sources[@]} files)"
    mkdir -p "$out/modules"
    swiftc "${swift_flags[@]}" -module-name "$module" -whole-module-optimization \
        -emit-module -emit-module-path "$out/modules/$module.swiftmodule" \
        -emit-library -static -o "$archive" "${sources[@]}" || { rm -f "$archive"; return 1; }
}

# The C target: one object in an archive plus a module map naming its header, found through -I.
build_c_module() {
    local archive="$out/modules/libCSchedLinux.a" dir="$out/modules/CSchedLinux"
    if [ -f "$archive" ] && [ -z "$(find Sources/CSchedLinux -newer "$archive" -print -quit)" ]; then
        return 0
    fi
    log "compiling CSchedLinux"
    mkdir -p "$dir"
    printf 'module CSchedLinux {\n    header "%s"\n    export *\n}\n' \
        "$root/Sources/CSchedLinux/include/CSchedLinux.h" >"$dir/module.modulemap"
    rm -f "$archive"
    clang -O1 -g -fsanitize=fuzzer-no-link,address -I Sources/CSchedLinux/include \
        -c Sources/CSchedLinux/CSchedLinux.c -o "$dir/CSchedLinux.o" || return 1
    ar rcs "$archive" "$dir/CSchedLinux.o" || return 1
}

build_target() {
    local target=$1 binary="$out/bin/$1-fuzzer" module
    local modules links=()
    modules=$(modules_for "$target")
    # Every step checks its status: this runs under `if`, where `set -e` does not apply.
    for module in $modules; do build_module "$module" || return 1; done
    # Static archives link dependents first; their autolink entries do not reach the final link, so
    # the toolchain libraries the modules import are named explicitly.
    for module in $modules; do links=("-l$module" "${links[@]}"); done
    links+=(-lswiftGlibc -lswiftSynchronization -lswiftDispatch -ldispatch -lBlocksRuntime)
    if [ -f "$binary" ] && [ -z "$(find "Fuzz/$target" "$out/modules" -newer "$binary" \
        \( -name '*.swift' -o -name '*.a' \) -print -quit)" ]; then
        return 0
    fi
    log "linking $target"
    mkdir -p "$out/bin"
    swiftc "${swift_flags[@]}" -use-ld=lld -module-name "${target}_fuzzer" \
        "Fuzz/$target/main.swift" "${links[@]}" -o "$binary" || { rm -f "$binary"; return 1; }
}

# The toml-test suite's documents as extra seeds, copied flat (libFuzzer would also read the JSON).
toml_test_seeds() {
    local seeds="$out/seeds/toml-test"
    [ -n "${TOML_TEST_DIR:-}" ] && [ -d "$TOML_TEST_DIR/tests" ] || return 0
    if [ ! -d "$seeds" ]; then
        mkdir -p "$seeds"
        local file index=0
        while IFS= read -r -d '' file; do
            index=$((index + 1))
            cp "$file" "$seeds/$index.toml"
        done < <(find "$TOML_TEST_DIR/tests" -name '*.toml' -print0 | sort -z)
        log "seeded $index documents from $TOML_TEST_DIR"
    fi
    echo "$seeds"
}

run_target() {
    local target=$1 seconds=$2
    local binary="$out/bin/$target-fuzzer" crashes="$out/crashes/$target" corpus="$out/corpus/$target"
    mkdir -p "$crashes" "$corpus" "$out/logs"
    local seeds=("Fuzz/$target/corpus")
    if [ "$target" = toml ] || [ "$target" = config ]; then
        local extra
        extra=$(toml_test_seeds)
        [ -n "$extra" ] && seeds+=("$extra")
    fi
    local before
    before=$(find "$crashes" -type f | wc -l)
    log "running $target for ${seconds}s (log: .build-fuzz/logs/$target.log)"
    local status=0
    # `timeout` bounds the whole run: a fuzzer has been seen to hang for minutes while reporting a
    # crash on this machine class, so symbolising and Swift's backtracer are off as well.
    # shellcheck disable=SC2086
    ASAN_OPTIONS=symbolize=0:detect_leaks=0 SWIFT_BACKTRACE=enable=no \
        timeout --kill-after=10 $((seconds + 60)) "$binary" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
        -dict="Fuzz/$target/$target.dict" -artifact_prefix="$crashes/" -print_final_stats=1 \
        ${FUZZ_FLAGS:-} "$corpus" "${seeds[@]}" >"$out/logs/$target.log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::new_units_added|INFO: Done)' "$out/logs/$target.log" \
        | sed "s/^/fuzz: $target: /" >&2 || true
    local after
    after=$(find "$crashes" -type f | wc -l)
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        log "$target: the fuzzer did not stop on its own (timeout); see the log"
        return 1
    fi
    if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
        log "$target: FINDING (exit $status); reproducers:"
        find "$crashes" -type f -newer "$binary" | sed 's/^/    /' >&2
        grep -E 'Fatal error|ERROR: |SUMMARY' "$out/logs/$target.log" | head -5 | sed 's/^/    /' >&2 || true
        return 1
    fi
    log "$target: no finding in ${seconds}s"
}

case "${1:-}" in
    --list) targets; exit 0 ;;
    --probe) if probe; then exit 0; else log "this toolchain cannot build fuzzers (see .build-fuzz/probe/build.log)"; exit 77; fi ;;
    "" | -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

target=$1
if ! modules_for "$target" >/dev/null || [ ! -f "Fuzz/$target/main.swift" ]; then
    log "unknown target '$target'; available: $(targets | tr '\n' ' ')"
    exit 2
fi
if ! probe; then
    log "this toolchain cannot build fuzzers (see .build-fuzz/probe/build.log)"
    exit 77
fi
if ! build_target "$target"; then
    log "$target: BUILD FAILED — a compile or link error above, not a fuzzing finding"
    exit 3
fi

if [ "${2:-}" = replay ]; then
    shift 2
    [ $# -gt 0 ] || { log "replay needs at least one file"; exit 2; }
    ASAN_OPTIONS=symbolize=0:detect_leaks=0 SWIFT_BACKTRACE=enable=no \
        timeout --kill-after=10 120 "$out/bin/$target-fuzzer" -runs=1 "$@"
    exit
fi
seconds=${2:-}
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
    log "SECONDS must be a whole number"
    exit 2
fi
run_target "$target" "$seconds"
