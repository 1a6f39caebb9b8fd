"""A hand-built Jakarta corner for dashboard tests: two kecamatan, four kelurahan, 31 RWs.

Everything is fixed by hand or by a seeded generator, so tests can name what
a lurah or camat must (and must not) see: the Gambir lurah sees only the
8 RWs of kelurahan Gambir; the Gambir camat sees the 25 RWs of its three
kelurahan; nobody but the analyst sees Pasar Baru (kecamatan Sawah Besar).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ews.data.folder import DataFolder
from ews.months import format_month, parse_month

AS_OF = "2024-06"
KEC_GAMBIR, KEC_SAWAH_BESAR = "31.71.01", "31.71.02"
KELURAHAN = {
    "31.71.01.1001": ("Gambir", 8, (-6.176, 106.822)),
    "31.71.01.1002": ("Cideng", 10, (-6.170, 106.808)),
    "31.71.01.1003": ("Petojo Utara", 7, (-6.163, 106.815)),
    "31.71.02.1001": ("Pasar Baru", 6, (-6.162, 106.834)),
}
KEL_GAMBIR, KEL_PASAR_BARU = "31.71.01.1001", "31.71.02.1001"
BUSY_RW = f"{KEL_GAMBIR}.001"  # 4 cases in the last 3 months: shown as 4
QUIET_RW = f"{KEL_GAMBIR}.002"  # 1 case: shown as "<3" to lurah and camat
STALE_RW = f"{KEL_GAMBIR}.003"  # stopped reporting signals after 2024-02
SECOND_RW = f"{KEL_GAMBIR}.005"  # the second flagged RW of kelurahan Gambir
REASONS = [
    (
        "kontak_pos_pengaduan_ratio_3_12",
        "Kontak ke pos pengaduan 3 bulan terakhir dua kali lipat dari biasanya",
    ),
    ("panggilan_112_kdrt_mean3", "Panggilan Jakarta Siaga 112 soal keributan rumah tangga meningkat"),
    ("nbr_cases_3m", "Ada kasus di RW tetangga dalam 3 bulan terakhir"),
    ("jarak_pos_km", "Jarak ke pos pengaduan terdekat lebih dari 2 km"),
    ("laporan_kader_rw_last", "Kader RW tidak melaporkan tanda bahaya bulan lalu"),
]


def rw_codes() -> list[str]:
    """Every RW code, in code order."""
    return [f"{kel}.{i:03d}" for kel, (_, n, _) in KELURAHAN.items() for i in range(1, n + 1)]


def regions() -> pd.DataFrame:
    """One row per RW with names and centroids scattered around the kelurahan's centre (seeded)."""
    rng = np.random.default_rng(5)
    rows = []
    for kel, (name, n, (lat, lon)) in KELURAHAN.items():
        kec = kel[:8]
        for i in range(1, n + 1):
            rows.append(
                {
                    "rw_code": f"{kel}.{i:03d}",
                    "kelurahan_code": kel,
                    "kelurahan_name": name,
                    "kecamatan_code": kec,
                    "kecamatan_name": "Gambir" if kec == KEC_GAMBIR else "Sawah Besar",
                    "kota_code": "31.71",
                    "kota_name": "Jakarta Pusat",
                    "lat": lat + rng.normal(0, 0.0025),
                    "lon": lon + rng.normal(0, 0.0025),
                }
            )
    frame = pd.DataFrame(rows)
    text = [c for c in frame.columns if c not in ("lat", "lon")]
    frame[text] = frame[text].astype("string")
    frame["population"], frame["households"], frame["area_km2"] = np.int64(6000), np.int64(1800), 0.3
    return frame


def signals() -> pd.DataFrame:
    """Monthly complaint-post contacts 2023-01..2024-05 (the stale RW stops after 2024-02)."""
    rows = []
    for rw in rw_codes():
        last = "2024-02" if rw == STALE_RW else "2024-05"
        for month in range(parse_month("2023-01"), parse_month(last) + 1):
            rows.append({"rw_code": rw, "month": month, "kontak_pos_pengaduan": 3.0})
    frame = pd.DataFrame(rows).astype({"month": "int64", "kontak_pos_pengaduan": "float64"})
    frame["rw_code"] = frame["rw_code"].astype("string")
    return frame


def cases() -> pd.DataFrame:
    """Five cases: four from the busy RW (2024-03..05), one from the quiet RW (2024-04)."""
    reported = ["2024-03-04", "2024-04-10", "2024-05-02", "2024-05-20", "2024-04-15"]
    frame = pd.DataFrame(
        {
            "case_id": [f"K-{i}" for i in range(5)],
            "rw_code": [BUSY_RW] * 4 + [QUIET_RW],
            "victim_key": [f"V{i}" for i in range(5)],
        },
        dtype="string",
    )
    frame["incident_date"] = frame["reported_at"] = pd.to_datetime(reported).astype("datetime64[ns]")
    categories = {
        "channel": "hotline",
        "violence_type": "psikis",
        "victim_group": "perempuan_dewasa",
        "perpetrator_relation": "pasangan",
        "place": "rumah_tangga",
    }
    for column, value in categories.items():
        frame[column] = pd.Series([value] * len(frame), dtype="string")
    frame["victim_age"] = 31.0
    return frame


