"""The service layer: plain functions over a session and a caller, returning pydantic models.

Routes (JSON) and the dashboard pages both call these, so scope checks,
small-count suppression and auditing live here and nowhere else. Each
function commits its own audit row, including for refused requests.
"""
