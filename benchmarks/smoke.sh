#!/usr/bin/env bash
# Benchmark smoke for CI: seconds, not minutes. Proves that every micro benchmark runs once and that the load
# harness starts each server mode, serves, offloads and sheds (exit 1 if not). The numbers it prints mean nothing.
# Without wrk the harness uses its built-in client. The peers (benchmarks/peers: Rust, Node, Python) are skipped in --smoke.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build -c Release benchmarks/SyncContext.Benchmarks/SyncContext.Benchmarks.csproj
dotnet build -c Release benchmarks/SyncContext.Load/SyncContext.Load.csproj

timeout 300 dotnet run -c Release --no-build --project benchmarks/SyncContext.Benchmarks -- --smoke
timeout 300 dotnet run -c Release --no-build --project benchmarks/SyncContext.Load -- --smoke --no-install
