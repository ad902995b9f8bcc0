"""The school file kept up to date: the work done since it was last saved, counted by the core.

- The work is the decisions (items and compétences) and bilans (de fin de cycle, périodiques)
  changed: ``db.connect`` notes each one a command writes (a TEMP table, one row per decision
  or bilan), and ``add_work`` (called by ``file_info.touch`` after each changing command) adds
  them to meta ``modifications_non_enregistrees``. Saving 26 cells is 26, validating a class of
  25 pupils is 25; accounts, pupils and settings are changes of the school, not work counted.
- ``mark_saved``: just before the school file's bytes are handed out (``school.file_bytes``,
  download or automatic saving), meta ``dernier_enregistrement`` = now and the count back to 0,
  so the file carries the time it was saved, and "last saved" means saved.
- ``mark_opened``: a school file just opened is the browser's school: nothing unsaved (its own
  ``dernier_enregistrement`` kept: the time that file was saved, not the time it was opened).
- ``state``: the count, the times and the French sentences every screen shows (one number).
"""

from __future__ import annotations

import sqlite3

from cartable import _compat, db
from cartable.text import plural

LAST_SAVE = "dernier_enregistrement"
UNSAVED = "modifications_non_enregistrees"
LAST_CHANGE = "derniere_modification"  # file_info.touch's stamp
# After this many changed decisions and bilans without a saved school file, a reminder.
REMIND_AFTER_CHANGES = 20


def add_work(conn: sqlite3.Connection) -> int:
    """Add the decisions and bilans the last command wrote to the unsaved count (inside the
    caller's transaction); returns the new count."""
    n = unsaved(conn) + db.take_work(conn)
    db.set_meta(conn, UNSAVED, str(n))
    return n


def unsaved(conn: sqlite3.Connection) -> int:
    value = db.get_meta(conn, UNSAVED, "0")
    return int(value) if value and value.isdigit() else 0


def mark_saved(conn: sqlite3.Connection) -> str:
    """Record now as the time the school file was saved, nothing unsaved; returns the stamp."""
    stamp = _compat.now().replace(microsecond=0).isoformat()
    with db.transaction(conn):
        db.take_work(conn)
        db.set_meta(conn, LAST_SAVE, stamp)
        db.set_meta(conn, UNSAVED, "0")
    return stamp


def mark_opened(conn: sqlite3.Connection) -> None:
    """The school file just opened holds everything: nothing unsaved."""
    with db.transaction(conn):
        db.take_work(conn)
        db.set_meta(conn, UNSAVED, "0")


def when(stamp: str | None) -> str:
    """``"le 01/12/2026 à 20 h 14"`` for an ISO local date-time."""
    if not stamp:
        return ""
    day, _, time = stamp.partition("T")
    y, m, d = day.split("-")
    return f"le {d}/{m}/{y} à {time[:5].replace(':', ' h ')}"


def work_words(n: int) -> str:
    """``"1 décision ou bilan modifié"``, ``"26 décisions ou bilans modifiés"``."""
    return plural(n, "décision ou bilan modifié", "décisions ou bilans modifiés")


def _status(n: int, saved_at: str | None, changed_at: str | None) -> str:
    if not saved_at:
        base = "Le fichier de l'école n'a encore jamais été enregistré."
        return f"{base} {work_words(n)} depuis la création de l'école." if n else base
    base = f"Fichier de l'école enregistré pour la dernière fois {when(saved_at)}."
    if n:
        return f"{base} {work_words(n)} depuis."
    if changed_at and changed_at > saved_at:
        return (f"{base} L'école a changé depuis (élèves, comptes ou réglages, dernière "
                f"modification {when(changed_at)}) : enregistrez-le à nouveau.")
    return f"{base} Rien n'a changé depuis."


def _reminder(n: int, saved_at: str | None) -> str:
    since = (f"depuis le dernier enregistrement du fichier de l'école ({when(saved_at)})"
             if saved_at else "et le fichier de l'école n'a encore jamais été enregistré")
    return f"{work_words(n)} {since}. Enregistrez-le maintenant pour ne rien perdre."


def state(conn: sqlite3.Connection) -> dict:
    """``{"modifications", "dernier_enregistrement", "derniere_modification", "quand",
    "etat", "rappel", "rappeler", "rappel_modifications"}``: ``etat`` the Fichier page's
    sentence, ``rappel`` the reminder's (None when nothing is unsaved), ``rappeler`` whether the
    count has reached the threshold."""
    n = unsaved(conn)
    saved_at, changed_at = db.get_meta(conn, LAST_SAVE), db.get_meta(conn, LAST_CHANGE)
    return {"modifications": n, "dernier_enregistrement": saved_at,
            "derniere_modification": changed_at, "quand": when(saved_at),
            "etat": _status(n, saved_at, changed_at),
            "rappel": _reminder(n, saved_at) if n else None,
            "rappeler": n >= REMIND_AFTER_CHANGES, "rappel_modifications": REMIND_AFTER_CHANGES}


def download_notice(file_name: str) -> str:
    """What the page says once the school file is downloaded under ``file_name``."""
    return (f"Le fichier de l'école « {file_name} » a été téléchargé (dossier des "
            "téléchargements). Si un fichier de ce nom s'y trouvait déjà, le navigateur a pu "
            "ajouter « (1) » à la fin du nom du nouveau. Gardez-le en lieu sûr (clé USB…).")
