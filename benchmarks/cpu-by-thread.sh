#!/usr/bin/env bash
# CPU time and context switches per request of one load-server route under wrk, split by thread name (the
# executor's "SyncContext #n" threads, the thread pool's ".NET TP Worker", the socket engine, the JIT...).
# Usage: benchmarks/cpu-by-thread.sh DLL ROUTE [SECONDS] [CONNECTIONS]  e.g. benchmarks/cpu-by-thread.sh \
#   benchmarks/SyncContext.Load/bin/Release/net10.0/SyncContext.Load.dll /sync 5 32
# Threads that exit during the run drop out of the sums.
dll=${1:?dll}; route=${2:?route}; seconds=${3:-5}; connections=${4:-32}
port=$((20000 + RANDOM % 20000))
dotnet "$dll" serve --mode synccontext --port "$port" --max-threads "${MAX_THREADS:-64}" --queue-limit 1024 --cpu-iterations 1 --parent $$ >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port$route" >/dev/null && break; sleep 0.1; done
wrk -t1 -c "$connections" -d 5s "http://127.0.0.1:$port$route" >/dev/null
snap() { for t in /proc/$pid/task/*; do c=$(cat $t/comm 2>/dev/null) || continue; s=$(sed 's/.*) //' $t/stat 2>/dev/null | awk '{print $12+$13}'); v=$(awk '/ctxt_switches/ {s+=$2} END {print s}' $t/status 2>/dev/null); c=${c%%#*}; echo "$(basename $t)|${c// /_}|${s:-0}|${v:-0}"; done; }
snap > /tmp/snap0.$$
out=$(wrk -t1 -c "$connections" -d "${seconds}s" "http://127.0.0.1:$port$route")
snap > /tmp/snap1.$$
n=$(echo "$out" | awk '/requests in/ {print $1}')
python3 - /tmp/snap0.$$ /tmp/snap1.$$ $n $seconds <<'PY'
import sys,collections
def load(p):
    d={}
    for l in open(p):
        tid,c,s,v=l.strip().split('|'); d[tid]=(c,int(s),int(v or 0))
    return d
a,b=load(sys.argv[1]),load(sys.argv[2]); n=int(sys.argv[3]); secs=float(sys.argv[4])
g=collections.defaultdict(lambda:[0,0,0])
for tid,(c,s,v) in b.items():
    s0,v0=(a[tid][1],a[tid][2]) if tid in a else (0,0)
    g[c][0]+=s-s0; g[c][1]+=v-v0; g[c][2]+=1
tot=sum(x[0] for x in g.values())
print(f"req/s {n/secs:.0f} total cpu-us/req {tot*1e4/n:.1f} | " + " | ".join(f"{k}: {x[0]*1e4/n:.1f}us {x[1]/n:.2f}sw ({x[2]})" for k,x in sorted(g.items(), key=lambda kv:-kv[1][0]) if x[0]>0))
PY
rm -f /tmp/snap0.$$ /tmp/snap1.$$
