#!/bin/sh
# Rebuilds coremark.wasm from coremark.c (the .wat workloads are assembled by
# the benchmarks themselves) and checks it against a native build of the same
# source: the native program prints the reference CRCs that coremark.c embeds
# (EXPECT_*) and the result the benchmarks assert (COREMARK_EXPECT in
# ../src/lib.rs).
#
# Needs clang-19 and wasm-ld-19 (Debian: clang-19, lld-19). No wasi-libc:
# the module has no imports at all.
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang-19}

# -nostdlib, --no-entry: a library module exporting only `coremark` (and
# its memory). -mbulk-memory turns struct/array initialisation into
# memory.fill/copy instead of calls to a memset we do not link.
"$CLANG" --target=wasm32-wasi -O2 -Wall -Wextra -nostdlib -mbulk-memory \
    -Wl,--no-entry -Wl,--export=coremark -Wl,--strip-all \
    -o coremark.wasm coremark.c

native="$(mktemp)"
trap 'rm -f "$native"' EXIT
"$CLANG" -O2 -Wall -Wextra -DNATIVE -o "$native" coremark.c
"$native" 1
"$native" "${COREMARK_ITERATIONS:-1}" | tail -n 1
echo "built $(pwd)/coremark.wasm ($(wc -c < coremark.wasm) bytes)"
