#!/bin/sh
# Chooses the pairs of handlers that `handlers::pairs!` (interp/src/exec/
# handlers.rs) runs as one: counts which ops run one after the other in the
# real programs of programs.sh (CPython 3.12 on tests/python/cpu.py, resvg,
# splr), in a porta built to count them (PORTA_COUNT_OP_PAIRS, see
# interp/src/exec/op_pairs.rs), and prints the `pairs!` table: every pair
# whose first op can be paired (not a control op) that makes at least
# THRESHOLD % (default 0.35) of the ops one of the programs runs. CoreMark,
# which is not counted, then shows what the table does for code it was not
# chosen from.
#
#   benches/pairs.sh [THRESHOLD]
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
threshold="${1:-0.35}"
target="${CARGO_TARGET_DIR:-$root/target}"
. benches/programs/wasip1.sh
python="$(sh tests/fetch-cpython.sh)"
resvg="$(wasip1_bin resvg 0.49.0 resvg)"
splr="$(wasip1_bin splr 0.17.2 splr)"
PORTA_COUNT_OP_PAIRS=1 cargo build --release -q -p porta --target-dir "$target/op-pairs"
porta="$target/op-pairs/release/porta"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

mkdir "$out/png" "$out/sat"
python3 benches/programs/cnf.py 240 4.26 5 >"$out/sat/3sat.cnf"
PORTA_OP_PAIRS="$out/cpython" "$porta" run -q "$python" --profile worker -v tests/python:/s:ro -- /s/cpu.py >/dev/null
PORTA_OP_PAIRS="$out/resvg" "$porta" run -q "$resvg" --profile worker -v benches/programs:/in:ro -v "$out/png:/out" -- \
    --skip-system-fonts /in/scene.svg /out/scene.png
PORTA_OP_PAIRS="$out/splr" "$porta" run -q "$splr" --profile worker -v "$out/sat:/d:ro" -- -q -C -r - /d/3sat.cnf >/dev/null || :
python3 - "$threshold" interp/src/exec/handlers.rs "$out/cpython" "$out/resvg" "$out/splr" <<'PY'
import collections, re, sys
threshold, handlers, counts = float(sys.argv[1]), open(sys.argv[2]).read(), sys.argv[3:]
# Control ops end their handler with a jump of their own: no pair starts there.
control_block = handlers[handlers.index("\n    control {\n"):]
control = set(re.findall(r"^ {8}(\w+) \{[^}]*\} =>", control_block, re.M))
# The largest share of a program's ops (%) each pair makes.
share = collections.defaultdict(float)
for path in counts:
    rows = [line.split() for line in open(path)]
    total = sum(int(n) for n, _, _ in rows)
    for n, a, b in rows:
        if a.split("::")[1] not in control:
            share[(a, b)] = max(share[(a, b)], 100 * int(n) / total)
pairs = sorted(k for k, s in share.items() if s >= threshold)
print(f"// Made by `benches/pairs.sh {threshold}`: {len(pairs)} pairs.")
print("pairs! {")
for a, b in pairs:
    name = "_".join(op.split("::")[1] + "_" + op.split("::")[0] for op in (a, b))
    print(f"    {name}: {a} => {b};")
print("}")
PY
