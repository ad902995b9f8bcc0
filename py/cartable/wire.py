"""The JSON wire form of command payloads and results: bytes as ``{"__bytes__": "<base64>"}``.

Used by ``bridge`` (the browser worker's door; ``web/worker/wire.js`` does the same on its
side) and by the command line (``cli/call.py``), which also reads ``{"__file__": "path"}`` in
payloads.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any


def b64(data: bytes) -> dict:
    return {"__bytes__": base64.b64encode(bytes(data)).decode("ascii")}


def from_wire(value: Any, read_file: Callable[[str], bytes] | None = None) -> Any:
    """Decode ``{"__bytes__": …}`` (and, with ``read_file``, ``{"__file__": path}``) anywhere in
    ``value``. Raises ValueError on invalid base64."""
    if isinstance(value, dict):
        if set(value) == {"__bytes__"}:
            try:
                return base64.b64decode(value["__bytes__"], validate=True)
            except (binascii.Error, TypeError):
                raise ValueError("invalid base64") from None
        if read_file is not None and set(value) == {"__file__"}:
            return read_file(str(value["__file__"]))
        return {k: from_wire(v, read_file) for k, v in value.items()}
    if isinstance(value, list):
        return [from_wire(v, read_file) for v in value]
    return value


def to_wire(value: Any, show_bytes: Callable[[bytes], Any] = b64) -> Any:
    """Encode every bytes value of ``value`` with ``show_bytes`` (default: the wire form)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return show_bytes(bytes(value))
    if isinstance(value, dict):
        return {str(k): to_wire(v, show_bytes) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v, show_bytes) for v in value]
    return value
