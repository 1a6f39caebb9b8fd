"""Benchmark the HTTP service with wrk on loopback, against two references in the same run.

    python bench/bench_api.py [--duration 10] [--connections 8] [--rounds 3] [--workdir bench/out/api]

Builds (once, cached in --workdir) a synthetic Jakarta Pusat, trains and
registers both models with ``ews train``, publishes a month with ``ews
publish`` and adds an analyst key. Then measures p50/p99 latency and
requests/s at 8 connections for:

* ews: GET /v1/rw/{code}, GET /v1/flags, POST /v1/cases/reopen-risk
* bare: a FastAPI endpoint with the same registered reopen model + SHAP, nothing else
* mlflow: ``mlflow models serve`` of the same registered model (prediction only, no SHAP)

The ews and bare servers run together, the mlflow one after them. The live
score and the bare endpoint are measured in ``--rounds`` alternating rounds;
their figures are medians over the rounds and the ratio is the median of the
rounds' ratios.

Besides requests/s, each measurement reports the server's CPU time per request
(user + system of the server process and its children, from /proc, over the
measured run, divided by the requests wrk completed), and for the live score and
the bare endpoint how much of it the main thread (event loop, every request) and
the other threads (in ews: the audit writer) spent. Requests/s on a shared
2-core machine moves with whatever else runs; CPU per request much less, so the
CPU ratios (bare CPU / live CPU, mlflow CPU / live CPU) are printed as well.

Aims: reads p99 <= 10 ms; live case score >= 95% of the bare endpoint's requests/s
and >= 10 times mlflow models serve's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-06"
PAYLOAD = {
    "case_id": "BENCH-1",
    "rw_code": "31.71.01.1001.001",
    "reported_at": "2025-02-10",
    "incident_date": "2025-02-08",
    "channel": "pos_pengaduan",
    "violence_type": "fisik",
    "victim_group": "perempuan_dewasa",
    "victim_age": 31,
    "perpetrator_relation": "pasangan",
    "place": "rumah_tangga",
    "events": [{"event": "closed", "at": "2025-05-02"}],
    "victim_earlier_cases": 1,
}
BARE_APP = """
from fastapi import FastAPI
from ews.features.cases_payload import CasePayload
from ews.models.reopen_scorer import ReopenScorer

scorer = ReopenScorer.from_uri("models:/ews-case-reopen@champion")
app = FastAPI()


@app.post("/score")
async def score(payload: CasePayload) -> dict:
    return scorer.score(payload).model_dump()
"""


def ensure_wrk() -> str:
    """The wrk binary, installed with apt-get when missing (said so on stdout)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing it with `apt-get install -y wrk`", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["MLFLOW_TRACKING_URI"] = f"sqlite:///{workdir / 'mlruns' / 'mlflow.db'}"
    env["EWS_DATABASE_URL"] = f"sqlite:///{workdir / 'ews.db'}"
    env["PYTHONPATH"] = str(ROOT)
    # `mlflow models serve` starts `uvicorn` by name: the venv's bin must be on PATH.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def ews(args: list[str], workdir: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ews", *args],
        cwd=workdir,
        env=environment(workdir),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"ews {' '.join(args)} failed: {done.stderr.strip()[-400:]}")
    return done.stdout


def code_fingerprint() -> str:
    """A hash of the code that builds the cached models and store.

    A cache trained by older estimator code once made every mlflow request fail
    (the pickled model lacked a parameter added later): rebuild when this changes.
    """
    digest = hashlib.sha256()
    for folder in ("models", "features", "synth", "db", "migrations"):
        for path in sorted((ROOT / "ews" / folder).rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare(workdir: Path) -> str:
    """Data, registered models, a published month and an analyst key (cached per code fingerprint)."""
    key_file, stamp = workdir / "analyst.key", workdir / "code.sha"
    fingerprint = code_fingerprint()
    if key_file.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint:
        return key_file.read_text().strip()
    if workdir.exists():
        print(f"{workdir} was built by other model code: rebuilding it", flush=True)
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"preparing {workdir}: synth, train, publish (a few minutes, once)", flush=True)
    ews(
        [
            "synth",
            "data",
            "--seed",
            "3",
            "--start",
            "2022-01",
            "--end",
            "2025-06",
            "--area",
            "31.71",
            "--force",
        ],
        workdir,
    )
    ews(["train", "data"], workdir)
    ews(["publish", "data", "--as-of", AS_OF], workdir)
    key = (
        ews(["users", "add", f"bench-{int(time.time())}", "--role", "analyst"], workdir)
        .strip()
        .splitlines()[-1]
    )
    key_file.write_text(key)
    stamp.write_text(fingerprint)
    return key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode} before answering")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


