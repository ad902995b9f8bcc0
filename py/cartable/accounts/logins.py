"""Logins: made from a person's names (``jea.delafont``), or typed and checked (unique)."""

from __future__ import annotations

import re
import sqlite3

from cartable.errors import UserError
from cartable.text import normalise

LOGIN_RE = re.compile(r"[a-z0-9._-]{2,40}")


def _letters(text: str) -> str:
    """Lower case, accents removed, only a-z and 0-9 kept (spaces, ' and - dropped)."""
    return normalise(text).replace(" ", "")


def login_base(nom: str, prenom: str) -> str:
    """3 first letters of the prénom, a dot, 8 first letters of the nom."""
    p, n = _letters(prenom)[:3], _letters(nom)[:8]
    if not n:
        raise UserError(
            "Impossible de fabriquer un identifiant : le nom ne contient aucune lettre. "
            "Corrigez le nom ou saisissez l'identifiant vous-même.", field="nom"
        )
    return f"{p}.{n}" if p else n


def generate_login(conn: sqlite3.Connection, nom: str, prenom: str) -> str:
    """A free login (``jea.delafont``, else ``jea.delafont1``, ``jea.delafont2``…)."""
    base = login_base(nom, prenom)
    taken = {
        r[0]
        for r in conn.execute(
            "SELECT login FROM utilisateur WHERE substr(login, 1, ?) = ?", (len(base), base)
        )
    }
    if base not in taken:
        return base
    n = 1
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def check_login(conn: sqlite3.Connection, login, exclude_id: int | None = None) -> str:
    """A typed login: lower-case letters, digits, '.', '-', '_'; unique."""
    if not isinstance(login, str):
        raise UserError("L'identifiant est invalide.", field="login")
    login = login.strip()
    if not LOGIN_RE.fullmatch(login):
        raise UserError(
            f"L'identifiant « {login[:40]}{'…' if len(login) > 40 else ''} » n'est pas accepté : utilisez de 2 à 40 lettres "
            "minuscules sans accent, chiffres, points, tirets ou soulignés (ex. : jea.dupont).",
            field="login",
        )
    row = conn.execute("SELECT id FROM utilisateur WHERE login = ?", (login,)).fetchone()
    if row is not None and row[0] != exclude_id:
        raise UserError(
            f"L'identifiant « {login} » est déjà utilisé. Choisissez-en un autre ou laissez "
            "le champ vide pour qu'il soit fabriqué automatiquement.", field="login"
        )
    return login
