#!/bin/sh
# Rebuilds every tests/simd/bin/*.wasm: the C programs in src/*.c (with the
# auto-vectoriser: -O3 -msimd128) and the Rust guest in rust/.
# Installs nothing. Needs (Debian 12):
#   apt-get install clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc
#   rustup target add wasm32-wasip1
# Environment: CLANG (default clang-19), WASI_SYSROOT (a wasi-sdk style
# sysroot; by default Debian's wasi-libc under /usr is used).
set -eu
cd "$(dirname "$0")"

CLANG=${CLANG:-clang-19}
if ! command -v "$CLANG" >/dev/null 2>&1; then
    echo "build.sh: $CLANG not found. On Debian 12 install it with:" >&2
    echo "  apt-get install clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc" >&2
    exit 1
fi

SYSROOT_FLAG=
if [ -n "${WASI_SYSROOT:-}" ]; then
    SYSROOT_FLAG="--sysroot=$WASI_SYSROOT"
elif [ -f /usr/lib/wasm32-wasi/libc.a ]; then
    : # Debian's wasi-libc: clang finds /usr/include/wasm32-wasi and /usr/lib/wasm32-wasi itself
elif [ -f /usr/share/wasi-sysroot/lib/wasm32-wasi/libc.a ]; then
    SYSROOT_FLAG="--sysroot=/usr/share/wasi-sysroot"
else
    echo "build.sh: no wasi-libc found (looked in /usr/lib/wasm32-wasi and /usr/share/wasi-sysroot)." >&2
    echo "  apt-get install wasi-libc libclang-rt-19-dev-wasm32 lld-19, or set WASI_SYSROOT" >&2
    exit 1
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip1; then
    echo "build.sh: the Rust target wasm32-wasip1 is missing: rustup target add wasm32-wasip1" >&2
    exit 1
fi

mkdir -p bin
rm -f bin/*.wasm
for src in src/*.c; do
    name=$(basename "$src" .c)
    # shellcheck disable=SC2086
    if ! "$CLANG" --target=wasm32-wasi $SYSROOT_FLAG -O3 -msimd128 -Wall -Wextra \
        -Wl,--strip-all -o "bin/$name.wasm" "$src" -lm; then
        echo "build.sh: compiling $src failed (is lld-19 installed, for wasm-ld-19?)" >&2
        exit 1
    fi
done

(cd rust && RUSTFLAGS="-C target-feature=+simd128" cargo build --quiet --release --target wasm32-wasip1)
cp rust/target/wasm32-wasip1/release/simd-guest.wasm bin/simd_rust.wasm

ls -l bin/*.wasm | awk '{ printf "%8d  %s\n", $5, $NF }'
