"""Finding 3 of issue 12: audit rows of committed writes were lost on a crash ("160 reviews
acknowledged (201), then kill -9: all reviews survived, 139 audit rows did").

A write's audit row is now inserted in the write's own transaction, not queued on the batch
writer (``ews/api/auditsink.py``): it is in the database as soon as the 201 is, and a row that
cannot be stored rolls the write back. Reads stay batched (a bounded loss window, docs/api.md).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from service_world import BUSY_RW
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from ews.db import audit
from ews.db.models import AuditEntry, Review

REVIEWS = f"/v1/rw/{BUSY_RW}/reviews"
REVIEW = {"outcome": "sudah_dicek_aman", "note": "cek", "visit_date": "2024-06-04"}


def _counts(url: str) -> tuple[int, int, int]:
    """Reviews, ``review.write`` audit rows and ``rw.read`` audit rows, read on a fresh connection."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            reviews = connection.scalar(select(func.count()).select_from(Review)) or 0
            by_action = dict(
                connection.execute(select(AuditEntry.action, func.count()).group_by(AuditEntry.action)).all()
            )
    finally:
        engine.dispose()
    return int(reviews), int(by_action.get("review.write", 0)), int(by_action.get("rw.read", 0))


def test_a_writes_audit_row_is_stored_before_the_201_without_the_batch_writer(
    app_client: TestClient, world: Any
) -> None:
    # Stop the batch writer: whatever it holds from now on is never written.
    sink = app_client.app.state.audit  # type: ignore[attr-defined]
    sink.close()
    before = _counts(world.url)
    assert app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).status_code == 200
    for i in range(3):
        note = {**REVIEW, "note": f"cek {i}"}
        created = app_client.post(REVIEWS, json=note, headers=world.headers("lurah"))
        assert created.status_code == 201, created.text
        reviews, writes, _reads = _counts(world.url)
        assert (reviews, writes) == (before[0] + i + 1, before[1] + i + 1)
    # The read went to the (stopped) batch writer: proof that nothing flushed the rows above.
    assert _counts(world.url)[2] == before[2]
    with Session(create_engine(world.url)) as session:
        row = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "review.write").order_by(AuditEntry.id.desc())
        ).first()
        assert row is not None
        assert (row.actor, row.role, row.target, row.outcome) == ("lurah", "lurah", BUSY_RW, "ok")
        session.get_bind().dispose()  # type: ignore[union-attr]


def test_a_write_whose_audit_row_fails_is_rolled_back(
    app_client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = audit.record

    def failing(session: Session, *args: Any, **kwargs: Any) -> None:
        real(session, *args, **kwargs)
        # A genuine database error inside the write's transaction (PostgreSQL aborts it).
        session.connection().execute(text("INSERT INTO no_such_table VALUES (1)"))

    before = _counts(world.url)
    monkeypatch.setattr(audit, "record", failing)
    refused = app_client.post(REVIEWS, json=REVIEW, headers=world.headers("lurah"))
    assert refused.status_code == 503, refused.text
    assert _counts(world.url)[:2] == before[:2]  # no review, no audit row
    monkeypatch.setattr(audit, "record", real)
    created = app_client.post(REVIEWS, json=REVIEW, headers=world.headers("lurah"))
    assert created.status_code == 201, created.text
    assert _counts(world.url)[:2] == (before[0] + 1, before[1] + 1)


def test_reload_is_audited_in_its_own_commit(app_client: TestClient, world: Any) -> None:
    app_client.app.state.audit.close()  # type: ignore[attr-defined]
    assert app_client.post("/v1/admin/reload", headers=world.headers("admin")).status_code == 200
    engine = create_engine(world.url)
    with engine.connect() as connection:
        found = connection.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "models.reload")
        )
    engine.dispose()
    assert found == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_kill_9_keeps_every_acknowledged_writes_audit_row(
    service_world: Any, mlflow_uri: str, tmp_path: Path
) -> None:
    """The finding as reported: ``ews serve``, N reviews acknowledged, kill -9, count."""
    port = _free_port()
    env = {**os.environ, "MLFLOW_TRACKING_URI": mlflow_uri}
    with (tmp_path / "serve.log").open("w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ews",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--database-url",
                service_world.url,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "ews serve did not start"
            time.sleep(0.1)
        before = _counts(service_world.url)
        n = 40
        with httpx.Client(base_url=base, headers=service_world.headers("lurah"), timeout=10) as client:
            for i in range(n):
                assert client.post(REVIEWS, json={**REVIEW, "note": f"cek {i}"}).status_code == 201
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
    assert server.returncode == -signal.SIGKILL
    reviews, writes, _reads = _counts(service_world.url)
    assert (reviews - before[0], writes - before[1]) == (n, n)
