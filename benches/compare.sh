#!/bin/sh
# Runs porta's benchmarks (porta-interp with and without step counting,
# wasmi 2.0 with and without fuel, all in the same run) and prints the
# tables: time per call and ratio to wasmi per workload with the geomean,
# compile throughput, instantiation, memory per instance, CPython; on a
# full run also real programs as whole processes (programs.sh).
#
#   benches/compare.sh            # everything (a few minutes on 2 cores)
#   benches/compare.sh fib calls  # only benchmarks whose id contains a filter
#   benches/compare.sh --report   # only print the tables of the last run
#   benches/compare.sh --peers [FILTER...]  # also Stitch, Wasm3, WAMR and
#                                 # Wasmtime (Pulley, Cranelift); built
#                                 # from source: slower
#
# Criterion's log goes to target/porta-bench/bench.log; the tables also to
# target/porta-bench/report.md. Results are only as quiet as the machine:
# the load average before and after is printed with them.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
export CRITERION_HOME="$target/criterion"
export PORTA_BENCH_OUT="$target/porta-bench"
mkdir -p "$PORTA_BENCH_OUT"
log="$PORTA_BENCH_OUT/bench.log"

features=""
if [ "${1-}" = "--peers" ]; then
    shift
    # wasm3x and wamrx generate their bindings with bindgen (libclang);
    # wamrx builds WAMR with cmake.
    has_libclang() { ldconfig -p 2>/dev/null | grep -q 'libclang[-.0-9]*\.so'; }
    if { ! has_libclang || ! command -v cmake >/dev/null; } && [ "$(id -u)" = 0 ]; then
        echo "compare.sh: installing libclang-dev and cmake for Wasm3's and WAMR's bindings" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libclang-dev cmake >/dev/null 2>&1 || true
    fi
    peers="stitch,pulley,cranelift"
    if has_libclang; then
        peers="$peers,wasm3"
        if command -v cmake >/dev/null; then
            peers="$peers,wamr"
        else
            echo "compare.sh: WAMR not measured: wamrx builds WAMR with cmake (apt-get install cmake)" >&2
        fi
    else
        echo "compare.sh: Wasm3 and WAMR not measured: their bindings need libclang (apt-get install libclang-dev)" >&2
    fi
    features="--features $peers"
