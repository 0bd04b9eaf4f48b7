import json, re, collections, itertools, functools, datetime, hashlib, base64, textwrap, dataclasses, decimal, fractions, statistics, heapq, bisect, string, struct, math
@dataclasses.dataclass
class P:
    name: str
    n: int
data = [P("a", 3), P("b", 1), P("c", 2)]
print(json.dumps(sorted([dataclasses.asdict(p) for p in data], key=lambda d: d["n"])))
print(re.sub(r"(\d+)", lambda m: str(int(m.group(1)) * 2), "x1 y22 z333"))
print(collections.Counter("mississippi").most_common(2))
print(hashlib.sha256(b"porta").hexdigest()[:16], base64.b64encode(b"hi").decode())
print(decimal.Decimal("1.1") + decimal.Decimal("2.2"), fractions.Fraction(3, 9), statistics.mean([1, 2, 3, 4]))
print(math.factorial(20), struct.pack("<I", 258).hex())
