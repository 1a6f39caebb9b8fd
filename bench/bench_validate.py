"""Benchmark ``ews validate``: a Jakarta-size folder, and a ~1 GB signals file.

Prints medians and a ratio against a baseline measured in the same run
(plain ``pandas.read_csv`` of the same files), then the peak resident memory
of validating a ~1 GB signals file in a child process, next to the file size.

    python bench/bench_validate.py [--runs 5] [--big-gb 1.0] [--skip-big]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

N_KOTA, N_KEC, N_KEL, N_RW = 5, 9, 6, 10  # 2,700 RWs, like DKI Jakarta
SIGNALS = (
    "kontak_pos_pengaduan",
    "panggilan_112_kdrt",
    "laporan_kader_rw",
    "penerima_bansos",
    "absensi_sekolah_pct",
)
FIRST_MONTH = 2020 * 12


def regions_frame() -> pd.DataFrame:
    """2,700 RWs with nested codes and plausible sizes."""
    kota, kec, kel, rw = np.meshgrid(
        np.arange(N_KOTA) + 71,
        np.arange(N_KEC) + 1,
        np.arange(N_KEL) + 1001,
        np.arange(N_RW) + 1,
        indexing="ij",
    )
    kota_code = pd.Series(kota.ravel()).map("31.{:02d}".format)
    kec_code = kota_code + "." + pd.Series(kec.ravel()).map("{:02d}".format)
    kel_code = kec_code + "." + pd.Series(kel.ravel()).astype(str)
    rng = np.random.default_rng(0)
    n = len(kel_code)
    return pd.DataFrame(
        {
            "rw_code": kel_code + "." + pd.Series(rw.ravel()).map("{:03d}".format),
            "kelurahan_code": kel_code,
            "kelurahan_name": "Kelurahan " + kel_code,
            "kecamatan_code": kec_code,
            "kecamatan_name": "Kecamatan " + kec_code,
            "kota_code": kota_code,
            "kota_name": "Kota " + kota_code,
            "population": rng.integers(1500, 12000, n),
            "households": rng.integers(400, 3500, n),
            "area_km2": rng.uniform(0.05, 2.0, n).round(3),
            "lat": rng.uniform(-6.35, -6.08, n).round(5),
            "lon": rng.uniform(106.68, 106.97, n).round(5),
            "jarak_pos_km": rng.uniform(0.1, 6.0, n).round(2),
            "kumuh": rng.integers(0, 2, n),
        }
    )


def signals_frame(
    codes: pd.Series, first: int, months: int, rng: np.random.Generator, extra: int = 0
) -> pd.DataFrame:
    """One row per RW per month; about 5% of the cells empty."""
    month = np.repeat(np.arange(first, first + months), len(codes))
    labels = np.array([f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, first + months)])
    frame = pd.DataFrame({"rw_code": np.tile(codes.to_numpy(), months), "month": labels[month - first]})
    for name in (*SIGNALS, *(f"sinyal_{i}" for i in range(extra))):
        values = rng.poisson(3.0, len(frame)).astype("float64")
        values[rng.random(len(frame)) < 0.05] = np.nan
        frame[name] = values
    return frame


def cases_frames(
    codes: pd.Series, rng: np.random.Generator, n: int = 12_000
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cases over six years and their closed/reopened events."""
    reported = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 6 * 365, n), unit="D")
    incident = reported - pd.to_timedelta(rng.integers(0, 30, n), unit="D")
    cases = pd.DataFrame(
        {
            "case_id": [f"K-{i:06d}" for i in range(n)],
            "rw_code": codes.to_numpy()[rng.integers(0, len(codes), n)],
            "incident_date": incident.strftime("%Y-%m-%d"),
            "reported_at": reported.strftime("%Y-%m-%d"),
            "channel": rng.choice(["pos_pengaduan", "hotline", "datang_langsung"], n),
            "violence_type": rng.choice(["fisik", "psikis", "seksual"], n),
            "victim_group": rng.choice(["perempuan_dewasa", "anak_perempuan", "anak_laki_laki"], n),
            "victim_age": rng.integers(3, 70, n),
            "perpetrator_relation": rng.choice(["pasangan", "orang_tua", "tetangga"], n),
            "place": rng.choice(["rumah_tangga", "kos", "sekolah"], n),
        }
    )
    closed = reported + pd.to_timedelta(rng.integers(5, 90, n), unit="D")
    again = rng.random(n) < 0.2
    reopened = closed[again] + pd.to_timedelta(rng.integers(5, 60, int(again.sum())), unit="D")
    events = pd.DataFrame(
        {
            "case_id": [*cases["case_id"], *cases["case_id"][again]],
            "event": ["closed"] * n + ["reopened"] * int(again.sum()),
            "at": [*closed.strftime("%Y-%m-%d"), *reopened.strftime("%Y-%m-%d")],
        }
    )
    return cases, events


