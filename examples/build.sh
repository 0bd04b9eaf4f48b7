#!/bin/sh
# Rebuilds every committed examples/*.wasm from its .wat source.
set -eu
cd "$(dirname "$0")/.."
for src in examples/*.wat; do
    cargo run --quiet --example wat2wasm -- "$src" "${src%.wat}.wasm"
done
