"""Security findings of issue 12, reproduced against the API on SQLite and PostgreSQL."""
