"""Pyodide implementations (the browser worker). Exercised by the e2e tests only."""

import datetime

import js  # type: ignore[import-not-found]
from pyodide.ffi import to_js  # type: ignore[import-not-found]


async def pbkdf2_sha256(password: bytes, salt: bytes, iterations: int) -> bytes:
    subtle = js.crypto.subtle
    key = await subtle.importKey(
        "raw", to_js(password), "PBKDF2", False, to_js(["deriveBits"])
    )
    params = to_js(
        {"name": "PBKDF2", "hash": "SHA-256", "salt": to_js(salt), "iterations": iterations},
        dict_converter=js.Object.fromEntries,
    )
    bits = await subtle.deriveBits(params, key, 256)
    return js.Uint8Array.new(bits).to_bytes()


async def ensure_pandas() -> None:
    import pyodide_js  # type: ignore[import-not-found]

    await pyodide_js.loadPackage(to_js(["pandas"]))
    import pandas  # noqa: F401


_xmlschema_ready = False


async def ensure_xmlschema() -> None:
    """Install xmlschema (and elementpath) from the folder the first time it is needed.

    micropip fetches each wheel by its file name; the worker's wrapped fetch serves it from the
    embedded assets (no network). Kept off the start-up path: only LSU import/export need it.
    """
    global _xmlschema_ready
    if _xmlschema_ready:
        return
    import pyodide_js  # type: ignore[import-not-found]

    from cartable._compat import XMLSCHEMA_WHEELS

    await pyodide_js.loadPackage("micropip")
    import micropip  # type: ignore[import-not-found]

    await micropip.install(list(XMLSCHEMA_WHEELS), deps=False)
    import xmlschema  # noqa: F401

    _xmlschema_ready = True


def today() -> datetime.date:
    # The worker's clock is the computer's; Python's time zone is UTC in Pyodide, so ask JS.
    d = js.Date.new()
    return datetime.date(d.getFullYear(), d.getMonth() + 1, d.getDate())


def now() -> datetime.datetime:
    d = js.Date.new()
    return datetime.datetime(
        d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()
    )
