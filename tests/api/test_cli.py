"""``ews users`` and ``ews publish`` from the command line: keys last, one-sentence errors, no tracebacks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from cli_run import run_cli
from fastapi.testclient import TestClient

from ews.app import create_app
from ews.config import ServeSettings
from ews.service.live import no_models

run = run_cli


def test_users_add_prints_a_working_key_last(world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--database-url", world.url]
    code, out, _ = run(["users", "add", "analis-dua", "--role", "analyst", *args], capsys)
    assert code == 0
    assert re.search(r"setup code.*\n[2-9A-Z]{4}-[2-9A-Z]{4}\n", out)  # analysts may use the dashboard too
    key = out.strip().splitlines()[-1]
    with TestClient(create_app(ServeSettings(database_url=world.url), model_loader=no_models)) as client:
        assert client.get("/v1/flags", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        code, out, _ = run(["users", "list", *args], capsys)
        assert "analis-dua" in out and key not in out
        assert run(["users", "revoke", "analis-dua", *args], capsys)[0] == 0
        assert client.get("/v1/flags", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_officials_get_a_setup_code_and_no_key(world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--database-url", world.url]
    code, out, _ = run(
        ["users", "add", "lurah-cideng", "--role", "lurah", "--area", "31.71.01.1002", *args], capsys
    )
    assert code == 0 and "ews_" not in out and "username lurah-cideng" in out
    first = out.strip().splitlines()[-1]
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", first)
    listed = run(["users", "list", *args], capsys)[1]
    assert re.search(r"lurah-cideng .* code until \d{4}-\d\d-\d\d", listed) and first not in listed
    code, out, _ = run(["users", "reset-password", "lurah-cideng", *args], capsys)
    assert code == 0 and "sessions have ended" in out
    second = out.strip().splitlines()[-1]
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", second) and second != first
    code, _, err = run(["users", "reset-password", "case_system", *args], capsys)
    assert code == 1 and "API key" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["users", "add", "x", "--role", "lurah", "--area", "31.71"], "kelurahan"),
        (["users", "add", "x", "--role", "bupati"], "bupati"),
        (["users", "add", "x y", "--role", "analyst"], "account name"),
        (["users", "revoke", "nobody"], "nobody"),
        (["users", "reset-password", "nobody"], "nobody"),
    ],
)
def test_user_errors_are_one_sentence(
    argv: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*argv, "--database-url", f"sqlite:///{tmp_path / 'ews.db'}"], capsys)
    assert code == 1
    assert needle in err and "Traceback" not in err


def test_publish_without_a_champion_fails_cleanly(
    tiny_world: Path, mlflow_uri: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'ews.db'}"
    code, _, err = run(["publish", str(tiny_world), "--as-of", "2024-06", "--database-url", url], capsys)
    assert code == 1
    assert "ews-rw-risk@champion" in err and "Traceback" not in err


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["serve"],
        ["publish"],
        ["users"],
        ["users", "add"],
        ["users", "revoke"],
        ["users", "list"],
        ["users", "reset-password"],
    ):
        code, out, _ = run([*argv, "--help"], capsys)
        assert code == 0 and "Usage" in out, argv
