#!/usr/bin/env bash
# S3 in paired samples: a trivial sync handler offloaded (SyncContext `/sync`) against the same handler inline, with both
# servers alive and warm, measured in short samples taken in turn so that each ratio compares two figures a few seconds
# apart. On these shared 2-core VMs one server's req/s moves 10-20 % between consecutive 4 s samples and between fresh
# processes of the same build, as much as the gap S3 measures; pairing adjacent samples removes the drift, and several
# fresh pairs of processes spread what differs between processes (tiered JIT and dynamic PGO compile each one anew).
# Usage: [DLL=...] benchmarks/s3-paired.sh [PAIRS_OF_PROCESSES=3] [ROUNDS_PER_PAIR=6] [SECONDS=3] [CONNECTIONS=32]
# Each round measures, in an order that rotates from round to round: SyncContext `/sync`, ASP.NET Core inline `/sync`
# (the load server's inline mode: no SyncContext at all), and SyncContext's never-offloaded `/inline`.
# Prints every round, then the medians of the per-round ratios and their quartiles.
set -euo pipefail
pairs=${1:-3}; rounds=${2:-6}; secs=${3:-3}; conns=${4:-32}
root=$(cd "$(dirname "$0")/.." && pwd)
dll=${DLL:-$root/benchmarks/SyncContext.Load/bin/Release/net10.0/SyncContext.Load.dll}
out=$(mktemp)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -f "$out"' EXIT

start() { # MODE PORT -> pid
  dotnet "$dll" serve --mode "$1" --port "$2" --max-threads 64 --queue-limit 1024 --cpu-iterations 1 --parent $$ >/dev/null &
  echo $!
}
ready() { for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/sync" >/dev/null && return; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }
rate() { wrk -t1 -c "$conns" -d "${2}s" "http://127.0.0.1:$1" | awk '/Requests\/sec/ {printf "%.0f", $2}'; }

printf '| process pair | round | SyncContext `/sync` | ASP.NET Core inline `/sync` | SyncContext `/inline` | `/sync` vs inline server | `/sync` vs same server'"'"'s `/inline` |\n|--:|--:|--:|--:|--:|--:|--:|\n'
for p in $(seq "$pairs"); do
  sc=$((20000 + RANDOM % 20000)); inl=$((sc + 1))
  sc_pid=$(start synccontext "$sc"); in_pid=$(start inline "$inl"); pids=("$sc_pid" "$in_pid")
  ready "$sc"; ready "$inl"
  # Warm-up: tiered JIT and dynamic PGO recompile the hot path during a fresh server's first seconds.
  rate "$sc/sync" 6 >/dev/null; rate "$inl/sync" 6 >/dev/null; rate "$sc/inline" 4 >/dev/null
  for r in $(seq "$rounds"); do
    urls=("$sc/sync" "$inl/sync" "$sc/inline") got=()
    for k in 0 1 2; do
      i=$(( (k + r - 1) % 3 ))
      got[i]=$(rate "${urls[i]}" "$secs")
    done
    a=${got[0]}; b=${got[1]}; c=${got[2]}
    echo "$a $b $c" >> "$out"
    awk -v p="$p" -v r="$r" -v a="$a" -v b="$b" -v c="$c" 'BEGIN { printf "| %d | %d | %d | %d | %d | %.0f %% | %.0f %% |\n", p, r, a, b, c, 100*a/b, 100*a/c }'
  done
  kill "$sc_pid" "$in_pid" 2>/dev/null || true; wait "$sc_pid" "$in_pid" 2>/dev/null || true
done

sort_median() { sort -n | awk '{ v[NR] = $1 } END { q = int((NR + 3) / 4); printf "%.0f %% (quartiles %.0f-%.0f %%, %d rounds)", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[q], v[NR + 1 - q], NR }'; }
echo
echo "median \`/sync\` vs ASP.NET Core inline: $(awk '{ print 100 * $1 / $2 }' "$out" | sort_median)"
echo "median \`/sync\` vs same server's \`/inline\`: $(awk '{ print 100 * $1 / $3 }' "$out" | sort_median)"
echo "median SyncContext \`/inline\` vs ASP.NET Core inline (the same code in two processes): $(awk '{ print 100 * $3 / $2 }' "$out" | sort_median)"