def start(cmd: list[str], ready: str, workdir: Path) -> subprocess.Popen[bytes]:
    log = open(workdir / f"server-{int(time.time() * 1000)}.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, cwd=workdir, env=environment(workdir), stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(ready, proc)
    except RuntimeError:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def lua(method: str, body: Any, headers: dict[str, str]) -> str:
    lines = [f'wrk.method = "{method}"']
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(json.dumps(body))}")
        lines.append('wrk.headers["Content-Type"] = "application/json"')
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    return "\n".join(lines) + "\n"


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}
LIVE_OVER_BARE_AIM = 0.95
LIVE_OVER_MLFLOW_AIM = 10.0


def parent_and_ticks(stat: str) -> tuple[int, int]:
    """The parent pid and the user + system clock ticks in a ``/proc/.../stat`` line."""
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": state, ppid, ...
    return int(fields[1]), int(fields[11]) + int(fields[12])  # utime, stime


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and all its descendants (Linux /proc; NaN elsewhere)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        parents[int(entry.name)], ticks[int(entry.name)] = parent_and_ticks(stat)
    if pid not in ticks:
        return float("nan")
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, p in parents.items() if p == parent and child not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(ticks[p] for p in tree) / os.sysconf("SC_CLK_TCK")


def parse_wrk(text: str) -> dict[str, float]:
    def latency(pct: str) -> float:
        match = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    done = re.search(r"(\d+) requests in", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    return {
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "rps": float(rps.group(1)) if rps else float("nan"),
        "requests": float(done.group(1)) if done else float("nan"),
        "non_2xx": float(bad.group(1)) if bad else 0.0,
        "socket_errors": 1.0 if errors else 0.0,
    }


def check_once(url: str, method: str, body: Any, headers: dict[str, str]) -> None:
    """Send one request and stop with its answer unless it is 2xx: wrk only counts failures."""
    data = None if body is None else json.dumps(body).encode()
    extra = {} if body is None else {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, method=method, headers={**headers, **extra})
    try:
        urllib.request.urlopen(request, timeout=30).read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:600]
        raise RuntimeError(f"{method} {url} answered {exc.code}: {detail}") from exc


def thread_cpu_seconds(pid: int) -> tuple[float, float]:
    """User + system CPU seconds of process ``pid``'s main thread and of its other threads (Linux).

    The main thread runs the event loop (and every request); in ews under this load the other
    threads are the audit writer (and any idle worker threads), so their share is what auditing
    costs besides the request.
    """
    main = others = 0
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return float("nan"), float("nan")
    for task in tasks:
        try:
            stat = (task / "stat").read_text()
        except OSError:  # the thread ended meanwhile
            continue
        ticks = parent_and_ticks(stat)[1]
        if int(task.name) == pid:
            main += ticks
        else:
            others += ticks
    tick = os.sysconf("SC_CLK_TCK")
    return main / tick, others / tick


