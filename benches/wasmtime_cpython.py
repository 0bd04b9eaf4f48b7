"""CPython 3.12 (wasm32-wasip1) `-c pass` under wasmtime, first run, no
compilation cache: the reference for porta's start-up target.

usage: python wasmtime_cpython.py PYTHON_WASM RUNS
Prints one JSON line: {"wasmtime": VERSION, "runs_s": [...], "median_s": M}.
Each run is a fresh process-level engine, store and module: compile
included, as `wasmtime run` without a cache does it.
"""
import json
import statistics
import sys
import time
from importlib.metadata import version

import wasmtime


def run_once(path):
    start = time.perf_counter()
    # The embedding API has no compilation cache unless one is configured.
    engine = wasmtime.Engine(wasmtime.Config())
    module = wasmtime.Module.from_file(engine, path)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.argv = ["python", "-c", "pass"]
    store.set_wasi(wasi)
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        if e.code != 0:
            raise
    return time.perf_counter() - start


if __name__ == "__main__":
    path, runs = sys.argv[1], int(sys.argv[2])
    times = [run_once(path) for _ in range(runs)]
    print(json.dumps({"wasmtime": version("wasmtime"), "runs_s": times, "median_s": statistics.median(times)}))
