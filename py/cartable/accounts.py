"""Accounts: logins, passwords, login throttling, teachers and their classes.

Passwords are stored as ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`` (only a salted
hash, never the clear password). Hashing goes through ``_compat.pbkdf2_sha256`` (WebCrypto in
the browser), hence the coroutines.
"""

from __future__ import annotations

import base64
import datetime
import hmac
import re
import secrets
import sqlite3

from . import _compat, db, school
from .errors import UserError
from .payload import payload_int
from .text import clean, normalise

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 for PBKDF2-HMAC-SHA256; tests may lower it
OWN_ITERATIONS = 600_000  # the count Cartable writes (ITERATIONS, whatever a test sets it to)
SALT_BYTES = 16

# Generated passwords: no look-alikes (0/O/o, 1/l/I/i).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128

LOGIN_RE = re.compile(r"[a-z0-9._-]{2,40}")

# Throttling: from the 5th consecutive failure the account is locked 30 s, then 60 s, 120 s...
MAX_FAILURES = 5
LOCK_BASE_SECONDS = 30
LOCK_MAX_SECONDS = 15 * 60

BAD_CREDENTIALS = (
    "Identifiant ou mot de passe incorrect. Vérifiez l'identifiant et le mot de passe "
    "(attention aux majuscules) puis réessayez."
)


# -- passwords ------------------------------------------------------------------------------


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


# -- logins ---------------------------------------------------------------------------------

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
            f"L'identifiant « {login} » n'est pas accepté : utilisez de 2 à 40 lettres "
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


def clean_name(value, what: str, whose: str = "du professeur") -> str:
    """A person's nom or prénom, spaces tidied; ``what`` and ``whose`` word the message."""
    field = "prenom" if what == "prénom" else "nom"
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"Indiquez le {what} {whose}.", field=field)
    value = clean(value)
    if len(value) > 60:
        raise UserError(f"Le {what} est trop long (60 caractères au plus).", field=field)
    return value


CIVILITES = ("M", "MME")  # what LSU accepts
CIVILITE_NOMS = {"M": "M. (Monsieur)", "MME": "Mme (Madame)"}


