"""What the Python peers share: the command line, the sync work of /cpu and /pool, and running under uvicorn.

Run as `/usr/bin/python3 -I quart_app.py --port P --cpu-iterations N [--parent PID]` (Debian's python3-quart,
python3-fastapi and python3-uvicorn; -I keeps any other Python's packages out).
"""
import argparse
import hashlib
import os
import threading
import time

SLOW_SECONDS = 0.1
POOL_SIZE = 32
CHUNK = bytes(i % 256 for i in range(16384))

_args = None
_connections = threading.BoundedSemaphore(POOL_SIZE)


def args():
    global _args
    if _args is None:
        parser = argparse.ArgumentParser()
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--cpu-iterations", type=int, required=True)
        parser.add_argument("--parent", type=int)
        _args = parser.parse_args()
    return _args


def slow():
    time.sleep(SLOW_SECONDS)
    return "slow"


def cpu():
    """SHA-256 over cpu_iterations copies of the chunk (byte i = i mod 256), as lowercase hex: the same digest
    in every peer. hashlib releases the GIL for each 16 KiB update, as native work in a sync handler would."""
    hasher = hashlib.sha256()
    for _ in range(args().cpu_iterations):
        hasher.update(CHUNK)
    return hasher.hexdigest()


def pool():
    """Waits for one of 32 pooled "connections", then holds it for 100 ms."""
    with _connections:
        time.sleep(SLOW_SECONDS)
    return "pool"


def _exit_when_orphaned(parent):
    while True:
        time.sleep(1)
        if not os.path.exists(f"/proc/{parent}"):
            os._exit(0)


def serve(app):
    import uvicorn

    options = args()
    if options.parent is not None:
        threading.Thread(target=_exit_when_orphaned, args=(options.parent,), daemon=True).start()
    uvicorn.run(app, host="127.0.0.1", port=options.port, log_level="warning", access_log=False)
