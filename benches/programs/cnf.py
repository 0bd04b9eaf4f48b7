"""Writes a random 3-SAT instance in DIMACS CNF to stdout: VARS variables,
round(VARS * RATIO) clauses of three distinct variables each, signs and
variables drawn from a xorshift64 generator of our own seeded with SEED, so
the file is the same on every Python version.

    python3 cnf.py VARS RATIO SEED
"""
import sys

nvars, ratio, seed = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
state = seed or 1


def rand(n):
    global state
    state ^= (state << 13) & 0xFFFFFFFFFFFFFFFF
    state ^= state >> 7
    state ^= (state << 17) & 0xFFFFFFFFFFFFFFFF
    return state % n


nclauses = round(nvars * ratio)
out = ["p cnf %d %d" % (nvars, nclauses)]
for _ in range(nclauses):
    vs = []
    while len(vs) < 3:
        v = rand(nvars) + 1
        if v not in vs:
            vs.append(v)
    out.append(" ".join(str(v if rand(2) else -v) for v in vs) + " 0")
print("\n".join(out))
