"""The load harness's peer: the same handlers as benchmarks/SyncContext.Load/Server, written for Quart.

Quart runs a sync route on its event loop's default executor (run_sync), which is the semantics SyncContext
takes; the async route runs on the event loop itself.
"""
import time

from quart import Quart

app = Quart(__name__)


@app.get("/fast")
async def fast():
    return "fast"


@app.get("/slow")
def slow():
    time.sleep(0.1)
    return "slow"


@app.get("/sync")
def sync():
    return "sync"