def run_wrk(wrk: str, url: str, script: str, args: argparse.Namespace, server: int) -> dict[str, float]:
    """wrk's figures, plus the CPU microseconds the ``server`` process tree spent per request
    (and, of that, its main thread's and its other threads')."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    base = [wrk, "-t", "2", "-c", str(args.connections), "--latency", "-s", handle.name, url]
    subprocess.run([*base[:1], "-d", "2s", *base[1:]], capture_output=True, check=True)  # warm-up
    cpu, (main, others) = tree_cpu_seconds(server), thread_cpu_seconds(server)
    out = subprocess.run(
        [*base[:1], "-d", f"{args.duration}s", *base[1:]], capture_output=True, text=True, check=True
    )
    cpu = tree_cpu_seconds(server) - cpu
    main_after, others_after = thread_cpu_seconds(server)
    os.unlink(handle.name)
    figures = parse_wrk(out.stdout)
    per = 1e6 / figures["requests"] if figures["requests"] else float("nan")
    figures["cpu_us"] = cpu * per
    figures["main_thread_us"] = (main_after - main) * per
    figures["other_threads_us"] = (others_after - others) * per
    return figures


def measure(
    wrk: str,
    url: str,
    method: str,
    body: Any,
    headers: dict[str, str],
    args: argparse.Namespace,
    server: subprocess.Popen[bytes],
) -> dict[str, float]:
    """One checked request, then wrk's figures for ``method url`` (and the ``server``'s CPU per request)."""
    check_once(url, method, body, headers)
    return run_wrk(wrk, url, lua(method, body, headers), args, server.pid)


def get_json(url: str, key: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    return json.loads(urllib.request.urlopen(request, timeout=10).read())


def bench_ews_and_bare(
    wrk: str, key: str, workdir: Path, args: argparse.Namespace
) -> tuple[dict[str, dict[str, float]], list[float]]:
    """The reads, then ``--rounds`` alternating rounds of the live score and the bare endpoint.

    Both servers run throughout; alternating the two measurements (rather than
    one after the other) keeps a drifting machine from deciding the ratio.
    Returns each endpoint's median figures and the ratio of every round.
    """
    (workdir / "bare_app.py").write_text(BARE_APP)
    port, bare_port = free_port(), free_port()
    base, bare = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}"
    proc = start([sys.executable, "-m", "ews", "serve", "--port", str(port)], f"{base}/v1/health", workdir)
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "bare_app:app",
        "--port",
        str(bare_port),
        "--log-level",
        "warning",
    ]
    try:
        bare_proc = start(cmd, f"{bare}/docs", workdir)
    except RuntimeError:
        stop(proc)
        raise
    try:
        rw_code = get_json(f"{base}/v1/flags?as_of={AS_OF}", key)["items"][0]["rw_code"]
        auth = {"Authorization": f"Bearer {key}"}
        results = {
            "ews GET /v1/rw/{code}": measure(
                wrk, f"{base}/v1/rw/{rw_code}?as_of={AS_OF}", "GET", None, auth, args, proc
            ),
            "ews GET /v1/flags": measure(
                wrk, f"{base}/v1/flags?as_of={AS_OF}", "GET", None, auth, args, proc
            ),
        }
        live: list[dict[str, float]] = []
        plain: list[dict[str, float]] = []
        for _ in range(args.rounds):
            live.append(measure(wrk, f"{base}/v1/cases/reopen-risk", "POST", PAYLOAD, auth, args, proc))
            plain.append(measure(wrk, f"{bare}/score", "POST", PAYLOAD, {}, args, bare_proc))
        results["ews POST /v1/cases/reopen-risk"] = median_figures(live)
        results["bare POST /score"] = median_figures(plain)
        return results, [a["rps"] / b["rps"] for a, b in zip(live, plain, strict=True)]
    finally:
        stop(bare_proc)
        stop(proc)


def median_figures(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the runs (failures summed, so none is hidden)."""
    out = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    out["non_2xx"] = sum(run["non_2xx"] for run in runs)
    out["socket_errors"] = sum(run["socket_errors"] for run in runs)
    return out


def mlflow_body(workdir: Path) -> dict[str, Any]:
    """The payload's model matrix row, as ``mlflow models serve`` expects it."""
    os.environ["MLFLOW_TRACKING_URI"] = environment(workdir)["MLFLOW_TRACKING_URI"]
    from ews.features.cases_encode import CASE_FEATURES
    from ews.features.cases_payload import CasePayload
    from ews.models.reopen_scorer import ReopenScorer

    scorer = ReopenScorer.from_uri("models:/ews-case-reopen@champion")
    row = [None if v != v else float(v) for v in scorer.features(CasePayload.model_validate(PAYLOAD))[0]]
    return {"dataframe_split": {"columns": list(CASE_FEATURES), "data": [row]}}


