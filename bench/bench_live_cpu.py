"""The live case score against the bare endpoint, in process: CPU and instructions per request.

    python bench/bench_live_cpu.py [--requests 3000] [--rounds 5] [--callgrind] [--workdir bench/out/api]

``bench_api.py`` measures both over loopback with wrk; on this shared 2-core
machine its rounds move by +-15% (wrk, both servers and the kernel share the
cores). This bench takes the network out: both ASGI apps are called directly
in one process (the same registered reopen model, the same payload), in
``--rounds`` alternating rounds, and prints the median CPU time per request
(``time.process_time``: every thread, so the audit writer counts) and the
ratio bare / ews. The uvicorn, HTTP parsing and socket work this leaves out
is the same for both apps.

With ``--callgrind`` each app also runs alone under valgrind's callgrind,
twice (100 and 1,100 requests after start-up and 50 warm-up requests): the
difference over 1,000 is instructions per request, which repeat whatever else
the machine does (the audit writer's share included). Takes about 12 minutes.

Aim (issue 15): ews >= 0.95 x the bare endpoint (bare / ews per request).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import AS_OF, BARE_APP, PAYLOAD, ROOT, environment, prepare

BODY = json.dumps(PAYLOAD).encode()
AIM = 0.95
App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def http_scope(path: str, key: str | None) -> dict[str, Any]:
    """The scope uvicorn would hand the app for the benchmark's POST."""
    headers = [
        (b"host", b"127.0.0.1"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(BODY)).encode()),
    ]
    if key is not None:
        headers.append((b"authorization", f"Bearer {key}".encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def start(app: App) -> Callable[[], Awaitable[None]]:
    """Run the app's lifespan start-up (models load, the audit writer starts); returns its shut-down."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.get_running_loop().create_task(app(scope, inbox.get, outbox.put))
    message = await outbox.get()
    if message["type"] != "lifespan.startup.complete":
        sys.exit(f"the app did not start: {message}")

    async def stop() -> None:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task

    return stop


async def requests(app: App, path: str, key: str | None, n: int) -> float:
    """CPU seconds of ``n`` requests; every answer must be 200."""
    statuses: set[int] = set()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.add(message["status"])

    begin = time.process_time()
    for _ in range(n):
        await app(http_scope(path, key), receive, send)
    spent = time.process_time() - begin
    if statuses != {200}:
        sys.exit(f"{path} answered {sorted(statuses)}")
    return spent


def load_apps(
    workdir: Path, names: tuple[str, ...] = ("ews", "bare")
) -> dict[str, tuple[App, str, str | None]]:
    """The ews app and the bare app, as the servers in ``bench_api.py`` run them."""
    os.chdir(workdir)
    os.environ.update(environment(workdir))
    apps: dict[str, tuple[App, str, str | None]] = {}
    if "ews" in names:
        from ews.app import create_app
        from ews.config import ServeSettings

        key = (workdir / "analyst.key").read_text().strip()
        apps["ews"] = (create_app(ServeSettings(), freeze_heap=True), "/v1/cases/reopen-risk", key)
    if "bare" in names:
        (workdir / "bare_app.py").write_text(BARE_APP)
        sys.path.insert(0, str(workdir))
        from bare_app import app as bare  # type: ignore[import-not-found]

        apps["bare"] = (bare, "/score", None)
    return apps


async def alternate(workdir: Path, n: int, rounds: int) -> dict[str, list[float]]:
    apps = load_apps(workdir)
    stops = [await start(app) for app, _, _ in apps.values()]
    for app, path, key in apps.values():  # warm: caches, lazy imports, the allocator
        await requests(app, path, key, 300)
    gc.collect()
    gc.freeze()
    spent: dict[str, list[float]] = {name: [] for name in apps}
    for number in range(rounds):
        order = list(apps) if number % 2 == 0 else list(reversed(apps))
        for name in order:
            app, path, key = apps[name]
            spent[name].append(await requests(app, path, key, n) / n * 1e6)
    for stop in stops:
        await stop()
    return spent


async def one_app(workdir: Path, name: str, n: int) -> None:
    """Start ``name`` alone, warm it with 50 requests, then make ``n`` more (a callgrind child)."""
    app, path, key = load_apps(workdir, (name,))[name]
    stop = await start(app)
    await requests(app, path, key, 50)
    await requests(app, path, key, n)
    await stop()


def instructions(workdir: Path, name: str, n: int) -> int:
    """Callgrind's instruction total for a whole ``one_app`` run of ``n`` requests."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__]
        cmd += ["--one", name, "--requests", str(n), "--workdir", str(workdir)]
        # A fixed hash seed: the same run executes the same instructions.
        env = {**environment(workdir), "PYTHONHASHSEED": "0"}
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            sys.exit(f"callgrind run of {name} failed: {done.stderr[-600:]}")
        totals = re.search(r"^(?:totals|summary): (\d+)", out.read_text(), re.MULTILINE)
        if totals is None:
            sys.exit(f"no instruction total in callgrind's output for {name}")
        return int(totals.group(1))


def callgrind(workdir: Path, few: int, many: int) -> dict[str, float]:
    """Instructions per request of each app: the difference of a run of ``many`` requests and
    one of ``few`` (start-up, about 18G instructions, cancels), two runs at a time."""
    from concurrent.futures import ThreadPoolExecutor

    runs = [(name, n) for name in ("ews", "bare") for n in (few, many)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        totals = dict(zip(runs, pool.map(lambda run: instructions(workdir, *run), runs), strict=True))
    return {name: (totals[name, many] - totals[name, few]) / (many - few) for name in ("ews", "bare")}


def key_lookup(workdir: Path, calls: int = 20000) -> tuple[float, float]:
    """Microseconds of one remembered key lookup: with the WAL header check, and with
    ``PRAGMA data_version`` alone (the header check switched off), medians of 5 runs."""
    import timeit

    from ews.db.accounts import KeyLookup
    from ews.db.engine import Store
    from ews.service.security import hash_key

    store = Store.open(f"sqlite:///{workdir / 'ews.db'}")
    lookup = KeyLookup(store.engine)
    digest = hash_key((workdir / "analyst.key").read_text().strip())
    if lookup(digest) is None or lookup._watch is None:
        sys.exit("the bench key is unknown, or the store is not a WAL database")
    with_header = [timeit.timeit(lambda: lookup(digest), number=calls) / calls * 1e6 for _ in range(5)]
    lookup._watch.close()
    lookup._watch = None  # what every request paid before the header check
    pragma_only = [timeit.timeit(lambda: lookup(digest), number=calls) / calls * 1e6 for _ in range(5)]
    lookup.close()
    store.close()
    return statistics.median(with_header), statistics.median(pragma_only)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="Requests per round.")
    parser.add_argument("--rounds", type=int, default=5, help="Alternating rounds.")
    parser.add_argument("--callgrind", action="store_true", help="Count instructions under callgrind too.")
    parser.add_argument(
        "--workdir", type=Path, default=ROOT / "bench" / "out" / "api", help="Cache directory."
    )
    parser.add_argument("--one", choices=("ews", "bare"), help=argparse.SUPPRESS)  # the callgrind child
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    if args.one:
        asyncio.run(one_app(workdir, args.one, args.requests))
        return
    prepare(workdir)
    header, pragma = key_lookup(workdir)
    print(
        f"key lookup, remembered answer: {header:.2f} us with the WAL header check, "
        f"{pragma:.2f} us with PRAGMA data_version alone ({pragma / header:.1f}x)"
    )
    spent = asyncio.run(alternate(workdir, args.requests, args.rounds))
    ratios = [b / e for b, e in zip(spent["bare"], spent["ews"], strict=True)]
    print(f"in process, {args.requests} requests x {args.rounds} alternating rounds ({AS_OF} published)")
    for name, values in spent.items():
        each = ", ".join(f"{v:.0f}" for v in values)
        print(f"  {name}: CPU us/request median {statistics.median(values):.1f} ({each})")
    ratio = statistics.median(ratios)
    print(
        f"  bare / ews per request: median {ratio:.3f} ({', '.join(f'{r:.2f}' for r in ratios)}) "
        f"(aim >= {AIM}): {'met' if ratio >= AIM else 'NOT met'}"
    )
    if args.callgrind:
        counts = callgrind(workdir, 100, 1100)
        for name, count in counts.items():
            print(f"  {name}: {count / 1e6:.3f} M instructions/request (callgrind: 1,100 requests - 100)")
        ratio = counts["bare"] / counts["ews"]
        verdict = "met" if ratio >= AIM else "NOT met"
        print(f"  bare / ews by instructions: {ratio:.3f} (aim >= {AIM}): {verdict}")


if __name__ == "__main__":
    main()
