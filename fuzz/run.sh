#!/usr/bin/env bash
# Runs cargo-fuzz targets for a bounded time each and prints one line per
# target: `fuzz/run.sh SECONDS [TARGET...]` (all targets by default).
# New inputs go to fuzz/work/<target>/ (not committed); the committed
# corpus fuzz/corpus/<target>/ seeds each run. A crash prints its message
# and the artifact to commit under fuzz/corpus/<target>/ once fixed; the
# script then exits 1.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo +nightly fuzz list); fi
if ! out=$(cargo +nightly fuzz build 2>&1); then
    echo "$out" | tail -30
    exit 1
fi
status=0
for t in "${targets[@]}"; do
    mkdir -p "work/$t" "corpus/$t"
    log="work/$t.log"
    # One allocation past this ends the run as a failure: for targets that
    # only read their input (at most 4 KiB), 64 MiB is more than any input
    # justifies; the executing ones hold guest memories and two engines.
    # wasmparser's validator, which decode and translate run on inputs our
    # decoder rejects too, reserves up to ~69 MB for the imports a section
    # claims (it caps them at 1 M) before reading them: theirs, bounded.
    case "$t" in
        decode | translate) malloc=128 ;;
        manifest | project | snapshot) malloc=64 ;;
        *) malloc=2048 ;;
    esac
    start=$(date +%s)
    # porta serve's own start-up line is noise in the mcp_line log.
    cargo +nightly fuzz run "$t" "work/$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout=30 -rss_limit_mb=3072 -malloc_limit_mb="$malloc" -print_final_stats=1 2>&1 \
        | grep -av '^\[porta\]' >"$log"
    rc=${PIPESTATUS[0]}
    runs=$(grep -ao '^Done [0-9]* runs' "$log" | awk '{print $2}')
    if [ "$rc" -eq 0 ]; then
        echo "fuzz: $t: ${runs:-0} runs in $(( $(date +%s) - start )) s, no failure"
    else
        status=1
        echo "fuzz: $t: FAILED after $(( $(date +%s) - start )) s:"
        grep -a -m1 -A3 'panicked at' "$log" | sed 's/^/    /'
        grep -a -m1 '^artifact_prefix\|Test unit written to' "$log" | sed 's/^/    /'
    fi
done
exit $status
