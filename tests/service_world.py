"""A hand-built world for service tests: 7 RWs in two kecamatan, a few cases, published scores.

Numbers are chosen so the expected counts can be read off the frames below:
RW 31.71.01.1001.001 has 4 cases reported in 2024-03..2024-05 (shown as 4),
RW 31.71.01.1001.002 has 1 (shown as "<3" to lurah and camat), and one case
reported in 2024-06 must not count as of 2024-06.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ews.data.folder import DataFolder
from ews.months import parse_month

AS_OF = "2024-06"
KEL_A, KEL_B, KEL_C = "31.71.01.1001", "31.71.01.1002", "31.71.02.1001"
KEC_1, KEC_2 = "31.71.01", "31.71.02"
RWS = [
    f"{KEL_A}.001",
    f"{KEL_A}.002",
    f"{KEL_A}.003",
    f"{KEL_B}.001",
    f"{KEL_B}.002",
    f"{KEL_C}.001",
    f"{KEL_C}.002",
]
BUSY_RW, QUIET_RW, STALE_RW, OTHER_KEC_RW = RWS[0], RWS[1], RWS[3], RWS[5]
# A recently closed case as the case system would send it for a live reopen score.
CASE_PAYLOAD = {
    "case_id": "KASUS-900",
    "rw_code": RWS[0],
    "reported_at": "2024-01-10",
    "channel": "hotline",
    "violence_type": "fisik",
    "victim_group": "perempuan_dewasa",
    "perpetrator_relation": "pasangan",
    "events": [{"event": "closed", "at": "2024-03-01"}],
}
CASE_IDS = [f"KASUS-{i:03d}" for i in range(1, 8)]


def regions() -> pd.DataFrame:
    kel = [r[:13] for r in RWS]
    frame = pd.DataFrame(
        {
            "rw_code": RWS,
            "kelurahan_code": kel,
            "kelurahan_name": [
                "Gambir" if k == KEL_A else "Cideng" if k == KEL_B else "Petojo Utara" for k in kel
            ],
            "kecamatan_code": [k[:8] for k in kel],
            "kecamatan_name": ["Gambir" if k[:8] == KEC_1 else "Sawah Besar" for k in kel],
            "kota_code": ["31.71"] * len(RWS),
            "kota_name": ["Jakarta Pusat"] * len(RWS),
        },
        dtype="string",
    )
    frame["population"] = np.int64(5000)
    frame["households"] = np.int64(1500)
    frame["area_km2"] = 0.4
    frame["lat"] = np.nan
    frame["lon"] = np.nan
    return frame


def signals() -> pd.DataFrame:
    rows = []
    for rw in RWS:
        # The stale RW stops reporting after 2024-02; everyone else reports through 2024-05.
        last = "2024-02" if rw == STALE_RW else "2024-05"
        for month in range(parse_month("2024-01"), parse_month(last) + 1):
            rows.append({"rw_code": rw, "month": month, "kontak_pos_pengaduan": 2.0})
    # A row with only an empty signal does not count as reported.
    rows.append({"rw_code": STALE_RW, "month": parse_month("2024-04"), "kontak_pos_pengaduan": np.nan})
    frame = pd.DataFrame(rows)
    frame["rw_code"] = frame["rw_code"].astype("string")
    return frame.astype({"month": "int64", "kontak_pos_pengaduan": "float64"})


def cases() -> pd.DataFrame:
    reported = [
        "2024-03-04",
        "2024-04-10",
        "2024-05-02",
        "2024-05-20",
        "2024-04-15",
        "2024-06-03",
        "2023-01-10",
    ]
    rws = [BUSY_RW, BUSY_RW, BUSY_RW, BUSY_RW, QUIET_RW, QUIET_RW, OTHER_KEC_RW]
    frame = pd.DataFrame(
        {"case_id": CASE_IDS, "rw_code": rws, "victim_key": [f"V{i}" for i in range(7)]}, dtype="string"
    )
    frame["incident_date"] = pd.to_datetime(reported).astype("datetime64[ns]")
    frame["reported_at"] = pd.to_datetime(reported).astype("datetime64[ns]")
    for column, value in (
        ("channel", "hotline"),
        ("violence_type", "fisik"),
        ("victim_group", "perempuan_dewasa"),
        ("perpetrator_relation", "pasangan"),
        ("place", "rumah_tangga"),
    ):
        frame[column] = pd.Series([value] * 7, dtype="string")
    frame["victim_age"] = 30.0
    return frame


def case_events() -> pd.DataFrame:
    # KASUS-001 and -002 closed (so not open), KASUS-005 closed then reopened (open again),
    # KASUS-007 closed long ago; the rest have no event and stay open.
    frame = pd.DataFrame(
        {
            "case_id": ["KASUS-001", "KASUS-002", "KASUS-005", "KASUS-005", "KASUS-007"],
            "event": ["closed", "closed", "closed", "reopened", "closed"],
        },
        dtype="string",
    )
    frame["at"] = pd.to_datetime(
        ["2024-04-01", "2024-05-01", "2024-05-01", "2024-05-15", "2023-03-01"]
    ).astype("datetime64[ns]")
    return frame


def folder() -> DataFolder:
    """The world as a typed data folder (the dtypes ``DataFolder`` documents)."""
    return DataFolder(
        regions=regions(),
        signals=signals(),
        cases=cases(),
        case_events=case_events(),
        signal_columns=("kontak_pos_pengaduan",),
    )


def factor_json(rank: int) -> str:
    factors = [
        {
            "feature": "kontak_pos_pengaduan_3m",
            "value": 6.0,
            "contribution": 0.5 / rank,
            "text": "Kontak ke pos pengaduan 3 bulan terakhir dua kali lipat dari biasanya",
            "text_en": "Complaint-post contacts over 3 months doubled",
        }
    ]
    return json.dumps(factors)


def rw_scores(as_of: str = AS_OF, shift: float = 0.0) -> pd.DataFrame:
    """Scores falling with the RW's position; the first three RWs and the other-kecamatan RW are flagged."""
    scores = [round(0.6 - 0.07 * i + shift, 4) for i in range(len(RWS))]
    tiers = ["sangat_tinggi", "tinggi", "tinggi", "sedang", "sedang", "rendah", "rendah"]
    reg = regions()
    return pd.DataFrame(
        {
            "rw_code": RWS,
            "kelurahan_code": reg["kelurahan_code"],
            "kecamatan_code": reg["kecamatan_code"],
            "kota_code": reg["kota_code"],
            "as_of": as_of,
            "score": scores,
            "tier": tiers,
            "rank": list(range(1, len(RWS) + 1)),
            "flagged": [True, True, True, False, False, True, False],
            "top_factors": [factor_json(r) for r in range(1, len(RWS) + 1)],
        }
    )


