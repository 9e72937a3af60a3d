#!/usr/bin/env bash
# What the SyncContext generator adds to compiling an app with 500 synchronous endpoints.
# Packs the packages, creates a web app that maps 500 sync handlers, then rebuilds it RUNS times with
# the generator on and off (EnableSyncContextGenerator), reading the Csc task time from MSBuild's
# performance summary and the generator's own time from the compiler's ReportAnalyzer output.
# Usage: bash benchmarks/generator-cost.sh   (RUNS=5 by default; about 3 minutes on 2 cores)
# For a steadier, faster measure of the generators alone (in process, beside RDG), see benchmarks/SyncContext.GeneratorCost
# and benchmarks/GENERATOR.md.
set -euo pipefail
runs=${RUNS:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version="0.1.0-bench.$(date +%s)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

for project in SyncContext.Abstractions SyncContext.AspNetCore; do
  dotnet pack "$repo/$project/$project.csproj" -c Release -o "$work/feed" -p:Version="$version" \
    --artifacts-path "$work/artifacts" -v q -nodeReuse:false >/dev/null
done

dotnet new web -o "$work/app" -n Bench500 --no-update-check >/dev/null
cd "$work/app"
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
dotnet add package SyncContext.AspNetCore --version "$version" >/dev/null

{
  echo 'using Microsoft.AspNetCore.Http.HttpResults;'
  echo 'var builder = WebApplication.CreateBuilder(args);'
  echo 'builder.Services.AddSyncContext();'
  echo 'var app = builder.Build();'
  echo 'var api = app.MapGroup("/api");'
  for i in $(seq 0 499); do
    case $((i % 5)) in
      0) echo "app.MapGet(\"/e$i\", () => \"e$i\");" ;;
      1) echo "app.MapGet(\"/e$i/{id:int}\", (int id) => id + $i);" ;;
      2) echo "api.MapPost(\"/e$i\", (Todo todo) => todo with { Id = $i });" ;;
      3) echo "api.MapGet(\"/e$i\", (HttpContext context, string? q) => context.TraceIdentifier + q);" ;;
      4) echo "app.MapGet(\"/e$i/{id:int}\", Results<Ok<Todo>, NotFound> (int id) => id == $i ? TypedResults.Ok(new Todo(id, \"t\")) : TypedResults.NotFound());" ;;
    esac
  done
  echo 'app.Run();'
  echo 'record Todo(int Id, string Title);'
} > Program.cs

dotnet build -c Release -nodeReuse:false >/dev/null   # restore and warm the compiler server

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Three modes, alternating run by run so that load from other work on the machine falls on all alike:
#   off  - EnableSyncContextGenerator=false (plain MapGet, no interceptors)
#   on   - the SyncContext generator intercepts all 500 calls
#   rdg  - ASP.NET Core's Request Delegate Generator instead (what PublishAot turns on), as a yardstick
declare -A props=(
  [off]="-p:EnableSyncContextGenerator=false"
  [on]="-p:EnableSyncContextGenerator=true"
  [rdg]="-p:EnableSyncContextGenerator=false -p:EnableRequestDelegateGenerator=true"
)
declare -A generator=(
  [on]="SyncContext.AspNetCore.Generator.SyncContextGenerator"
  [rdg]="Microsoft.AspNetCore.Http.RequestDelegateGenerator.RequestDelegateGenerator"
)
for mode in off on rdg; do : > "$work/csc-$mode"; : > "$work/gen-$mode"; done
for _ in $(seq "$runs"); do
  for mode in off on rdg; do
    touch Program.cs
    # shellcheck disable=SC2086
    dotnet build -c Release --no-restore -nodeReuse:false ${props[$mode]} -p:ReportAnalyzer=true \
      -v:d -clp:PerformanceSummary > "$work/log"
    grep -E '^ +[0-9]+ ms +Csc +[0-9]+ calls' "$work/log" | awk '{ print $1 }' >> "$work/csc-$mode"
    # ReportAnalyzer lists each generator's own time in seconds.
    if [ -n "${generator[$mode]:-}" ]; then
      grep -E "^ +[<0-9.]+ +[<0-9]+ +${generator[$mode]}\$" "$work/log" | awk '{ print $1 * 1000 }' | head -1 >> "$work/gen-$mode"
    fi
  done
done
for mode in off on rdg; do
  echo "$mode (${props[$mode]}): Csc task median $(median < "$work/csc-$mode") ms (runs: $(paste -sd' ' "$work/csc-$mode"))"
  if [ -s "$work/gen-$mode" ]; then
    echo "  ${generator[$mode]} own time median $(median < "$work/gen-$mode") ms (runs: $(paste -sd' ' "$work/gen-$mode"))"
  fi
done
