"""The JSON wire form of command payloads and results: bytes as ``{"__bytes__": "<base64>"}``,
or, beside the JSON, as ``{"__blob__": i}``: the i-th of a list of byte strings that travels
next to the JSON text (no base64; the browser worker's way, ``bridge.call_blobs``).

Used by ``bridge`` (the browser worker's door; ``web/shared/wire.js`` does the same on its
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


def from_wire(value: Any, read_file: Callable[[str], bytes] | None = None,
              blobs: list[bytes] | None = None) -> Any:
    """Decode ``{"__bytes__": …}`` (with ``read_file``, ``{"__file__": path}``; with ``blobs``,
    ``{"__blob__": i}``, ``blobs[i]``) anywhere in ``value``. Raises ValueError on invalid base64
    or a blob index out of range."""
    if isinstance(value, dict):
        if set(value) == {"__bytes__"}:
            try:
                return base64.b64decode(value["__bytes__"], validate=True)
            except (binascii.Error, TypeError):
                raise ValueError("invalid base64") from None
        if blobs is not None and set(value) == {"__blob__"}:
            i = value["__blob__"]
            if type(i) is not int or not 0 <= i < len(blobs):
                raise ValueError("invalid blob reference")
            return blobs[i]
        if read_file is not None and set(value) == {"__file__"}:
            return read_file(str(value["__file__"]))
        return {k: from_wire(v, read_file, blobs) for k, v in value.items()}
    if isinstance(value, list):
        return [from_wire(v, read_file, blobs) for v in value]
    return value


def blob_collector() -> tuple[list[bytes], Callable[[bytes], dict]]:
    """``(blobs, show_bytes)`` for ``to_wire``: every bytes value is appended to ``blobs`` and
    shown as ``{"__blob__": its index}``."""
    blobs: list[bytes] = []

    def show(data: bytes) -> dict:
        blobs.append(data)
        return {"__blob__": len(blobs) - 1}

    return blobs, show


def to_wire(value: Any, show_bytes: Callable[[bytes], Any] = b64) -> Any:
    """Encode every bytes value of ``value`` with ``show_bytes`` (default: the wire form)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return show_bytes(bytes(value))
    if isinstance(value, dict):
        return {str(k): to_wire(v, show_bytes) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v, show_bytes) for v in value]
    return value
