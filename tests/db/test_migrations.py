"""The packaged Alembic migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

import service_world as sw
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from ews.db.engine import Store, downgrade, migrate
from ews.db.models import Base, RwScore
from ews.db.publish import publish


def test_migrations_match_the_models(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        store.close()


def test_migrating_twice_and_down_and_up_again_works(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        migrate(store.engine)
        downgrade(store.engine)
        assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
        migrate(store.engine)
        assert {"accounts", "audit_log", "rw_scores", "reviews"} <= set(
            inspect(store.engine).get_table_names()
        )
    finally:
        store.close()


def _rw_columns(store: Store) -> set[str]:
    return {c["name"] for c in inspect(store.engine).get_columns("rw_scores")}


def test_stale_sources_column_goes_down_and_up_keeping_published_rows(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        with store.session() as session:
            publish(session, sw.world_bundle())
        assert "stale_sources" in _rw_columns(store)
        downgrade(store.engine, "0002")
        assert "stale_sources" not in _rw_columns(store)
        migrate(store.engine)
        assert "stale_sources" in _rw_columns(store)
        with store.session() as session:
            assert session.scalar(select(func.count()).select_from(RwScore)) == len(sw.RWS)
            # Rows published before the column existed read as NULL (the API shows no stale sources).
            assert set(session.scalars(select(RwScore.stale_sources))) == {None}
    finally:
        store.close()


def test_session_generation_column_goes_down_and_up_keeping_accounts(database_url: str) -> None:
    from ews.db import accounts
    from ews.db.models import Account

    store = Store.open(database_url)
    try:
        with store.session() as session:
            accounts.add_account(session, "lurah-a", "lurah", "31.71.01.1001", "ab" * 32)
            session.commit()
        downgrade(store.engine, "0003")
        assert "session_generation" not in {c["name"] for c in inspect(store.engine).get_columns("accounts")}
        migrate(store.engine)
        with store.session() as session:
            # Accounts made before the column start at generation 0; sign-out and revoke bump it.
            assert session.scalar(select(Account.session_generation)) == 0
            assert accounts.end_sessions(session, "lurah-a")
            assert accounts.revoke_account(session, "lurah-a").session_generation == 2
            assert not accounts.end_sessions(session, "lurah-a")  # revoked: nothing left to end
    finally:
        store.close()


def test_password_columns_go_down_and_up_keeping_accounts(database_url: str) -> None:
    from ews.db import accounts
    from ews.db.models import Account

    store = Store.open(database_url)
    try:
        with store.session() as session:
            accounts.add_account(session, "lurah-b", "lurah", "31.71.01.1001", "cd" * 32)
            accounts.set_setup_code(session, "lurah-b", "argon2-hash", accounts.now_utc())
        downgrade(store.engine, "0004")
        tables = set(inspect(store.engine).get_table_names())
        assert "sign_in_throttle" not in tables
        assert "password_hash" not in {c["name"] for c in inspect(store.engine).get_columns("accounts")}
        migrate(store.engine)
        with store.session() as session:
            # Accounts made before the columns have no password and no code: they keep their key.
            account = accounts.get_active(session, "lurah-b")
            assert account is not None and account.key_hash == "cd" * 32
            assert (account.password_hash, account.setup_code_hash, account.setup_expires_at) == (None,) * 3
            assert session.scalar(select(func.count()).select_from(Account)) == 1
    finally:
        store.close()


def test_monitor_reports_table_goes_down_and_up_and_a_month_is_replaced(database_url: str) -> None:
    from ews.db.monitor_reports import load_report, save_report

    store = Store.open(database_url)
    try:
        save_report(store.engine, "2025-01", '{"as_of": "2025-01"}', "<p>old</p>")
        save_report(store.engine, "2025-01", '{"as_of": "2025-01", "x": 1}', "<p>new</p>")
        save_report(store.engine, "2025-02", '{"as_of": "2025-02"}', "<p>feb</p>")
        with store.session() as session:
            january = load_report(session, "2025-01")
            assert january is not None and january.report_html == "<p>new</p>"
            latest = load_report(session)
            assert latest is not None and latest.as_of == "2025-02"
            assert load_report(session, "2024-12") is None
        downgrade(store.engine, "0006")
        assert "monitor_reports" not in set(inspect(store.engine).get_table_names())
        migrate(store.engine)
        with store.session() as session:
            assert load_report(session) is None  # the table comes back empty
    finally:
        store.close()
