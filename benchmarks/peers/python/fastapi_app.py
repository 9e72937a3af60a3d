"""The load harness's FastAPI peer, on uvicorn: the same endpoints as benchmarks/SyncContext.Load/Server.

FastAPI runs a sync (`def`) endpoint in Starlette's thread pool (anyio's default limiter: 40 threads); the
`async def` endpoints run on the event loop itself.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import peer  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.responses import PlainTextResponse  # noqa: E402

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
text = {"response_class": PlainTextResponse}


@app.get("/fast", **text)
async def fast():
    return "fast"


@app.get("/inline", **text)
async def inline():
    return "sync"


@app.get("/sync", **text)
def sync():
    return "sync"


@app.get("/slow", **text)
def slow():
    return peer.slow()


@app.get("/cpu", **text)
def cpu():
    return peer.cpu()


@app.get("/pool", **text)
def pool():
    return peer.pool()


if __name__ == "__main__":
    peer.serve(app)
