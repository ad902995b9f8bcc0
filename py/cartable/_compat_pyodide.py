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


def today() -> datetime.date:
    # The worker's clock is the computer's; Python's time zone is UTC in Pyodide, so ask JS.
    d = js.Date.new()
    return datetime.date(d.getFullYear(), d.getMonth() + 1, d.getDate())


def now() -> datetime.datetime:
    d = js.Date.new()
    return datetime.datetime(
        d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()
    )