def bench_mlflow(wrk: str, workdir: Path, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    port = free_port()
    mlflow = str(Path(sys.executable).with_name("mlflow"))
    cmd = [mlflow, "models", "serve", "-m", "models:/ews-case-reopen@champion", "-p", str(port)]
    cmd += ["-h", "127.0.0.1", "--env-manager", "local", "-w", "1"]
    try:
        proc = start(cmd, f"http://127.0.0.1:{port}/ping", workdir)
    except RuntimeError as exc:
        print(f"mlflow models serve skipped: {exc} (see {workdir}/server-*.log)", flush=True)
        return {}
    try:
        url = f"http://127.0.0.1:{port}/invocations"
        return {"mlflow POST /invocations": measure(wrk, url, "POST", mlflow_body(workdir), {}, args, proc)}
    finally:
        stop(proc)


def report(results: dict[str, dict[str, float]], ratios: list[float], args: argparse.Namespace) -> None:
    setup = f"{args.connections} connections, {args.duration} s per measurement, loopback"
    print(f"\nwrk, {setup}")
    print(f"{'endpoint':<34} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>9} {'cpu us/req':>11} {'non-2xx':>8}")
    for name, r in results.items():
        print(
            f"{name:<34} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['rps']:>9.0f} "
            f"{r['cpu_us']:>11.0f} {r['non_2xx']:>8.0f}"
        )
    failed = [name for name, r in results.items() if r["non_2xx"] or r["socket_errors"]]
    if failed:
        print(f"\nno verdicts or ratios: {', '.join(failed)} had non-2xx responses or socket errors")
        return
    reads = [results[k]["p99_ms"] for k in results if k.startswith("ews GET")]
    print(f"\nreads p99 max {max(reads):.2f} ms (aim <= 10 ms): {'met' if max(reads) <= 10 else 'NOT met'}")
    live = results["ews POST /v1/cases/reopen-risk"]
    if ratios:
        ratio = statistics.median(ratios)
        verdict = "met" if ratio >= LIVE_OVER_BARE_AIM else "NOT met"
        rounds = ", ".join(f"{r:.2f}" for r in ratios)
        print(
            f"live case score / bare endpoint throughput: median {ratio:.2f} over {len(ratios)} "
            f"alternating rounds ({rounds}) (aim >= {LIVE_OVER_BARE_AIM:.2f}): {verdict}"
        )
        cpu = results["bare POST /score"]["cpu_us"] / live["cpu_us"]
        print(f"  by server CPU per request (bare / live): {cpu:.2f}")
        for name in ("ews POST /v1/cases/reopen-risk", "bare POST /score"):
            r, which = results[name], " (the audit writer)" if name.startswith("ews") else ""
            print(
                f"  {name}: main thread {r['main_thread_us']:.0f} us/req, "
                f"other threads {r['other_threads_us']:.1f} us/req{which}"
            )
    if "mlflow POST /invocations" in results:
        mlflow = results["mlflow POST /invocations"]
        ratio = live["rps"] / mlflow["rps"]
        verdict = "met" if ratio >= LIVE_OVER_MLFLOW_AIM else "NOT met"
        print(
            f"live case score / mlflow models serve throughput: {ratio:.2f} "
            f"(aim >= {LIVE_OVER_MLFLOW_AIM:.0f}): {verdict}"
        )
        print(f"  by server CPU per request (mlflow / live): {mlflow['cpu_us'] / live['cpu_us']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per endpoint.")
    parser.add_argument("--connections", type=int, default=8, help="Concurrent connections.")
    parser.add_argument(
        "--rounds", type=int, default=3, help="Alternating live-score / bare-endpoint rounds."
    )
    parser.add_argument(
        "--workdir", type=Path, default=ROOT / "bench" / "out" / "api", help="Cache directory."
    )
    args = parser.parse_args()
    wrk = ensure_wrk()
    workdir = args.workdir.resolve()
    key = prepare(workdir)
    results, ratios = bench_ews_and_bare(wrk, key, workdir, args)
    results.update(bench_mlflow(wrk, workdir, args))
    (workdir / "results.json").write_text(
        json.dumps({"results": results, "live_over_bare": ratios}, indent=2)
    )
    report(results, ratios, args)


if __name__ == "__main__":
    main()
