#!/bin/sh
# Real programs as whole processes, porta against wasmi 2.0 with
# wasmi_wasi running the same binaries (examples/wasmi_wasi_run.rs, lazy
# translation as wasmi's users get it):
#   - CPython 3.12 on a CPU-bound script and an import-heavy one
#     (tests/python), each engine's output checked against the host's Python;
#   - resvg (crates.io) rendering programs/scene.svg to a PNG written into a
#     writable mount, the two engines' PNGs byte-identical;
#   - splr (crates.io), a CDCL SAT solver, on a random 3-SAT instance that
#     programs/cnf.py writes from a fixed seed, the two engines' answers
#     identical and the model checked against the CNF (programs/satcheck.py).
# resvg and splr are built for wasm32-wasip1 from their crates.io sources
# at pinned versions, once (target/programs/<crate>-<version>).
# Then start-up: a whole process that runs an empty module, porta against
# the wasmi CLI 2.0.0 (crates.io, built as wasmi's benchmarks build wasmi:
# fat LTO, one codegen unit), in batches of 100 runs.
# Prints one markdown table: the median of RUNS (default 7) wall-clock runs
# of each engine, the two engines' runs alternating (start-up: 3 × RUNS
# alternating batches).
#
#   benches/programs.sh [RUNS]
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-7}"
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release -q -p porta
cargo build --release -q -p porta-bench --features wasmi-wasi --example wasmi_wasi_run
porta="$target/release/porta"
wasmi="$target/release/examples/wasmi_wasi_run"
python="$(sh tests/fetch-cpython.sh)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

. benches/programs/wasip1.sh
wasmi_cli="$target/programs/wasmi_cli-2.0.0/bin/wasmi"
if [ ! -x "$wasmi_cli" ]; then
    echo "programs.sh: building the wasmi CLI 2.0.0" >&2
    CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
        nice -n 10 cargo install -q --locked --root "$target/programs/wasmi_cli-2.0.0" wasmi_cli --version 2.0.0 >&2
fi
# Every engine binary runs from a fresh copy, as `cargo install` leaves
# one: here a binary that the linker wrote in place started 10 % slower
# (1.51 against 1.37 ms for an empty module) than the same bytes copied,
# which would swamp the start-up row.
mkdir "$out/bin"
cp "$porta" "$out/bin/porta" && porta="$out/bin/porta"
cp "$wasmi" "$out/bin/wasmi_wasi_run" && wasmi="$out/bin/wasmi_wasi_run"
cp "$wasmi_cli" "$out/bin/wasmi" && wasmi_cli="$out/bin/wasmi"
resvg="$(wasip1_bin resvg 0.49.0 resvg)"
splr="$(wasip1_bin splr 0.17.2 splr)"

# Times shell functions $1 (porta) and $2 (wasmi) `runs` times each,
# alternately and in turns (porta first, then wasmi first), so that a busy
# spell of the machine weighs on both engines rather than on one block of
# runs; sets p and w to the medians of their wall-clock seconds. The exit
# status is not checked here (splr exits 10 on SAT, as SAT competitions
# want): each command ran once, checked, before it is timed.
alternate() {
    : >"$out/tp" && : >"$out/tw"
    i=0
    while [ $i -lt "$runs" ]; do
        if [ $((i % 2)) -eq 0 ]; then
            time_one "$1" >>"$out/tp" && time_one "$2" >>"$out/tw"
        else
            time_one "$2" >>"$out/tw" && time_one "$1" >>"$out/tp"
        fi
        i=$((i + 1))
    done
    p=$(median_s <"$out/tp")
    w=$(median_s <"$out/tw")
}
# The nanoseconds one run of the command takes.
time_one() {
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || :
    echo $(( $(date +%s%N) - s ))
}
# The median of the nanosecond counts on stdin, in seconds.
median_s() {
    sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.6f", m / 1e9 }'
}
# Runs splr: 10 is SAT and 20 UNSAT; anything else is a failure.
sat() {
    "$@" || case $? in 10 | 20) ;; *) return 1 ;; esac
}
row() { # NAME PORTA_S WASMI_S
    awk -v n="$1" -v p="$2" -v w="$3" 'BEGIN { printf "| %s | %.2f s | %.2f s | ×%.2f |\n", n, p, w, p / w }'
}

printf '| program | porta | wasmi + wasmi_wasi | porta / wasmi |\n|---|---|---|---|\n'
porta_cpu() { "$porta" run -q "$python" --profile worker -v tests/python:/s:ro -- /s/cpu.py; }
wasmi_cpu() { "$wasmi" --dir tests/python::/s "$python" /s/cpu.py; }
porta_stdlib() { "$porta" run -q "$python" --profile worker -v tests/python:/s:ro -- /s/stdlib.py; }
wasmi_stdlib() { "$wasmi" --dir tests/python::/s "$python" /s/stdlib.py; }
for script in cpu stdlib; do
    python3 "tests/python/$script.py" >"$out/host"
    "$porta" run -q "$python" --profile worker -v tests/python:/s:ro -- "/s/$script.py" >"$out/porta"
    "$wasmi" --dir tests/python::/s "$python" "/s/$script.py" >"$out/wasmi"
    cmp -s "$out/host" "$out/porta" || { echo "programs.sh: porta's output of $script.py differs from the host's" >&2; exit 1; }
    cmp -s "$out/host" "$out/wasmi" || { echo "programs.sh: wasmi's output of $script.py differs from the host's" >&2; exit 1; }
    alternate "porta_$script" "wasmi_$script"
    row "CPython 3.12 \`$script.py\`" "$p" "$w"
