"""ews: calibrated, explainable early-warning risk scores for DKI Jakarta RWs."""

__version__ = "0.1.0"
