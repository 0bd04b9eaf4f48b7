#!/bin/sh
# Runs rustc, asking LLVM to start every function of porta-interp on a
# 64-byte boundary. Its handlers are short functions that jump to each
# other; at the default 16 bytes, where each one lands in cache lines and
# predictor tables moved with unrelated changes (CoreMark ran 8 % slower
# after a change to calls alone, and 1 % faster with the same change
# aligned). Aligned, the real programs also run up to 7 % faster
# (benches/README.md). Stable Cargo has no per-crate compiler flags, hence
# a wrapper.
rustc="$1"
shift
case " $* " in
*" --crate-name porta_interp "*) exec "$rustc" "$@" -C llvm-args=-align-all-functions=6 ;;
esac
exec "$rustc" "$@"