def case_scores(as_of: str = AS_OF) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": ["KASUS-001", "KASUS-002", "KASUS-007"],
            "rw_code": [BUSY_RW, BUSY_RW, OTHER_KEC_RW],
            "as_of": as_of,
            "closed_at": ["2024-04-01", "2024-05-01", "2024-03-01"],
            "score": [0.4, 0.2, 0.1],
            "tier": ["tinggi", "sedang", "rendah"],
            "rank": [1, 2, 3],
            "flagged": ["true", "false", "false"],
            "top_factors": ["[]", "[]", "[]"],
        }
    )


@dataclass
class ServiceWorld:
    """A migrated database with :data:`AS_OF` published and one account per role."""

    url: str
    keys: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}


ACCOUNTS = {
    "lurah": ("lurah", KEL_A),
    "camat": ("camat", KEC_1),
    "analyst": ("analyst", None),
    "case_system": ("case_system", None),
    "admin": ("admin", None),
    "other_lurah": ("lurah", KEL_C),
    "other_camat": ("camat", KEC_2),
}


@functools.cache
def world_bundle(as_of: str = AS_OF, shift: float = 0.0) -> Any:
    """The checked bundle of the hand-built world (pure frames; built once per process)."""
    from ews.db.bundle import build_bundle

    return build_bundle(
        folder(), as_of, rw_scores(as_of, shift), case_scores(as_of), {}, {}, ("rw v1", "reopen v1")
    )


def publish_world(url: str, as_of: str = AS_OF, shift: float = 0.0) -> None:
    """Publish the hand-built scores for ``as_of`` into the store at ``url``."""
    from ews.db.engine import Store
    from ews.db.publish import publish

    store = Store.open(url)
    try:
        with store.session() as session:
            publish(session, world_bundle(as_of, shift))
    finally:
        store.close()


def build_service_world(url: str) -> ServiceWorld:
    """Migrate, publish :data:`AS_OF` and add one account per entry of :data:`ACCOUNTS`."""
    from ews.db import accounts
    from ews.db.engine import Store
    from ews.db.publish import publish
    from ews.service.security import hash_key, new_key

    world = ServiceWorld(url)
    store = Store.open(url)
    try:
        with store.session() as session:
            publish(session, world_bundle())
            for name, (role, area) in ACCOUNTS.items():
                world.keys[name] = new_key()
                accounts.add_account(session, name, role, area, hash_key(world.keys[name]))
    finally:
        store.close()
    return world


def live_models(scorer: Any, version: str = "1") -> Any:
    """``LiveModels`` serving ``scorer`` as version ``version`` of the reopen champion."""
    from ews.service.live import LiveModels
    from ews.service.model_schemas import ModelInfo

    return LiveModels(
        reopen=scorer, info=(ModelInfo(name="ews-case-reopen", version=version, alias="champion"),)
    )
