#!/usr/bin/env bash
# The native AOT check (issue 10): packs SyncContext.AspNetCore to a local folder feed, publishes this app with
# PublishAot from that feed (0 warnings required), builds the same app for the JIT without PublishAot (the generator's
# interceptors), runs both on 127.0.0.1 and checks that every sync handler ran on a "SyncContext #n" thread in both and
# that the native binary answers as the JIT build does (status, content type, body). Exits non-zero on any difference.
# Needs clang (or gcc) and zlib's headers for the native link, as any native AOT build on Linux.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
version="0.1.0-aot.$(date +%s)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/synccontext.aspnetcore/$version" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/synccontext.abstractions/$version"
}
trap cleanup EXIT
start=$(date +%s)

echo "aot: dotnet pack ($version)"
for project in SyncContext.Abstractions SyncContext.AspNetCore; do
  dotnet pack "$repo/$project/$project.csproj" -c Release -o "$work/feed" -p:Version="$version" --artifacts-path "$work/artifacts" > "$work/pack.log" 2>&1 \
    || { cat "$work/pack.log"; exit 1; }
  if grep -E ': warning [A-Z]+[0-9]+' "$work/pack.log"; then echo "aot: dotnet pack $project printed warnings"; exit 1; fi
done

mkdir -p "$work/app"
cp "$here/AotApp.csproj" "$here/Program.cs" "$here/Directory.Build.props" "$here/Directory.Packages.props" "$work/app/"
cat > "$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="synccontext-local" value="$work/feed" />
  </packageSources>
</configuration>
XML

echo "aot: dotnet publish (PublishAot)"
dotnet publish "$work/app/AotApp.csproj" -c Release -r linux-x64 -p:SyncContextVersion="$version" -o "$work/native" > "$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; exit 1; }
warnings=$(grep -E ': warning [A-Z]+[0-9]+' "$work/publish.log" | sort -u || true)
if [ -n "$warnings" ]; then echo "$warnings"; echo "aot: the native publish printed $(echo "$warnings" | wc -l) warning(s)"; exit 1; fi
echo "aot: native publish, 0 warnings ($(( $(date +%s) - start )) s so far)"

echo "aot: dotnet build (JIT, PublishAot=false: the generator's interceptors)"
dotnet build "$work/app/AotApp.csproj" -c Release -p:PublishAot=false -p:SyncContextVersion="$version" -o "$work/jit" > "$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }

native_port=${AOT_NATIVE_PORT:-5391}
jit_port=${AOT_JIT_PORT:-5392}
"$work/native/AotApp" --urls "http://127.0.0.1:$native_port" > "$work/native.log" 2>&1 & pids+=($!)
dotnet "$work/jit/AotApp.dll" --urls "http://127.0.0.1:$jit_port" > "$work/jit.log" 2>&1 & pids+=($!)

python3 "$here/compare.py" "http://127.0.0.1:$native_port" "http://127.0.0.1:$jit_port" || { echo "--- native log"; cat "$work/native.log"; echo "--- jit log"; cat "$work/jit.log"; exit 1; }
echo "aot: passed in $(( $(date +%s) - start )) s"
