"""API fixtures (defined in tests/api_fixtures.py, shared with tests/security)."""

from api_fixtures import app_client, reopen_scorer, world

__all__ = ["app_client", "reopen_scorer", "world"]