done

# resvg: the PNG goes to a writable mount, so the runs also write a 460 KB
# file. A native resvg's PNG is not the reference: its SIMD pipelines
# round a few pixels differently (by up to 3 of 255) from the scalar wasm.
mkdir "$out/png"
set -- --skip-system-fonts /in/scene.svg
"$porta" run -q "$resvg" --profile worker -v benches/programs:/in:ro -v "$out/png:/out" -- "$@" /out/porta.png
"$wasmi" --dir benches/programs::/in --dir "$out/png::/out" "$resvg" "$@" /out/wasmi.png
[ -s "$out/png/porta.png" ] || { echo "programs.sh: porta's resvg wrote no PNG" >&2; exit 1; }
cmp -s "$out/png/porta.png" "$out/png/wasmi.png" || { echo "programs.sh: resvg's PNGs differ between porta and wasmi" >&2; exit 1; }
python3 -c 'import sys; h = open(sys.argv[1], "rb").read(24); sys.exit(h[:8] != b"\x89PNG\r\n\x1a\n" or h[12:24] != b"IHDR" + (800).to_bytes(4, "big") + (600).to_bytes(4, "big"))' "$out/png/porta.png" ||
    { echo "programs.sh: resvg's output is not an 800×600 PNG" >&2; exit 1; }
# (A function's "$@" is its own arguments: the command's are spelt out.)
porta_resvg() { "$porta" run -q "$resvg" --profile worker -v benches/programs:/in:ro -v "$out/png:/out" -- --skip-system-fonts /in/scene.svg /out/porta.png; }
wasmi_resvg() { "$wasmi" --dir benches/programs::/in --dir "$out/png::/out" "$resvg" --skip-system-fonts /in/scene.svg /out/wasmi.png; }
alternate porta_resvg wasmi_resvg
row "resvg 0.49.0 \`scene.svg\` → 800×600 PNG" "$p" "$w"

# splr: 240 variables, 4.26 clauses per variable (the threshold, where
# random 3-SAT is hardest); seed 5 is satisfiable, so the model is checked.
# The answer goes to stdout (-r -); its statistics must match between the
# engines (the solver is deterministic) except the time it took.
mkdir "$out/sat"
python3 benches/programs/cnf.py 240 4.26 5 >"$out/sat/3sat.cnf"
set -- -q -C -r - /d/3sat.cnf
sat "$porta" run -q "$splr" --profile worker -v "$out/sat:/d:ro" -- "$@" >"$out/porta"
sat "$wasmi" --dir "$out/sat::/d" "$splr" "$@" >"$out/wasmi"
grep -v ', time: ' "$out/porta" >"$out/porta.notime"
grep -v ', time: ' "$out/wasmi" >"$out/wasmi.notime"
cmp -s "$out/porta.notime" "$out/wasmi.notime" || { echo "programs.sh: splr's answers differ between porta and wasmi" >&2; exit 1; }
[ "$(python3 benches/programs/satcheck.py "$out/sat/3sat.cnf" <"$out/porta")" = "s SATISFIABLE" ] ||
    { echo "programs.sh: splr's answer is not a model of the CNF" >&2; exit 1; }
porta_splr() { "$porta" run -q "$splr" --profile worker -v "$out/sat:/d:ro" -- -q -C -r - /d/3sat.cnf; }
wasmi_splr() { "$wasmi" --dir "$out/sat::/d" "$splr" -q -C -r - /d/3sat.cnf; }
alternate porta_splr wasmi_splr
row "splr 0.17.2 random 3-SAT, 240 vars, 1022 clauses (SAT)" "$p" "$w"

# Start-up: an empty `_start`, so the time is the process's own: loading
# the binary, parsing the command line, decoding, instantiating, WASI.
cargo build --release -q -p porta --example wat2wasm
echo '(module (func (export "_start")))' >"$out/empty.wat"
"$target/release/examples/wat2wasm" "$out/empty.wat" "$out/empty.wasm"
"$porta" run -q "$out/empty.wasm" && "$wasmi_cli" "$out/empty.wasm" ||
    { echo "programs.sh: the empty module did not run" >&2; exit 1; }
# The mean time of one run in a batch of 100, in nanoseconds. The two
# engines' batches alternate, 3 × RUNS of each, so that a busy spell of the
# machine weighs on both; the row gives the medians (in milliseconds).
batch() {
    s=$(date +%s%N)
    j=0
    while [ $j -lt 100 ]; do "$@" >/dev/null 2>&1; j=$((j + 1)); done
    echo $(( ($(date +%s%N) - s) / 100 ))
}
: >"$out/p" && : >"$out/w"
i=0
while [ $i -lt $((runs * 3)) ]; do
    batch "$porta" run -q "$out/empty.wasm" >>"$out/p"
    batch "$wasmi_cli" "$out/empty.wasm" >>"$out/w"
    i=$((i + 1))
done
p=$(median_s <"$out/p")
w=$(median_s <"$out/w")
awk -v p="$p" -v w="$w" 'BEGIN { printf "| start-up: an empty module, whole process (wasmi: its CLI) | %.2f ms | %.2f ms | ×%.2f |\n", p * 1000, w * 1000, p / w }'
