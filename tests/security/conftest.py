"""The API fixtures of tests/api (defined in tests/api_fixtures.py)."""

from api_fixtures import app_client, reopen_scorer, world

__all__ = ["app_client", "reopen_scorer", "world"]