def clean_civilite(value, whose: str = "du professeur") -> str:
    """``M`` or ``MME`` (case and a final dot ignored: "Mme", "M."); None or '' -> ''."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, str):
        civilite = value.strip().rstrip(".").upper()
        if civilite in CIVILITES:
            return civilite
    raise UserError(f"La civilité {whose} doit être « M » (Monsieur) ou « MME » (Madame).")


# -- login / throttling ---------------------------------------------------------------------


def insert_director(conn: sqlite3.Connection, nom: str, prenom: str, login: str,
                    password_hash: str, civilite: str = "",
                    recovery_hash: str | None = None) -> None:
    """The director's account (first start), inside the caller's transaction;
    ``recovery_hash``: her code de secours, hashed (recovery.py)."""
    if conn.execute("SELECT 1 FROM utilisateur WHERE login = ?", (login,)).fetchone():
        raise UserError(f"L'identifiant « {login} » est déjà utilisé. Choisissez-en un autre.",
                        field="login")
    conn.execute(
        "INSERT INTO utilisateur (role, nom, prenom, login, password_hash, civilite, "
        "recovery_hash) VALUES ('directeur', ?, ?, ?, ?, ?, ?)",
        (nom, prenom, login, password_hash, civilite, recovery_hash),
    )


def session_user(conn: sqlite3.Connection, session) -> dict:
    """``user_dict`` of a session's account; the command line's director of a school without
    a director account has none: then what the session knows."""
    row = conn.execute("SELECT * FROM utilisateur WHERE id = ?", (session.user_id,)).fetchone()
    if row is None:
        return {"id": session.user_id, "role": session.role, "nom": session.nom,
                "prenom": session.prenom, "login": session.login,
                "must_change_password": session.must_change_password}
    return user_dict(row)


def user_dict(row: sqlite3.Row) -> dict:
    """The caller's account as the interface shows it (never a hash). The director's also
    says whether she has a code de secours."""
    user = {
        "id": row["id"],
        "role": row["role"],
        "nom": row["nom"],
        "prenom": row["prenom"],
        "login": row["login"],
        "must_change_password": bool(row["must_change_password"]),
    }
    if row["role"] == "directeur":
        user["has_recovery_code"] = bool(row["recovery_hash"])
    return user


def lock_seconds(failures: int) -> int:
    """Lock delay after ``failures`` consecutive failures (0 below MAX_FAILURES)."""
    if failures < MAX_FAILURES:
        return 0
    return min(LOCK_BASE_SECONDS * 2 ** min(failures - MAX_FAILURES, 20), LOCK_MAX_SECONDS)


def _locked_message(until: datetime.datetime, now: datetime.datetime) -> str:
    wait = max(1, int((until - now).total_seconds() + 0.999))
    delay = f"{wait} secondes" if wait < 120 else f"{(wait + 59) // 60} minutes"
    return (
        "Trop d'essais de mot de passe incorrects : ce compte est bloqué quelques instants. "
        f"Réessayez à {until:%H:%M:%S} (dans {delay})."
    )


def check_not_locked(row: sqlite3.Row, now: datetime.datetime) -> None:
    """UserError (code "locked") while the account is throttled."""
    if row["locked_until"]:
        try:
            until = datetime.datetime.fromisoformat(row["locked_until"])
        except (TypeError, ValueError):
            # Not a date Cartable wrote (school files are checked when opened): no lock; the
            # next failure or success writes a real one.
            return
        if until > now:
            raise UserError(_locked_message(until, now), code="locked")


def record_failure(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime.datetime,
                   message: str, **details) -> None:
    """Count one more wrong secret (password or code de secours) and raise: ``message``, or
    the lock message once the account gets locked."""
    failures = row["failed_logins"] + 1
    seconds = lock_seconds(failures)
    until = now + datetime.timedelta(seconds=seconds) if seconds else None
    with db.transaction(conn):
        conn.execute(
            "UPDATE utilisateur SET failed_logins = ?, locked_until = ? WHERE id = ?",
            (failures, until.isoformat(timespec="seconds") if until else None, row["id"]),
        )
    if until:
        raise UserError(_locked_message(until, now), code="locked")
    raise UserError(message, **details)


def find_user(conn: sqlite3.Connection, login: str) -> sqlite3.Row | None:
    """The user of a typed login (trimmed; lower-cased if it matches no one as typed)."""
    login = login.strip()
    row = conn.execute("SELECT * FROM utilisateur WHERE login = ?", (login,)).fetchone()
    if row is None and login != login.lower():
        row = conn.execute(
            "SELECT * FROM utilisateur WHERE login = ?", (login.lower(),)
        ).fetchone()
    return row


async def authenticate(conn: sqlite3.Connection, login, password) -> sqlite3.Row:
    """The user row for a correct login + password, or UserError (generic for bad ones)."""
    if not isinstance(login, str) or not isinstance(password, str) or not login.strip():
        raise UserError(BAD_CREDENTIALS)
    row = find_user(conn, login)
    if row is None:
        await hash_password(password)  # same cost as a real check: no login enumeration
        raise UserError(BAD_CREDENTIALS)
    now = _compat.now()
    check_not_locked(row, now)
    if not await verify_password(password, row["password_hash"]):
        record_failure(conn, row, now, BAD_CREDENTIALS)
    if not row["actif"]:
        raise UserError(
            "Ce compte a été désactivé. Demandez au directeur ou à la directrice de la "
            "réactiver.",
            code="inactive",
        )
    if row["failed_logins"] or row["locked_until"]:
        with db.transaction(conn):
            conn.execute(
                "UPDATE utilisateur SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                (row["id"],),
            )
    return row


async def change_password(conn: sqlite3.Connection, user_id: int, old, new) -> None:
    row = conn.execute("SELECT password_hash FROM utilisateur WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        raise UserError("Ce compte n'existe plus. Reconnectez-vous.")
    if not isinstance(old, str) or not await verify_password(old, row["password_hash"]):
        raise UserError("L'ancien mot de passe est incorrect. Saisissez-le à nouveau.",
                        field="old_password")
    check_new_password(new)
    if new == old:
        raise UserError(
            "Le nouveau mot de passe doit être différent de l'ancien. Choisissez-en un autre."
        )
    hashed = await hash_password(new)
    with db.transaction(conn):
        conn.execute(
            "UPDATE utilisateur SET password_hash = ?, must_change_password = 0 WHERE id = ?",
            (hashed, user_id),
        )


# -- teachers -------------------------------------------------------------------------------


def get_professeur(conn: sqlite3.Connection, prof_id) -> sqlite3.Row:
    pid = payload_int(prof_id, "professeur")
    row = conn.execute(
        "SELECT * FROM utilisateur WHERE id = ? AND role = 'professeur'", (pid,)
    ).fetchone()
    if row is None:
        raise UserError("Ce professeur n'existe pas (ou plus). Rechargez la liste.")
    return row


def professeur_dict(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    classes = [
        r[0]
        for r in conn.execute(
            "SELECT classe_id FROM affectation WHERE utilisateur_id = ? ORDER BY classe_id",
            (row["id"],),
        )
    ]
    return {
        "id": row["id"],
        "civilite": row["civilite"],
        "nom": row["nom"],
        "prenom": row["prenom"],
        "login": row["login"],
        "actif": bool(row["actif"]),
        "must_change_password": bool(row["must_change_password"]),
        "classes": classes,
    }


def list_professeurs(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        "SELECT * FROM utilisateur WHERE role = 'professeur' "
        "ORDER BY nom COLLATE FR, prenom COLLATE FR, id"
    ).fetchall()
    return [professeur_dict(conn, r) for r in rows]


async def create_professeur(conn: sqlite3.Connection, nom, prenom, login=None,
                            password=None, civilite=None) -> dict:
    """Create a teacher. Returns ``{"id", "login", "password"}`` (the clear password, once)."""
    nom = clean_name(nom, "nom").upper()
    prenom = clean_name(prenom, "prénom")
    civilite = clean_civilite(civilite)
    if login is None or (isinstance(login, str) and not login.strip()):
        login = generate_login(conn, nom, prenom)
    else:
        login = check_login(conn, login)
    generated = password is None or password == ""
    password = generate_password() if generated else check_new_password(password)
    hashed = await hash_password(password)
    with db.transaction(conn):
        cur = conn.execute(
            "INSERT INTO utilisateur (role, nom, prenom, login, password_hash, "
            "must_change_password, civilite) VALUES ('professeur', ?, ?, ?, ?, ?, ?)",
            (nom, prenom, login, hashed, int(generated), civilite),
        )
    return {"id": cur.lastrowid, "login": login, "password": password}


def update_professeur(conn: sqlite3.Connection, prof_id, nom, prenom, login=None,
                      civilite=None) -> dict:
    """Rename a teacher; ``civilite`` None keeps it, '' clears it."""
    row = get_professeur(conn, prof_id)
    nom = clean_name(nom, "nom").upper()
    prenom = clean_name(prenom, "prénom")
    civilite = row["civilite"] if civilite is None else clean_civilite(civilite)
    if login is None or (isinstance(login, str) and not login.strip()):
        login = row["login"]
    else:
        login = check_login(conn, login, exclude_id=row["id"])
    with db.transaction(conn):
        conn.execute(
            "UPDATE utilisateur SET nom = ?, prenom = ?, login = ?, civilite = ? WHERE id = ?",
            (nom, prenom, login, civilite, row["id"]),
        )
    return professeur_dict(conn, get_professeur(conn, row["id"]))


async def reset_password(conn: sqlite3.Connection, prof_id, password=None) -> dict:
    row = get_professeur(conn, prof_id)
    generated = password is None or password == ""
    password = generate_password() if generated else check_new_password(password)
    hashed = await hash_password(password)
    with db.transaction(conn):
        conn.execute(
            "UPDATE utilisateur SET password_hash = ?, must_change_password = ?, "
            "failed_logins = 0, locked_until = NULL WHERE id = ?",
            (hashed, int(generated), row["id"]),
        )
    return {"login": row["login"], "password": password}


def set_actif(conn: sqlite3.Connection, prof_id, actif) -> dict:
    row = get_professeur(conn, prof_id)
    if not isinstance(actif, bool):
        raise UserError("Indiquez si le compte doit être actif (vrai ou faux).")
    with db.transaction(conn):
        conn.execute("UPDATE utilisateur SET actif = ? WHERE id = ?", (int(actif), row["id"]))
    return professeur_dict(conn, get_professeur(conn, row["id"]))


def delete_professeur(conn: sqlite3.Connection, prof_id) -> None:
    """Remove a teacher and his or her assignments; decisions (signed by ``info``) stay."""
    row = get_professeur(conn, prof_id)
    with db.transaction(conn):
        conn.execute("DELETE FROM affectation WHERE utilisateur_id = ?", (row["id"],))
        conn.execute("DELETE FROM utilisateur WHERE id = ?", (row["id"],))


# -- assignments ----------------------------------------------------------------------------


def is_assigned(conn: sqlite3.Connection, user_id: int, classe_id: int) -> bool:
    return conn.execute(
        "SELECT 1 FROM affectation WHERE utilisateur_id = ? AND classe_id = ?",
        (user_id, classe_id),
    ).fetchone() is not None


def list_affectations(conn: sqlite3.Connection) -> dict:
    profs = [
        {"id": r["id"], "nom": r["nom"], "prenom": r["prenom"], "login": r["login"],
         "actif": bool(r["actif"])}
        for r in conn.execute(
            "SELECT * FROM utilisateur WHERE role = 'professeur' "
            "ORDER BY nom COLLATE FR, prenom COLLATE FR, id"
        )
    ]
    classes = [
        {"id": r["id"], "nom": r["nom"], "ref": r["ref"], "niveau": r["niveau"]}
        for r in conn.execute(
            "SELECT c.id, c.nom, c.ref, n.ref AS niveau FROM classe c "
            "JOIN niveau n ON n.id = c.niveau_id ORDER BY n.ordre, c.nom COLLATE FR, c.id"
        )
    ]
    affectations = [
        {"professeur_id": r[0], "classe_id": r[1], "principal": bool(r[2])}
        for r in conn.execute(
            "SELECT utilisateur_id, classe_id, principal FROM affectation "
            "ORDER BY utilisateur_id, classe_id"
        )
    ]
    actifs = {p["id"] for p in profs if p["actif"]}
    for c in classes:  # who may be its professeur principal: its active teachers
        c["eligibles"] = [a["professeur_id"] for a in affectations
                          if a["classe_id"] == c["id"] and a["professeur_id"] in actifs]
    return {"professeurs": profs, "classes": classes, "affectations": affectations}


def _get_classe(conn: sqlite3.Connection, classe_id) -> int:
    return school.classe_id(conn, classe_id)


def set_affectation(conn: sqlite3.Connection, prof_id, classe_id, affecte) -> None:
    prof = get_professeur(conn, prof_id)
    cid = _get_classe(conn, classe_id)
    if not isinstance(affecte, bool):
        raise UserError("Indiquez si le professeur est affecté à la classe (vrai ou faux).")
    with db.transaction(conn):
        if affecte:
            conn.execute(
                "INSERT OR IGNORE INTO affectation (utilisateur_id, classe_id) VALUES (?, ?)",
                (prof["id"], cid),
            )
        else:  # also clears the professeur principal if it was this teacher
            conn.execute(
                "DELETE FROM affectation WHERE utilisateur_id = ? AND classe_id = ?",
                (prof["id"], cid),
            )


def set_principal(conn: sqlite3.Connection, classe_id, prof_id) -> None:
    """Make ``prof_id`` the (only) professeur principal of the class, or none if None."""
    cid = _get_classe(conn, classe_id)
    prof = None if prof_id is None else get_professeur(conn, prof_id)
    if prof is not None and not prof["actif"]:
        raise UserError(
            f"Le compte de {prof['prenom']} {prof['nom']} est désactivé : réactivez-le avant "
            "d'en faire le professeur principal."
        )
    if prof is not None and conn.execute(
        "SELECT 1 FROM affectation WHERE utilisateur_id = ? AND classe_id = ?", (prof["id"], cid)
    ).fetchone() is None:
        classe = conn.execute("SELECT nom FROM classe WHERE id = ?", (cid,)).fetchone()[0]
        raise UserError(
            f"{prof['prenom']} {prof['nom']} n'enseigne pas dans la classe {classe} : le "
            "professeur principal est choisi parmi les professeurs de la classe. Cochez "
            "d'abord la classe pour ce professeur (affectations), puis choisissez-le."
        )
    with db.transaction(conn):
        conn.execute("UPDATE affectation SET principal = 0 WHERE classe_id = ?", (cid,))
        if prof is not None:
            conn.execute(
                "UPDATE affectation SET principal = 1 WHERE utilisateur_id = ? AND classe_id = ?",
                (prof["id"], cid),
            )

