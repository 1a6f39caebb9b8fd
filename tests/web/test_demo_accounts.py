"""``ews demo`` prints a username and setup code per official, and the code signs in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ews.app import create_app
from ews.config import ServeSettings
from ews.service.live import no_models


def test_demo_accounts_print_setup_codes_that_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ews.cli import demo

    url = f"sqlite:///{tmp_path / 'ews.db'}"
    monkeypatch.setenv("EWS_DATABASE_URL", url)
    scores = tmp_path / "scores.csv"
    scores.write_text("kelurahan_code,kecamatan_code,flagged\n31.71.01.1001,31.71.01,True\n")
    demo._demo_accounts(scores)  # a re-run revokes and re-issues
    accounts = demo._demo_accounts(scores)
    demo._print_welcome(accounts, "127.0.0.1", 8000, "2026-01")
    out = capsys.readouterr().out
    codes = dict(re.findall(r"username: (\S+)\s+setup code: (\w{4}-\w{4})", out))
    assert set(codes) == {"demo-lurah", "demo-camat", "demo-analyst"}
    assert len(re.findall(r"API key: ews_\S+", out)) == 2  # analyst and admin
    settings = ServeSettings(database_url=url, session_secret="s", cookie_secure=False)
    with TestClient(create_app(settings, model_loader=no_models)) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/masuk").text)
        assert token is not None
        data = {"username": "demo-lurah", "password": codes["demo-lurah"], "csrf": token.group(1)}
        response = client.post("/masuk", data=data, follow_redirects=False)
    assert response.headers["location"] == "/masuk/sandi-baru"
