"""Settings: one frozen object per entry point, validated in full before data loads.

Values come from arguments, then ``EWS_*`` environment variables and ``.env``.
Unknown keys are refused (``extra="forbid"``) so a typo cannot pass silently.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from ews.exceptions import ConfigError

DEFAULT_TRACKING_URI = "sqlite:///mlruns/mlflow.db"
DEFAULT_ARTIFACT_ROOT = "mlruns/artifacts"
RW_MODEL_NAME = "ews-rw-risk"
REOPEN_MODEL_NAME = "ews-case-reopen"
# The backtest metric each model is judged and promoted by: RW flags cover about 5% of RWs,
# case follow-up capacity about 20% of recently closed cases.
HEADLINE_METRIC = {RW_MODEL_NAME: "precision_at_5pct", REOPEN_MODEL_NAME: "precision_at_20pct"}


T = TypeVar("T", bound=BaseSettings)


class _Base(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EWS_", extra="forbid", frozen=True, env_ignore_empty=True)


class TrackingSettings(_Base):
    """Where runs and registered models live (MLflow)."""

    mlflow_tracking_uri: str = Field(
        default=DEFAULT_TRACKING_URI,
        validation_alias="MLFLOW_TRACKING_URI",
        description="MLflow tracking URI; the contract's default is a SQLite store under mlruns/.",
    )
    artifact_root: str = Field(
        default=DEFAULT_ARTIFACT_ROOT, description="Where new experiments keep artifacts."
    )


class TrainSettings(_Base):
    """``ews train`` / ``ews backtest`` / ``ews score``: model and flagging choices."""

    horizon: int = Field(default=1, ge=1, le=12, description="Label horizon H in months.")
    seed: int = Field(default=0, ge=0, description="Seed for every random choice.")
    backtest_folds: int = Field(default=6, ge=1, le=36, description="Rolling-origin as-of months.")
    capacity_per_kelurahan: int = Field(
        default=2, ge=0, le=50, description="At most this many RWs per kelurahan are flagged each month."
    )
    flag_share: float = Field(
        default=0.05, gt=0, le=1, description="Share of the province's RWs flagged (top-k), within capacity."
    )
    reopen_capacity_share: float = Field(
        default=0.20, gt=0, le=1, description="Share of recently closed cases flagged for follow-up."
    )
    top_factors: int = Field(default=5, ge=1, le=20, description="Reason codes per score.")
    warmup_months: int = Field(
        default=12,
        ge=0,
        le=36,
        description="Months of history before the first as-of month used for training.",
    )
    workers: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Model fits run at once during training, one core each (results do not depend on it).",
    )
    max_fit_rows: int = Field(
        default=400_000,
        ge=1_000,
        description="Feature rows a training fit may learn from; a folder with more RWs x months fits "
        "on a seeded sample of RWs (all their months), and the backtest still scores every RW.",
    )


class ClusterSettings(_Base):
    """``ews score --scheduler``: the Dask cluster that builds features and scores (``docs/scale.md``)."""

    dask_scheduler: str | None = Field(
        default=None,
        description="Dask scheduler address (tcp://host:8786); empty: score in this process.",
    )
    dask_timeout: float = Field(
        default=10.0, gt=0, le=600, description="Seconds to wait for the Dask scheduler to answer."
    )
    dask_partition: Literal["province", "kota", "kecamatan"] = Field(
        default="kota", description="The area each Dask task builds and scores (with its neighbours)."
    )


class ServeSettings(_Base):
    """``ews serve`` / ``ews publish`` / ``ews users``; also read from ``.env``."""

    model_config = SettingsConfigDict(
        # .env is shared with MLflow and other tools, so unrelated keys there are ignored;
        # keyword arguments are still checked field by field.
        env_prefix="EWS_",
        env_file=".env",
        extra="ignore",
        frozen=True,
        env_ignore_empty=True,
    )

    database_url: str = Field(default="sqlite:///ews.db", description="SQLAlchemy URL of the service store.")
    mlflow_tracking_uri: str = Field(
        default=DEFAULT_TRACKING_URI,
        validation_alias=AliasChoices("MLFLOW_TRACKING_URI", "mlflow_tracking_uri"),
        description="Where the @champion models are loaded from (MLflow tracking URI).",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    small_count_threshold: int = Field(
        default=3, ge=1, description="Counts below this are shown as '<N' to lurah and camat."
    )
    session_secret: str = Field(default="", description="Signs dashboard session cookies; random if empty.")
    data_dir: str = Field(
        default="",
        description="Data folder whose regions lat/lon (and boundaries.geojson) draw the dashboard map.",
    )
    cookie_secure: bool = Field(
        default=True,
        description="Send the dashboard cookie over HTTPS only (browsers allow it on localhost).",
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=1,
        le=480,
        description="Sign a dashboard user out after this many minutes without a page request.",
    )
    api_docs: bool = Field(
        default=False,
        description="Serve the Swagger page at /v1/docs (it loads Swagger UI from a CDN); "
        "/v1/openapi.json is always served.",
    )


def build_settings(cls: type[T], **overrides: object) -> T:
    """Build ``cls`` from overrides + environment; raise ``ConfigError`` naming the bad field."""
    clean: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    try:
        return cls.model_validate(clean)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or cls.__name__
        raise ConfigError(f"setting {where!r}: {first['msg']} (got {first.get('input')!r})") from exc
