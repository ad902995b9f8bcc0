"""API commands: Base-Élèves import (see docs/API.md "Base-Élèves import").

Stateless: every step re-reads the file. pandas is loaded on first use (``ensure_pandas``).
"""

from __future__ import annotations

from .. import _compat, base_eleves
from ..api import command


def _file(payload):
    return payload.get("data"), payload.get("filename")


@command("base_eleves.read", role="directeur")
async def read(api, payload, session):
    await _compat.ensure_pandas()
    data, filename = _file(payload)
    return base_eleves.read(data, filename)


@command("base_eleves.plan", role="directeur")
async def plan(api, payload, session):
    await _compat.ensure_pandas()
    data, filename = _file(payload)
    return base_eleves.plan(api.db, data, payload.get("mapping"), payload.get("classes"),
                            filename=filename)


@command("base_eleves.apply", role="directeur")
async def apply(api, payload, session):
    await _compat.ensure_pandas()
    data, filename = _file(payload)
    return base_eleves.apply(api.db, data, payload.get("mapping"), payload.get("classes"),
                             filename=filename)
