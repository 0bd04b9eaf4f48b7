#!/bin/sh
# Real programs as whole processes, porta against wasmi 2.0 with
# wasmi_wasi running the same binaries (examples/wasmi_wasi_run.rs, lazy
# translation as wasmi's users get it): CPython 3.12 on a CPU-bound script
# and an import-heavy one (tests/python). Each engine's output is checked
# against the host's own Python first. Prints one markdown table: the
# median of RUNS (default 5) wall-clock runs of each.
#
#   benches/programs.sh [RUNS]
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-5}"
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release -q -p porta
cargo build --release -q -p porta-bench --features wasmi-wasi --example wasmi_wasi_run
porta="$target/release/porta"
wasmi="$target/release/examples/wasmi_wasi_run"
python="$(sh tests/fetch-cpython.sh)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Median wall-clock seconds of `runs` runs of the command.
median() {
    i=0
    while [ $i -lt "$runs" ]; do
        s=$(date +%s%N)
        "$@" >/dev/null 2>&1
        e=$(date +%s%N)
        echo $(( (e - s) / 1000000 ))
        i=$((i + 1))
    done | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m / 1000 }'
}

printf '| program | porta | wasmi + wasmi_wasi | porta / wasmi |\n|---|---|---|---|\n'
for script in cpu stdlib; do
    python3 "tests/python/$script.py" >"$out/host"
    "$porta" run -q "$python" --profile worker -v tests/python:/s:ro -- "/s/$script.py" >"$out/porta"
    "$wasmi" --dir tests/python::/s "$python" "/s/$script.py" >"$out/wasmi"
    cmp -s "$out/host" "$out/porta" || { echo "programs.sh: porta's output of $script.py differs from the host's" >&2; exit 1; }
    cmp -s "$out/host" "$out/wasmi" || { echo "programs.sh: wasmi's output of $script.py differs from the host's" >&2; exit 1; }
    p=$(median "$porta" run -q "$python" --profile worker -v tests/python:/s:ro -- "/s/$script.py")
    w=$(median "$wasmi" --dir tests/python::/s "$python" "/s/$script.py")
    awk -v n="CPython 3.12 \`$script.py\`" -v p="$p" -v w="$w" 'BEGIN { printf "| %s | %.2f s | %.2f s | ×%.2f |\n", n, p, w, p / w }'
done
