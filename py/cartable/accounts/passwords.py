"""Passwords: salted PBKDF2-SHA256 hashes, generated passwords, the rules a new one follows.

Stored as ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`` (only a salted hash, never the
clear password). Hashing goes through ``_compat.pbkdf2_sha256`` (WebCrypto in the browser),
hence the coroutines.
"""

from __future__ import annotations

import base64
import hmac
import secrets

from cartable import _compat
from cartable.errors import UserError

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 for PBKDF2-HMAC-SHA256; tests may lower it
OWN_ITERATIONS = 600_000  # the count Cartable writes (ITERATIONS, whatever a test sets it to)
SALT_BYTES = 16

# Generated passwords: no look-alikes (0/O/o, 1/l/I/i).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


async def hash_password(password: str) -> str:
    """A salted PBKDF2-SHA256 hash: ``pbkdf2_sha256$600000$<salt b64>$<hash b64>``."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = await _compat.pbkdf2_sha256(password.encode("utf-8"), salt, ITERATIONS)
    return f"{ALGORITHM}${ITERATIONS}${_b64(salt)}${_b64(digest)}"


async def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches ``stored`` (iterations read from ``stored``)."""
    try:
        algorithm, iterations, salt_b64, hash_b64 = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        iterations = int(iterations)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
    except (ValueError, AttributeError):
        return False
    if not own_iterations(iterations):
        return False  # a count Cartable never writes would set the cost of a login
    digest = await _compat.pbkdf2_sha256(password.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(digest, expected)


def own_iterations(iterations: int) -> bool:
    """Is ``iterations`` a PBKDF2 count Cartable writes? (Checked before any hashing.)"""
    return iterations in (ITERATIONS, OWN_ITERATIONS)


def generate_password(length: int = 8) -> str:
    """A random password of ``length`` (>= 8) characters with at least a letter and a digit."""
    length = max(length, PASSWORD_MIN_LENGTH)
    while True:
        pw = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw


def check_new_password(password) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_LENGTH:
        raise UserError(
            f"Le mot de passe doit comporter au moins {PASSWORD_MIN_LENGTH} caractères. "
            "Choisissez un mot de passe plus long.", field="password"
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise UserError(
            f"Le mot de passe est trop long (au plus {PASSWORD_MAX_LENGTH} caractères).",
            field="password",
        )
    return password
