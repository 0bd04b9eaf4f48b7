import os, sys
print(sorted(os.listdir("/data")))
with open("/data/numbers.txt") as f:
    print(sum(int(x) for x in f.read().split()))
try:
    open("/data/new.txt", "w")
except OSError as e:
    print("write refused:", e.errno)
sys.exit(4)