fi
if [ "${1-}" != "--report" ]; then
    # Build first (not part of the run), then run; show progress only.
    cargo bench -p porta-bench $features --no-run -q
    cargo build --release -q -p porta
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    started="$(date +%s)"
    echo "running benchmarks (log: $log)" >&2
    # No filter: a full run, which also times the real programs below.
    full=""
    if [ $# -eq 0 ]; then full=1; set -- ""; fi
    : >"$log.tmp"
    for filter in "$@"; do
        { cargo bench -q -p porta-bench $features -- $filter 2>&1; echo "exit status $?"; } >>"$log.tmp"
    done &
    pid=$!
    # Sample the 1-minute load average while the benchmarks run.
    while kill -0 $pid 2>/dev/null; do cut -d' ' -f1 /proc/loadavg; sleep 5; done >"$PORTA_BENCH_OUT/load.tmp" &
    # Progress: "<id> time: [low estimate high]" (criterion may print the id
    # on a line of its own).
    tail -f "$log.tmp" --pid=$pid 2>/dev/null | awk '
        /time:/ && !/%/ { sub(/^ +/, ""); print (name == "" ? "" : name " ") $0; name = ""; fflush(); next }
        /^exit status [1-9]|panicked/ { print; fflush(); next }
        /^[A-Za-z0-9_]+\/[A-Za-z0-9_-]+ *$/ { name = $1 }' >&2 || true
    wait $pid || true
    wait
    load_during="$(awk '{ s += $1; if ($1 > m) m = $1 } END { if (NR) printf "mean %.2f, max %.2f", s / NR, m }' "$PORTA_BENCH_OUT/load.tmp")"
    rm -f "$PORTA_BENCH_OUT/load.tmp"
    mv "$log.tmp" "$log"
    if grep -q '^exit status [1-9]' "$log"; then
        echo "benchmarks failed; see $log" >&2
        exit 1
    fi
    load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
    {
        echo "# Porta benchmarks — $(date -u +%Y-%m-%dT%H:%MZ)"
        echo
        rev="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
        if [ -n "$(git -C "$root" status --porcelain -- interp 2>/dev/null)" ]; then rev="$rev + uncommitted changes in interp/"; fi
        echo "porta-interp at $rev; wasmi $(grep -A1 '^name = "wasmi"$' "$root/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')."
        echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(rustc --version)."
        echo "Load average (1/5/15 min) before: $load_before; after: $load_after; 1-min load during the run: $load_during."
        echo "The run took $(( $(date +%s) - started )) s (benchmarks run one at a time on one thread)."
        echo
    } >"$PORTA_BENCH_OUT/header.md"

    # CPython start-up against wasmtime's first, uncached run (the PyPI
    # wasmtime package, in a venv under target/): whole processes, 3 runs each.
    venv="$target/wasmtime-venv"
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import wasmtime" 2>/dev/null; then
        python3 -m venv "$venv" >&2 && "$venv/bin/pip" install -q --disable-pip-version-check wasmtime >&2
    fi
    py="$(sh "$root/tests/fetch-cpython.sh")"
    echo "timing CPython start-up: porta and wasmtime" >&2
    porta_runs=""
    for _ in 1 2 3; do
        t0=$(date +%s%N)
        "$target/release/porta" run -q "$py" --profile worker -- -c pass
        porta_runs="$porta_runs $(( ($(date +%s%N) - t0) / 1000000 ))"
    done
    wasmtime_json="$("$venv/bin/python" "$root/benches/wasmtime_cpython.py" "$py" 3)"
    echo "$wasmtime_json" | python3 -c '
import json, statistics, sys
w = json.load(sys.stdin)
porta = sorted(int(x) for x in sys.argv[1].split())
p = statistics.median(porta) / 1000
print("## CPython `-c pass`: a whole porta process against wasmtime'"'"'s first (uncached) run\n")
print("| runtime | median of 3 | runs |")
print("|---|---|---|")
print("| porta run | %.2f s | %s |" % (p, ", ".join("%.2f" % (x / 1000) for x in porta)))
print("| wasmtime %s (Cranelift, no cache) | %.2f s | %s |" % (w["wasmtime"], w["median_s"], ", ".join("%.2f" % x for x in w["runs_s"])))
print("\nporta starts %.1fx faster.\n" % (w["median_s"] / p))
' "$porta_runs" >"$PORTA_BENCH_OUT/startup-vs-wasmtime.md"

    # Real programs as whole processes (programs.sh: CPython, resvg, splr;
    # a few minutes), on a full run only. If it fails, the report keeps the
    # last table rather than lose the criterion ones.
    if [ -n "$full" ]; then
        echo "timing real programs: porta and wasmi (benches/programs.sh)" >&2
        if { printf '## Real programs: whole processes, porta against wasmi + wasmi_wasi (median of 7 runs of each, alternating)\n\n'; sh "$root/benches/programs.sh" && echo; } >"$PORTA_BENCH_OUT/programs.md.tmp"; then
            mv "$PORTA_BENCH_OUT/programs.md.tmp" "$PORTA_BENCH_OUT/programs.md"
        else
            echo "compare.sh: benches/programs.sh failed; the report keeps the last real-program table" >&2
            rm -f "$PORTA_BENCH_OUT/programs.md.tmp"
        fi
    fi
fi

# The report binary is built with the bench profile, so it reuses what
# `cargo bench` compiled (it lands in target/release).
cargo build --profile bench -q -p porta-bench --bin report
{
    cat "$PORTA_BENCH_OUT/header.md" 2>/dev/null || true
    "$target/release/report" "$CRITERION_HOME" "$PORTA_BENCH_OUT"
    cat "$PORTA_BENCH_OUT/startup-vs-wasmtime.md" 2>/dev/null || true
    cat "$PORTA_BENCH_OUT/programs.md" 2>/dev/null || true
} | tee "$PORTA_BENCH_OUT/report.md"
