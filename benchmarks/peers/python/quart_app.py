"""The load harness's Quart peer, on uvicorn: the same endpoints as benchmarks/SyncContext.Load/Server.

Quart runs a sync route on its event loop's default executor (run_sync): asyncio's ThreadPoolExecutor,
min(32, cores + 4) threads. The async routes run on the event loop itself.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import peer  # noqa: E402
from quart import Quart  # noqa: E402

app = Quart(__name__)


@app.get("/fast")
async def fast():
    return "fast"


@app.get("/inline")
async def inline():
    return "sync"


@app.get("/sync")
def sync():
    return "sync"


@app.get("/slow")
def slow():
    return peer.slow()


@app.get("/cpu")
def cpu():
    return peer.cpu()


@app.get("/pool")
def pool():
    return peer.pool()


if __name__ == "__main__":
    peer.serve(app)
