"""Dashboard page weight and load time on a slow phone connection (issue 13: every page <= 150 KB).

    python bench/bench_pages.py [--workdir DIR] [--runs 3]

Builds (or reuses) the demo's published synthetic Jakarta (``ews demo --no-serve
--workdir DIR``), adds a key account per role (lurah of the busiest
kelurahan, its camat, an analyst), serves the dashboard with uvicorn and
loads every page in headless Chromium at 360x740, first unthrottled, then
under Chromium's "Slow 3G" profile (2,000 ms latency, 400 kbit/s each way,
as in DevTools). Prints, per role and page, the bytes transferred (HTML, CSS,
JS, all requests) and the median load time of ``--runs`` cold loads (the
cache is disabled), against the 150 KB budget.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

BUDGET = 150 * 1024
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 400 * 1024 / 8,
    "uploadThroughput": 400 * 1024 / 8,
}
CHROMIUM = Path("/usr/bin/chromium")


def _published(workdir: Path) -> str:
    database = workdir / "ews.db"
    if not database.exists():
        # Run where the demo's relative defaults (ews.db, mlruns/) land in the work folder.
        workdir.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "ews", "demo", "--no-serve", "--workdir", "."]
        subprocess.run(argv, check=True, capture_output=True, text=True, cwd=workdir)
    return f"sqlite:///{database}"


def _accounts(url: str) -> tuple[dict[str, str], str, str]:
    """A key per role, and the lurah's kelurahan and an RW in it (the flagged one at the top)."""
    from sqlalchemy import select

    from ews.db import accounts
    from ews.db.engine import Store
    from ews.db.models import RwScore
    from ews.service.security import hash_key, new_key

    store = Store.open(url)
    keys = {role: new_key() for role in ("lurah", "camat", "analyst")}
    with store.session() as session:
        month = session.scalar(select(RwScore.as_of).order_by(RwScore.as_of.desc()).limit(1))
        top = session.scalars(select(RwScore).where(RwScore.as_of == month).order_by(RwScore.rank)).first()
        assert top is not None, "nothing is published"
        areas = {"lurah": top.kelurahan_code, "camat": top.kecamatan_code, "analyst": None}
        for role, key in keys.items():
            name = f"bench-{role}-{int(time.time())}"
            accounts.add_account(session, name, role, areas[role], hash_key(key))
    store.close()
    return keys, top.kelurahan_code, top.rw_code


def _serve(url: str, workdir: Path) -> tuple[str, Any]:
    import uvicorn

    from ews.app import create_app
    from ews.config import ServeSettings

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    data = workdir / "data"
    stores = [workdir / "mlruns" / "mlflow.db", workdir / "mlflow.db"]
    found = [p for p in stores if p.exists()]
    registry = {"mlflow_tracking_uri": f"sqlite:///{found[0]}"} if found else {}
    settings = ServeSettings(
        database_url=url, data_dir=str(data), session_secret="bench", cookie_secure=False, **registry
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def _sign_in(page: Any, base: str, key: str) -> None:
    page.goto(f"{base}/masuk")
    page.get_by_text("Punya kunci API?").click()
    page.get_by_label("Kunci API").fill(key)
    page.get_by_role("button", name="Masuk dengan kunci").click()
    page.wait_for_url(f"{base}/")


def _load(page: Any, cdp: Any, url: str) -> tuple[int, float]:
    """Bytes transferred and seconds to the load event, for one cold load of ``url``."""
    sizes: dict[str, int] = {}

    def finished(event: dict[str, Any]) -> None:
        sizes[event["requestId"]] = int(event.get("encodedDataLength", 0))

    cdp.on("Network.loadingFinished", finished)
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    elapsed = time.perf_counter() - start
    page.wait_for_timeout(200)  # late loadingFinished events
    cdp.remove_listener("Network.loadingFinished", finished)
    return sum(sizes.values()), elapsed


def _pages(role: str, kelurahan: str, rw_code: str) -> dict[str, str]:
    pages = {"beranda": "/", "rw": f"/rw/{rw_code}", "semua-rw": "/semua-rw", "cetak": "/cetak"}
    pages["peta"] = f"/peta?kelurahan={kelurahan}"
    if role == "analyst":
        pages |= {"cetak-kel": f"/cetak?kelurahan={kelurahan}", "analis": "/analis"}
    return pages


def _measure(
    browser: Any, base: str, key: str, paths: dict[str, str], runs: int
) -> list[tuple[str, int, float, float]]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    _sign_in(page, base, key)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    out = []
    for name, path in paths.items():
        fast = [_load(page, cdp, base + path) for _ in range(runs)]
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        slow = [_load(page, cdp, base + path) for _ in range(runs)]
        cdp.send(
            "Network.emulateNetworkConditions",
            {**SLOW_3G, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        size = int(statistics.median(b for b, _ in fast))
        out.append((name, size, statistics.median(t for _, t in fast), statistics.median(t for _, t in slow)))
    context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("bench-pages"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium (./dev test does)")
    url = _published(args.workdir.resolve())
    keys, kelurahan, rw_code = _accounts(url)
    base, server = _serve(url, args.workdir.resolve())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        print(f"{'role':8} {'page':9} {'KB':>7} {'budget':>7} {'load s':>7} {'slow 3G s':>10}")
        for role, key in keys.items():
            for name, size, fast, slow in _measure(
                browser, base, key, _pages(role, kelurahan, rw_code), args.runs
            ):
                verdict = "ok" if size <= BUDGET else "OVER"
                print(f"{role:8} {name:9} {size / 1024:7.1f} {verdict:>7} {fast:7.2f} {slow:10.2f}")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
