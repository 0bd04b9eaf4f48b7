#!/usr/bin/env bash
# CI's fuzzing step: every target for a short bounded time (20 s each by
# default). Needs a nightly toolchain and cargo-fuzz; installs them when
# missing, and when that fails, says so and skips (exit 0): the committed
# corpus is still replayed on stable by `cargo test`.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-20}
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "fuzz: installing the nightly toolchain"
    if ! rustup toolchain install nightly --profile minimal >/dev/null 2>&1; then
        echo "fuzz: skipped: no nightly toolchain (rustup toolchain install nightly failed)"
        exit 0
    fi
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    if ! cargo install cargo-fuzz --locked >/dev/null 2>&1; then
        echo "fuzz: skipped: cargo install cargo-fuzz failed"
        exit 0
    fi
fi
exec ./run.sh "$secs"
