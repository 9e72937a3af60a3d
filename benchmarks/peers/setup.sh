#!/usr/bin/env bash
# Makes one peer of the load harness ready to run, installing only what is missing:
#   setup.sh PEER [--check]      PEER: quart | fastapi | tokio | node
# Exit 0: ready; the last stdout line is "ready: <versions>". Exit 1: not ready; the last stderr line says why.
# --check never installs or builds (the harness's --no-install). Installing needs root (apt-get) and the
# registries this machine reaches: Debian's (python3-*, librust-*-dev, cargo) and npm's (npm ci, from the lockfile).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
peer="${1:-}"
check=false
[[ "${2:-}" == "--check" ]] && check=true
export DEBIAN_FRONTEND=noninteractive

fail() { echo "$*" >&2; exit 1; }

apt_install() {
  $check && fail "missing: $* (install: apt-get install -y $*)"
  [[ $(id -u) == 0 ]] || fail "missing: $* (not root: apt-get install -y $* first)"
  echo "installing: apt-get install -y $*"
  apt-get install -y -qq "$@" >/tmp/synccontext-peer-apt.log 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$@" >/tmp/synccontext-peer-apt.log 2>&1; } \
    || fail "apt-get install -y $* failed: $(tail -1 /tmp/synccontext-peer-apt.log)"
}

python_ready() { /usr/bin/python3 -I -c "import $1" >/dev/null 2>&1; }

python_versions() {
  /usr/bin/python3 -I -c "import importlib.metadata as m, sys; print(', '.join(f'{p} {m.version(p)}' for p in sys.argv[1:]) + ', Python ' + sys.version.split()[0])" "$@"
}

case "$peer" in
  quart|fastapi)
    [[ -x /usr/bin/python3 ]] || apt_install python3
    python_ready "$peer, uvicorn" || apt_install "python3-$peer" python3-uvicorn
    python_ready "$peer, uvicorn" || fail "$peer or uvicorn does not import in /usr/bin/python3 -I"
    echo "ready: $(python_versions "$peer" uvicorn) (Debian)"
    ;;
  tokio)
    dir="$here/tokio"
    binary="$dir/target/release/synccontext-peer-tokio"
    registry=/usr/share/cargo/registry
    cargo="$(command -v cargo || true)"
    [[ -n "$cargo" ]] || { apt_install cargo; cargo="$(command -v cargo)"; } || fail "no cargo"
    crates=(librust-hyper-dev librust-tokio-dev librust-sha2-dev)
    compgen -G "$registry/hyper-0.14*" >/dev/null && compgen -G "$registry/tokio-1.*" >/dev/null \
      && compgen -G "$registry/sha2-0.10*" >/dev/null || apt_install "${crates[@]}"
    stale=$(find "$dir/src" "$dir/Cargo.toml" "$dir/.cargo" -newer "$binary" 2>/dev/null | head -1)
    if [[ ! -x "$binary" || -n "$stale" ]]; then
      $check && fail "not built: cd $dir && cargo build --release --offline"
      echo "building: cargo build --release --offline (in $dir)"
      start=$(date +%s)
      (cd "$dir" && "$cargo" build --release --offline --quiet) >/tmp/synccontext-peer-cargo.log 2>&1 \
        || fail "cargo build --release --offline failed: $(grep -m1 -E '^error' /tmp/synccontext-peer-cargo.log || tail -1 /tmp/synccontext-peer-cargo.log)"
      echo "built in $(( $(date +%s) - start )) s"
    fi
    versions=$(cd "$dir" && awk '/^name = /{n=$3} /^version = /{gsub(/"/,"",n); gsub(/"/,"",$3); if (n=="hyper"||n=="tokio"||n=="sha2") printf "%s %s, ", n, $3}' Cargo.lock 2>/dev/null)
    echo "ready: ${versions}$("$cargo" --version | cut -d' ' -f1-2) (Debian's crates, offline)"
    ;;
  node)
    dir="$here/node"
    command -v node >/dev/null || fail "node not found (fastify 5 needs Node.js 20 or later)"
    major=$(node -p 'process.versions.node.split(".")[0]')
    (( major >= 20 )) || fail "Node.js $(node --version) is too old: fastify 5 and piscina 5 need 20 or later"
    command -v npm >/dev/null || fail "npm not found"
    if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
      $check && fail "not installed: cd $dir && npm ci"
      echo "installing: npm ci (in $dir)"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >/tmp/synccontext-peer-npm.log 2>&1 \
        || fail "npm ci failed: $(tail -1 /tmp/synccontext-peer-npm.log)"
    fi
    echo "ready: $(cd "$dir" && node -p "['fastify','piscina'].map(p => p + ' ' + JSON.parse(require('fs').readFileSync('node_modules/' + p + '/package.json')).version).join(', ')"), Node.js $(node --version)"
    ;;
  *)
    fail "usage: setup.sh quart|fastapi|tokio|node [--check]"
    ;;
esac
