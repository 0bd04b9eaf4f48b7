#!/bin/sh
# Rebuilds the committed examples from their sources:
#   *.wat  -> *.wasm  (cargo run --example wat2wasm)
#   hello.c -> hello.wasm  (clang-19 + Debian's wasi-libc)
#   agent/ -> agent.wasm   (Rust, target wasm32-wasip1)
set -eu
cd "$(dirname "$0")/.."
for src in examples/*.wat; do
    cargo run --quiet --example wat2wasm -- "$src" "${src%.wat}.wasm"
done
clang-19 --target=wasm32-wasi -O2 -Wl,--strip-all -o examples/hello.wasm examples/hello.c
(cd examples/agent && cargo build --quiet --release --target wasm32-wasip1)
cp examples/agent/target/wasm32-wasip1/release/porta-example-agent.wasm examples/agent.wasm
