"""CPython implementations (tests, command line)."""

import datetime
import hashlib


async def pbkdf2_sha256(password: bytes, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password, salt, iterations, 32)


async def ensure_pandas() -> None:
    import pandas  # noqa: F401


async def ensure_xmlschema() -> None:
    import xmlschema  # noqa: F401  (a normal dependency in CPython)


def today() -> datetime.date:
    return datetime.date.today()


def now() -> datetime.datetime:
    return datetime.datetime.now()
