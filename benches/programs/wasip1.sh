# Sourced by the scripts that run the real programs (programs.sh,
# pairs.sh), with $target set: builds them. Pinned there:
# - resvg 0.49.0, whose binary needs its default features (text, system
#   fonts; fontdb just finds no fonts under WASI: run it with
#   --skip-system-fonts to save the scan);
# - splr 0.17.2: 0.19.0, the newest, declares rust-version 1.98.

# A crate's binary built for wasm32-wasip1 from crates.io (--locked: the
# crate's own Cargo.lock), unless already built: prints the .wasm's path.
# The version is in the directory, so changing the pin rebuilds.
wasip1_bin() { # CRATE VERSION BIN
    dir="$target/programs/$1-$2"
    if [ ! -f "$dir/bin/$3.wasm" ]; then
        if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-wasip1; then
            rustup target add wasm32-wasip1 >&2
        fi
        echo "programs.sh: building $1 $2 for wasm32-wasip1" >&2
        nice -n 10 cargo install -q --locked --target wasm32-wasip1 --root "$dir" "$1" --version "$2" >&2
    fi
    echo "$dir/bin/$3.wasm"
}
