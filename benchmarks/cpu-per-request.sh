#!/usr/bin/env bash
# CPU time and context switches per request of one load-server route, under wrk: a measure that holds up on a
# shared, busy machine better than req/s does (the other helpers' builds take cores, not the server's own CPU).
# Usage: [WARMUP=8] benchmarks/cpu-per-request.sh MODE ROUTE [SECONDS] [CONNECTIONS]   e.g. synccontext /sync 5 32
# Prints: mode route requests req/s cpu-us/request ctx-switches/request (voluntary+involuntary, all threads), then the
# executor's own share: CPU per request of the "SyncContext #n" threads, and how many of them there are.
set -euo pipefail
mode=${1:?mode: inline or synccontext}; route=${2:?route}; seconds=${3:-5}; connections=${4:-32}
root=$(cd "$(dirname "$0")/.." && pwd)
dll=${LOAD_DLL:-$root/benchmarks/SyncContext.Load/bin/Release/net10.0/SyncContext.Load.dll}
port=$((20000 + RANDOM % 20000))
dotnet "$dll" serve --mode "$mode" --port "$port" --max-threads "${MAX_THREADS:-64}" --queue-limit 1024 --cpu-iterations 1 --parent $$ >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port$route" >/dev/null && break; sleep 0.1; done
# Warm-up: a fresh server serves a third less for its first seconds while tiered JIT and dynamic PGO recompile the
# hot path (an offloaded route ~6 s, an inline one ~3 s on 2 cores); measuring then compares warm-ups, not builds.
wrk -t1 -c "$connections" -d "${WARMUP:-8}s" "http://127.0.0.1:$port$route" >/dev/null
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# The executor's CPU is each thread's schedstat run time (ns), not stat's utime/stime, which are charged per clock tick
# and miss threads that run for microseconds at a time; it is summed per thread id over the threads alive at the end,
# from zero for those started meanwhile. A worker that retires during the measurement drops out (its CPU is not
# counted at all, rather than subtracted), so under thread churn the executor's share is a lower bound.
executor_snapshot() {
  for t in /proc/$pid/task/*; do
    if [[ $(cat "$t/comm" 2>/dev/null) == SyncContext* ]]; then echo "${t##*/} $(awk '{print $1}' "$t/schedstat" 2>/dev/null)"; fi
  done
}
executor_threads() { for t in /proc/$pid/task/*; do cat "$t/comm" 2>/dev/null || true; done | grep -c '^SyncContext' || true; }
switches() { { cat /proc/$pid/task/*/status 2>/dev/null || true; } | awk '/ctxt_switches/ {s += $2} END {print s}'; }
t0=$(ticks); c0=$(switches); executor_snapshot > /tmp/cpr.e0.$$
out=$(wrk -t1 -c "$connections" -d "${seconds}s" "http://127.0.0.1:$port$route")
t1=$(ticks); c1=$(switches); executor_snapshot > /tmp/cpr.e1.$$; threads=$(executor_threads)
e=$(awk 'NR == FNR { before[$1] = $2; next } NF == 2 { s += $2 - ($1 in before ? before[$1] : 0) } END { printf "%.0f", s + 0 }' /tmp/cpr.e0.$$ /tmp/cpr.e1.$$)
rm -f /tmp/cpr.e0.$$ /tmp/cpr.e1.$$
requests=$(echo "$out" | awk '/requests in/ {print $1}')
hz=$(getconf CLK_TCK)
awk -v m="$mode" -v r="$route" -v n="$requests" -v s="$seconds" -v t=$((t1 - t0)) -v hz="$hz" -v c=$((c1 - c0)) \
  -v e="$e" -v w="$threads" \
  'BEGIN { printf "%s %s requests %d req/s %.0f cpu-us/req %.2f switches/req %.3f executor-cpu-us/req(alive at end) %.2f executor-threads %d\n", m, r, n, n / s, t * 1e6 / hz / n, c / n, e / 1e3 / n, w }'
