"""Checks a SAT solver's answer against the CNF: prints `s SATISFIABLE`
only if the `v` lines assign every variable once and satisfy every clause,
`s UNSATISFIABLE` if the solver said so; anything else is an error.

    python3 satcheck.py FILE.cnf < answer
"""
import sys

lines = sys.stdin.read().splitlines()
# splr prints the result twice: "s SATISFIABLE: FILE", then in its answer.
status = sorted({l.split(":")[0] for l in lines if l.startswith("s ")})
if status != ["s SATISFIABLE"]:
    if status == ["s UNSATISFIABLE"]:
        print(status[0])
        sys.exit(0)
    sys.exit("satcheck: no single result: %r" % status)
model = set()
for l in lines:
    if l.startswith("v "):
        model.update(int(x) for x in l[2:].split())
model.discard(0)
clauses = []
with open(sys.argv[1]) as f:
    for l in f:
        if l.startswith("p cnf"):
            nvars = int(l.split()[2])
        elif l.strip() and not l.startswith("c"):
            clauses.append([int(x) for x in l.split()[:-1]])
if sorted(abs(x) for x in model) != list(range(1, nvars + 1)):
    sys.exit("satcheck: the model does not assign each of the %d variables once" % nvars)
bad = [c for c in clauses if not any(x in model for x in c)]
if bad:
    sys.exit("satcheck: %d clauses unsatisfied, e.g. %r" % (len(bad), bad[0]))
print("s SATISFIABLE")
