#!/bin/sh
# Host instructions per workload call, porta against wasmi 2.0, counted by
# callgrind: deterministic, so it shows what a change to the interpreter
# does even on a busy machine, where compare.sh's timings swing. Each
# workload runs at two sizes and the difference is reported, so start-up
# and translation cancel out. Needs valgrind.
#
#   benches/icount.sh                 # all workloads
#   benches/icount.sh loop_sum fib    # some
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v valgrind >/dev/null || { echo "icount.sh: needs valgrind" >&2; exit 1; }
cargo build --release -q -p porta --bin porta --example wat2wasm
cargo build --release -q -p porta-bench --features wasmi-run --example wasmi_run
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/porta-bench/icount"
mkdir -p "$out"
porta="$target/release/porta"
wasmi="$target/release/examples/wasmi_run"

# workload, export, small and big argument
all="fib:fib:18:21 loop_sum:loop_sum:100000:400000 sieve:sieve:16000:64000 matmul:matmul:20:40
calls:calls:20000:80000 coremark:coremark:5:10"
if [ $# -gt 0 ]; then
    all="$(for w in "$@"; do echo "$all" | tr ' ' '\n' | grep "^$w:"; done)"
fi

count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }

printf '| workload | porta | wasmi | porta / wasmi |\n|---|---|---|---|\n'
for w in $all; do
    IFS=: read -r name export small big <<EOF2
$w
EOF2
    wasm="$out/$name.wasm"
    if [ -f "benches/workloads/$name.wasm" ]; then
        cp "benches/workloads/$name.wasm" "$wasm"
    else
        "$target/release/examples/wat2wasm" "benches/workloads/$name.wat" "$wasm"
    fi
    p=$(( $(count "$porta" run -q "$wasm" --invoke "$export" "$big") - $(count "$porta" run -q "$wasm" --invoke "$export" "$small") ))
    m=$(( $(count "$wasmi" "$wasm" "$export" "$big") - $(count "$wasmi" "$wasm" "$export" "$small") ))
    awk -v n="$name ($small -> $big)" -v p="$p" -v m="$m" 'BEGIN { printf "| %s | %d | %d | %.3f |\n", n, p, m, p / m }'
done
