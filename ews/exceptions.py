"""Every error ews raises on purpose.

The tree (callers catch the narrowest class they can handle)::

    EwsError                      base; its message is one sentence for a person
    ├── ConfigError               bad setting, option or environment variable
    ├── DataError                 the data folder breaks the contract (section 1)
    │   ├── MissingFileError      a required file is absent
    │   └── ValidationFailed      `validate` found errors; carries the report
    ├── TimeRuleError             an as-of date or horizon outside what the data allow
    ├── ModelError                training, loading or scoring a model failed
    │   ├── ModelNotFoundError    no registered model / alias / run to load
    │   └── FeatureMismatchError  scoring frame columns differ from the model's
    ├── TrackingError             MLflow could not be reached or written
    ├── ClusterError              the Dask scheduler could not be reached or a cluster task failed
    ├── StorageError              the service database failed
    └── ApiError                  raised inside the HTTP layer, mapped in one place
        ├── AuthError             no key or a bad key            -> 401
        ├── ScopeError            outside the caller's area/role -> 403
        ├── NotFoundError         unknown RW, case or month      -> 404
        └── RequestError          a well-formed but unusable request -> 422

Library errors are wrapped with ``raise EwsError(...) from exc`` so the cause
survives for logs while the user sees one sentence.
"""

from __future__ import annotations

from typing import Any


class EwsError(Exception):
    """Base class: ``str(err)`` is a complete sentence naming what was wrong."""


class ConfigError(EwsError):
    """A setting, command-line option or environment variable is invalid."""


class DataError(EwsError):
    """The data folder does not follow the contract."""


class MissingFileError(DataError):
    """A required file of the data folder is missing."""


class ValidationFailed(DataError):  # noqa: N818 - reads as "validation failed" at raise sites
    """Validation found errors; ``report`` holds every issue found."""

    def __init__(self, message: str, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class TimeRuleError(EwsError):
    """An as-of month or horizon that the data cannot support."""


class ModelError(EwsError):
    """Training, loading or scoring a model failed."""


class ModelNotFoundError(ModelError):
    """No model is registered under the requested name, alias or URI."""


class FeatureMismatchError(ModelError):
    """The feature matrix does not match what the model was trained on."""


class TrackingError(EwsError):
    """MLflow could not be reached or written."""


class ClusterError(EwsError):
    """The Dask scheduler given could not be reached, or the cluster lost a task's worker."""


class StorageError(EwsError):
    """The service database could not be read or written."""


class ApiError(EwsError):
    """An error raised in the HTTP layer; ``status_code`` is its HTTP code."""

    status_code = 400


class AuthError(ApiError):
    """No API key, or a key that is unknown or revoked."""

    status_code = 401


class ScopeError(ApiError):
    """The caller's role or area does not cover the request."""

    status_code = 403


class NotFoundError(ApiError):
    """The RW, case or month asked for does not exist (in the caller's area)."""

    status_code = 404


class RequestError(ApiError):
    """The request is well-formed but cannot be served as asked."""

    status_code = 422
