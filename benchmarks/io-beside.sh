#!/usr/bin/env bash
# The I/O-like case of issue 13 in small: /fast (4 connections) alone, then beside 256 connections on /slow
# (Thread.Sleep(100), default MaxThreads), with the executor threads' CPU and context switches meanwhile. The executor's
# CPU is read from each thread's schedstat (run time in ns): stat's utime/stime are charged per clock tick, and threads that
# run for microseconds between ticks showed 0-60 ms where perf sampled several hundred.
# Usage: benchmarks/io-beside.sh DLL [SECONDS]   (SLOW_ROUTE=/async-slow: the same flood waited asynchronously, the floor;
# with BLOCKERS=256 as well, 256 threads that only sleep 100 ms in a loop run in a process of their own during the flood:
# the floor plus what the blocking itself costs, which no executor can remove)
dll=$1; secs=${2:-8}
port=$((20000 + RANDOM % 20000))
dotnet "$dll" serve --mode synccontext --port "$port" --max-threads 0 --queue-limit 1024 --cpu-iterations 1 --parent $$ >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/fast" >/dev/null && break; sleep 0.1; done
wrk -t1 -c 4 -d 2s "http://127.0.0.1:$port/fast" >/dev/null
alone=$(wrk -t1 -c 4 -d ${secs}s "http://127.0.0.1:$port/fast" | awk '/Requests\/sec/ {print $2}')
wrk -t1 -c 256 -d $((secs*2+6))s "http://127.0.0.1:$port${SLOW_ROUTE:-/slow}" > /tmp/io.slow.$$ &
blockers=
if [[ -n ${BLOCKERS:-} ]]; then dotnet "$dll" sleepers "$BLOCKERS" $((secs + 2)) > /tmp/io.blockers.$$ & blockers=$!; fi
sleep 4
ex() { for t in /proc/$pid/task/*; do c=$(cat $t/comm 2>/dev/null) || continue; [[ $c == SyncContext* ]] || continue; s=$(awk '{print $1}' $t/schedstat 2>/dev/null); v=$(awk '/ctxt_switches/ {s+=$2} END {print s}' $t/status 2>/dev/null); echo "${s:-0} ${v:-0}"; done | awk '{a+=$1; b+=$2; n++} END {printf "%.0f %d %d\n", a, b, n}'; }
read e0 s0 n0 < <(ex); p0=$(sed 's/.*) //' /proc/$pid/stat | awk '{print $12+$13}')
beside=$(wrk -t1 -c 4 -d ${secs}s --latency "http://127.0.0.1:$port/fast")
read e1 s1 n1 < <(ex); p1=$(sed 's/.*) //' /proc/$pid/stat | awk '{print $12+$13}')
wait %2
slow=$(awk '/Requests\/sec/ {print $2}' /tmp/io.slow.$$)
b=$(echo "$beside" | awk '/Requests\/sec/ {print $2}'); p99=$(echo "$beside" | awk '$1=="99%" {print $2}')
echo "fast alone $alone beside $b ($(awk -v a=$alone -v b=$b 'BEGIN{printf "%.0f%%", 100*b/a}')) p99 $p99 | slow $slow req/s | executor threads $n1 cpu $(( (e1-e0) / 1000000 ))ms switches $((s1-s0)) in ${secs}s | process cpu $(( (p1-p0) ))0ms"
if [[ -n $blockers ]]; then wait "$blockers"; cat /tmp/io.blockers.$$; fi
rm -f /tmp/io.slow.$$ /tmp/io.blockers.$$
