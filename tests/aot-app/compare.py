"""Asks the native and the JIT build of the AOT app the same requests; fails on any difference or wrong thread."""
import json
import re
import sys
import time
import urllib.error
import urllib.request

NATIVE, JIT = sys.argv[1], sys.argv[2]
EXECUTOR = re.compile(r"^SyncContext #\d+$")

# (method, path, body, where the handler must run: "executor", "elsewhere" or None when no handler runs)
REQUESTS = [
    ("GET", "/text", None, "executor"),
    ("GET", "/todos/7", None, "executor"),
    ("GET", "/todos/abc", None, None),          # binding failure: ASP.NET Core's 400
    ("GET", "/sum?a=2&b=40", None, "executor"),
    ("GET", "/sum?a=2", None, None),            # missing query value: 400
    ("GET", "/result/3", None, "executor"),
    ("GET", "/result/0", None, "executor"),
    ("POST", "/todos", b'{"id":5,"title":"posted","done":false}', "executor"),
    ("POST", "/todos", b'{"id":', None),        # malformed body: 400
    ("GET", "/void", None, "executor"),
    ("GET", "/fail", None, "executor"),         # the sync exception handler answers, on the executor
    ("GET", "/group/9", None, "executor"),
    ("GET", "/explicit", None, "executor"),
    ("GET", "/offloaded/21", None, "executor"),
    ("GET", "/async", None, "elsewhere"),
    ("GET", "/runsync", None, None),
    ("GET", "/missing", None, "executor"),      # the sync status-code handler answers, on the executor
    ("GET", "/denied", None, None),             # a sync before-request hook answers 403
]

# Headers the app's sync before- and after-request hooks set with the thread they ran on.
HOOK_HEADERS = ("X-Before-Thread", "X-After-Thread")


def ask(base, method, path, body):
    request = urllib.request.Request(base + path, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type"), response.headers.get("X-Thread"), response.read(), hooks(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.headers.get("X-Thread"), error.read(), hooks(error.headers)


def hooks(headers):
    return tuple(headers.get(name) for name in HOOK_HEADERS)


def wait_ready(base):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            ask(base, "GET", "/text", None)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"aot: {base} did not start within 60 s")


wait_ready(NATIVE)
wait_ready(JIT)
failures = []
for method, path, body, where in REQUESTS:
    native, jit = ask(NATIVE, method, path, body), ask(JIT, method, path, body)
    name = f"{method} {path}"
    for label, (status, content_type, thread, payload, hook_threads) in (("native", native), ("jit", jit)):
        # A hook's header may be gone where an error handler cleared the response; where it is there, the hook ran on the executor.
        for header, hook_thread in zip(HOOK_HEADERS, hook_threads):
            if hook_thread is not None and not EXECUTOR.match(hook_thread):
                failures.append(f"{name}: the {label} hook behind {header} ran on '{hook_thread}', not a SyncContext thread")
            if path == "/text" and hook_thread is None:
                failures.append(f"{name}: the {label} response has no {header}: the hook did not run")
        if where == "executor" and not (thread and EXECUTOR.match(thread)):
            failures.append(f"{name}: the {label} handler ran on '{thread}', not a SyncContext thread")
        if where == "elsewhere" and thread and EXECUTOR.match(thread):
            failures.append(f"{name}: the {label} async handler ran on the executor ('{thread}')")
    # /runsync answers with the executor thread's name, whose number may differ between the two runs.
    if [t is None for t in native[4]] != [t is None for t in jit[4]]:
        failures.append(f"{name}: hooks ran differently, native {native[4]} != jit {jit[4]}")
    if native[:2] != jit[:2] or (native[3] != jit[3] and path != "/runsync"):
        failures.append(f"{name}: native {native[0]} {native[1]} {native[3]!r} != jit {jit[0]} {jit[1]} {jit[3]!r}")
    print(f"  {name}: {native[0]} {native[1]} thread={native[2]} hooks={native[4]} body={native[3][:60]!r}")

runsync = ask(NATIVE, "GET", "/runsync", None)[3].decode()
if not EXECUTOR.match(json.loads(runsync) if runsync.startswith('"') else runsync):
    failures.append(f"GET /runsync: IRunSync ran on '{runsync}'")

if failures:
    print("\n".join("aot: FAIL " + failure for failure in failures))
    sys.exit(1)
print(f"aot: {len(REQUESTS)} requests, native and JIT alike, sync handlers on SyncContext threads")