def folder() -> DataFolder:
    """The world as a typed data folder."""
    events = pd.DataFrame({"case_id": pd.Series([], dtype="string"), "event": pd.Series([], dtype="string")})
    events["at"] = pd.Series([], dtype="datetime64[ns]")
    return DataFolder(regions(), signals(), cases(), events, signal_columns=("kontak_pos_pengaduan",))


def _factors(rng: np.random.Generator, score: float) -> str:
    picks = rng.choice(len(REASONS), size=3, replace=False)
    signs = (1.0, 1.0, -1.0)
    items = [
        {
            "feature": REASONS[p][0],
            "value": float(i + 1),
            "contribution": round(sign * score * (0.6 - 0.15 * i), 4),
            "text": REASONS[p][1],
        }
        for i, (p, sign) in enumerate(zip(picks, signs, strict=True))
    ]
    return json.dumps(items, ensure_ascii=False)


def _tier(score: float) -> str:
    return (
        "rendah"
        if score < 0.05
        else "sedang"
        if score < 0.1
        else "tinggi"
        if score < 0.2
        else "sangat_tinggi"
    )


def rw_scores(as_of: str = AS_OF, seed: int = 3) -> pd.DataFrame:
    """Seeded scores (busy RW 0.41, second Gambir RW 0.15); the top two per kelurahan >= 0.1 are flagged."""
    rng = np.random.default_rng(seed)
    reg = regions()
    score = np.round(rng.beta(1.2, 12.0, len(reg)), 4)
    score[reg["rw_code"] == BUSY_RW] = 0.41
    score[reg["rw_code"] == SECOND_RW] = 0.15
    frame = reg[["rw_code", "kelurahan_code", "kecamatan_code", "kota_code"]].copy()
    frame["as_of"], frame["score"] = as_of, score
    frame["tier"] = [_tier(s) for s in score]
    frame["rank"] = frame["score"].rank(ascending=False, method="first").astype(int)
    top = frame.groupby("kelurahan_code")["score"].rank(ascending=False, method="first") <= 2
    frame["flagged"] = top & (frame["score"] >= 0.1)
    frame["top_factors"] = [_factors(rng, s) for s in score]
    return frame


def history(as_of: str = AS_OF) -> dict[str, pd.Series]:
    """Eleven earlier months of scores (as a later backfill would give them), seeded."""
    rng = np.random.default_rng(9)
    current = rw_scores(as_of).set_index("rw_code")["score"]
    end = parse_month(as_of)
    return {
        format_month(m): (current * rng.uniform(0.5, 1.3, len(current))).clip(0, 1)
        for m in range(end - 11, end)
    }


def empty_case_scores() -> pd.DataFrame:
    columns = ["case_id", "rw_code", "as_of", "closed_at", "score", "tier", "rank", "flagged", "top_factors"]
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


ACCOUNTS = {
    "lurah-gambir": ("lurah", KEL_GAMBIR),
    "camat-gambir": ("camat", KEC_GAMBIR),
    "lurah-pasarbaru": ("lurah", KEL_PASAR_BARU),
    "analis-dinas": ("analyst", None),
    "sistem-kasus": ("case_system", None),
}


@dataclass
class WebWorld:
    """A published store, its data folder (for the map) and one key per account."""

    url: str
    data_dir: Path
    keys: dict[str, str] = field(default_factory=dict)


def write_data_dir(path: Path) -> Path:
    """The part of a data folder the map reads: regions with lat/lon."""
    path.mkdir(parents=True, exist_ok=True)
    regions().to_csv(path / "regions.csv", index=False)
    return path


def build_web_world(root: Path) -> WebWorld:
    """Publish :data:`AS_OF` (with an 11-month backfilled trend) into a SQLite store and add the accounts."""
    from ews.db import accounts
    from ews.db.bundle import build_bundle
    from ews.db.engine import Store
    from ews.db.publish import publish
    from ews.service.security import hash_key, new_key

    past = history()
    sources = dict.fromkeys(past, "backfill")
    bundle = build_bundle(
        folder(),
        AS_OF,
        rw_scores(),
        empty_case_scores(),
        past,
        sources,
        ("ews-rw-risk v3", "ews-case-reopen v2"),
    )
    world = WebWorld(f"sqlite:///{root / 'ews.db'}", write_data_dir(root / "data"))
    store = Store.open(world.url)
    try:
        with store.session() as session:
            publish(session, bundle)
            for name, (role, area) in ACCOUNTS.items():
                world.keys[name] = new_key()
                accounts.add_account(session, name, role, area, hash_key(world.keys[name]))
    finally:
        store.close()
    return world
