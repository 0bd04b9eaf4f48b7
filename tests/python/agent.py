# A porta agent in Python (SPEC section 4): reads the 4-byte little-endian
# length and the JSON request from stdin, answers {"ok": ...} on stdout.
# A call is a whole process: it ends with os._exit once its answer is
# flushed, as interpreter teardown would only cost time.
import json
import os
import struct
import sys

size = struct.unpack("<I", sys.stdin.buffer.read(4))[0]
request = json.loads(sys.stdin.buffer.read(size))
args = request["arguments"]
if request["tool"] == "echo":
    answer = {"ok": {"echo": args.get("text", ""), "length": len(args.get("text", ""))}}
else:
    answer = {"err": "unknown tool " + request["tool"]}
sys.stdout.write(json.dumps(answer) + "\n")
sys.stdout.flush()
os._exit(0)
