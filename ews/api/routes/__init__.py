"""JSON routes under /v1; thin wrappers over ``ews.service``."""
