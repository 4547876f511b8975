"""JSON under ``/api/v1``: per-account Bearer tokens, JSON errors, an OpenAPI 3 document.

Plugins add endpoints with their own blueprints under ``/api/v1/...`` and describe each with
:func:`core.api.spec.operation`, which also validates the request body against its schema.
"""

from core.api import members as _members  # noqa: F401  (adds its routes to api)
from core.api.routes import api

__all__ = ["api"]