def write_jakarta(folder: Path) -> Path:
    """A Jakarta-size folder: ews.synth.generate when available, else built here."""
    try:
        from ews.synth import generate
    except ImportError:
        generate = None
    if generate is not None:
        generate(folder, seed=0)
        return folder
    folder.mkdir(parents=True)
    rng = np.random.default_rng(1)
    regions = regions_frame()
    regions.to_csv(folder / "regions.csv", index=False)
    signals_frame(regions["rw_code"], FIRST_MONTH, 72, rng).to_csv(folder / "signals.csv", index=False)
    cases, events = cases_frames(regions["rw_code"], rng)
    cases.to_csv(folder / "cases.csv", index=False)
    events.to_csv(folder / "case_events.csv", index=False)
    return folder


def median_seconds(work: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_jakarta(root: Path, runs: int) -> None:
    from ews.data.validate import validate_folder

    folder = write_jakarta(root / "jakarta")
    files = sorted(folder.glob("*.*"))
    rows = sum(len(pd.read_csv(f, dtype=str)) for f in files)
    report = validate_folder(folder)
    print(f"jakarta folder: {len(files)} files, {rows:,} rows; report: {report.summary()}")
    base = median_seconds(lambda: [pd.read_csv(f) for f in files], runs)
    ours = median_seconds(lambda: validate_folder(folder), runs)
    print(f"baseline pandas.read_csv of the files: median {base:.3f} s")
    print(f"validate_folder:                       median {ours:.3f} s  (ratio {ours / base:.2f}x baseline)")
    bench_profile(folder, runs)


def bench_profile(folder: Path, runs: int) -> None:
    """What the folder profile adds to ``ews validate``: reading the typed folder, then profiling it."""
    from ews.data.load import read_folder
    from ews.data.profile import profile_folder

    data = read_folder(folder)
    reading = median_seconds(lambda: read_folder(folder), runs)
    profiling = median_seconds(lambda: profile_folder(data), runs)
    print(f"profile: read_folder median {reading:.3f} s, profile_folder median {profiling:.3f} s")


def write_big(folder: Path, target_bytes: int) -> Path:
    """Regions plus a signals.csv of about ``target_bytes`` (many months, 17 signals), via Arrow's writer."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    folder.mkdir(parents=True)
    regions = regions_frame()
    regions.to_csv(folder / "regions.csv", index=False)
    cases, events = cases_frames(regions["rw_code"], np.random.default_rng(2), n=100)
    cases.to_csv(folder / "cases.csv", index=False)
    events.to_csv(folder / "case_events.csv", index=False)
    rng, path, month = np.random.default_rng(3), folder / "signals.csv", 1900 * 12
    names = [*SIGNALS, *(f"sinyal_{i}" for i in range(12))]
    codes = regions["rw_code"].to_numpy(dtype=object)
    schema = pa.schema([("rw_code", pa.string()), ("month", pa.string())] + [(n, pa.int64()) for n in names])
    with pacsv.CSVWriter(path, schema) as writer:
        while path.stat().st_size < target_bytes:
            labels = np.repeat(
                [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(month, month + 24)], len(codes)
            )
            arrays = [pa.array(np.tile(codes, 24)), pa.array(labels)]
            for _ in names:
                values = rng.poisson(3.0, len(labels))
                arrays.append(pa.array(values, mask=rng.random(len(labels)) < 0.05))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            month += 24
    return folder


_CHILD = """
import resource, sys, time
from ews.data.validate import validate_folder
start = time.perf_counter()
report = validate_folder(sys.argv[1])
print(f"{time.perf_counter() - start:.1f} {report.summary()}")
"""


def bench_big(root: Path, gigabytes: float) -> None:
    folder = write_big(root / "big", int(gigabytes * 1e9))
    size = (folder / "signals.csv").stat().st_size
    print(f"big signals.csv: {size / 1e6:,.0f} MB")
    idle = _child_peak_rss(["-c", "import ews.data.validate, pandas, pyarrow.csv, pyarrow.parquet"])[0]
    peak, out = _child_peak_rss(["-c", _CHILD, str(folder)])
    seconds, summary = out.split(" ", 1)
    print(f"validate took {seconds} s; {summary}")
    print(
        f"peak RSS {peak / 1e6:,.0f} MB (imports alone {idle / 1e6:,.0f} MB)"
        f" = {peak / size:.1%} of the file size"
    )


def _child_peak_rss(args: list[str]) -> tuple[int, str]:
    # A fresh child per measurement: RUSAGE_CHILDREN keeps the largest child peak seen so far.
    wrapper = (
        "import resource, subprocess, sys;"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "print(p.stdout.strip())"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, *args], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    peak_kib, _, out = done.stdout.partition("\n")
    return int(peak_kib) * 1024, out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median reported)")
    parser.add_argument("--big-gb", type=float, default=1.0, help="size of the big signals file in GB")
    parser.add_argument("--skip-big", action="store_true", help="skip the big-file memory measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ews-bench-") as tmp:
        bench_jakarta(Path(tmp), args.runs)
        if not args.skip_big:
            bench_big(Path(tmp), args.big_gb)
    _ = resource  # getrusage is read in the child wrappers


if __name__ == "__main__":
    main()
