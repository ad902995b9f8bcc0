"""What a school file holds, told to a person before one school replaces another.

- ``touch(conn)``: record the date and time of the last committed change (meta
  ``derniere_modification``, ISO local time to the second). ``Api.handle`` calls it after any
  command that changed the database.
- ``describe(conn)`` / ``describe_bytes(data)``: the school's name, UAI, last change and counts.
- ``compare(candidate, current, file_name)``: whether the candidate is another school or an older
  copy of this one, what it holds (``contenu``, one line each: school, UAI, last change, pupils,
  decisions, bilans) and the French confirmation, always asked, even when the browser holds no
  school yet (a moved folder: the director must see which file she opens).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile

from cartable import _compat, db
from cartable.errors import UserError
from cartable.school import letterhead, saving
from cartable.text import plural

LAST_CHANGE = "derniere_modification"
# A school file protected by a passphrase starts with this (web/ui/passphrase.js,
# docs/SCHOOL_FILE.md); only the browser decrypts it (WebCrypto).
PROTECTED_MAGIC = b"CARTABLE-CHIFFRE"
PASSPHRASE_MIN = 12
PROTECTED = ("Ce fichier d'école est protégé par une phrase de passe : ouvrez-le depuis Cartable "
             "dans le navigateur, qui vous demandera la phrase.")
_COUNTS = {
    "eleves": "SELECT count(*) FROM eleve WHERE actif = 1",
    "classes": "SELECT count(*) FROM classe",
    "professeurs": "SELECT count(*) FROM utilisateur WHERE role = 'professeur' AND actif = 1",
    "validations": "SELECT (SELECT count(*) FROM validation_item)"
                   " + (SELECT count(*) FROM validation_competence)",
    "bilans": "SELECT (SELECT count(*) FROM bilan_cycle) + (SELECT count(*) FROM bilan_periodique)",
}


def touch(conn: sqlite3.Connection) -> None:
    """Record now as the school's last change, and the decisions and bilans the command changed
    in the unsaved count (saving.add_work; its own small transaction)."""
    stamp = _compat.now().replace(microsecond=0).isoformat()
    with db.transaction(conn):
        db.set_meta(conn, LAST_CHANGE, stamp)
        saving.add_work(conn)


def describe(conn: sqlite3.Connection) -> dict:
    """``{"nom", "uai", "derniere_modification", "dernier_enregistrement", "eleves", "classes",
    "professeurs", "validations" (the decisions), "bilans", "vide"}`` of an open school database
    (``vide``: no school created yet)."""
    info = {
        "nom": db.get_meta(conn, "nom") or "",
        "uai": db.get_meta(conn, "uai") or "",
        "derniere_modification": db.get_meta(conn, LAST_CHANGE),
        "dernier_enregistrement": db.get_meta(conn, saving.LAST_SAVE),
    }
    for key, sql in _COUNTS.items():
        info[key] = conn.execute(sql).fetchone()[0]
    info["vide"] = not info["nom"] and not letterhead.has_director(conn)
    return info


def describe_bytes(data: bytes) -> dict:
    """``describe`` of a school file given as bytes; UserError if it is not one we can open."""
    if data.startswith(PROTECTED_MAGIC):
        raise UserError(PROTECTED, code="chiffre")
    db.check_school_file(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "candidat.sqlite3")
        with open(path, "wb") as f:
            f.write(data)
        conn = db.connect(path)  # migrates the temporary copy if it is older: same tables
        try:
            return describe(conn)
        finally:
            conn.close()


REMIND_AFTER_CHANGES = saving.REMIND_AFTER_CHANGES

TEXTS = {
    "firefox": (
        "Dans Firefox, l'école enregistrée dans le navigateur reste liée à l'emplacement exact "
        "du dossier Cartable : si le dossier est déplacé, renommé, copié ailleurs, ou si la clé "
        "USB change de lettre, Cartable s'ouvre vide. Rien n'est perdu : ouvrez le fichier de "
        "l'école. Enregistrez-le donc souvent."),
    "premiere_ouverture": (
        "Le fichier de l'école (sur une clé USB, venu d'un autre ordinateur, ou enregistré avant "
        "que le dossier Cartable soit déplacé) contient toute l'école : ouvrez-le, tout est "
        "retrouvé. Cartable vous montre d'abord ce qu'il contient."),
    "auto_choisir": (
        "Choisissez une fois où se trouve le fichier de l'école (sur la clé USB ou sur le "
        "disque) : Cartable l'enregistrera ensuite automatiquement après chaque modification."),
    "auto_actif": "Enregistrement automatique dans « {nom} » : dernier enregistrement {quand}.",
    "auto_reprendre": "Reprendre l'enregistrement automatique dans {nom}",
    "auto_attente": (
        "Le navigateur demande votre accord, à chaque démarrage, avant d'enregistrer "
        "automatiquement le fichier de l'école."),
    "auto_erreur": (
        "L'enregistrement automatique dans « {nom} » a échoué : {raison} Enregistrez le fichier "
        "de l'école autrement (bouton « Enregistrer le fichier de l'école »)."),
    "deconnexion_titre": "Le fichier de l'école n'est pas à jour",
}


def file_texts() -> dict:
    """The texts and the reminder threshold of the screens that keep the school file."""
    return {"rappel_modifications": REMIND_AFTER_CHANGES, **TEXTS,
            "phrase_aide": f"Au moins {PASSPHRASE_MIN} caractères : par exemple trois ou quatre "
                           "mots que vous retiendrez."}


def check_passphrase(phrase) -> str:
    """The passphrase that will protect a school file leaving the computer, or a UserError."""
    if not isinstance(phrase, str) or not phrase.strip():
        raise UserError("Tapez une phrase de passe pour protéger le fichier.")
    if len(phrase) < PASSPHRASE_MIN:
        raise UserError(f"La phrase de passe est trop courte : au moins {PASSPHRASE_MIN} "
                        "caractères (par exemple trois ou quatre mots que vous retiendrez).")
    return phrase


def _when(info: dict) -> str:
    stamp = info.get("derniere_modification")
    if not stamp:
        return "date de dernière modification inconnue"
    return f"dernière modification {saving.when(stamp)}"


def _counts(info: dict) -> list[str]:
    return [plural(info.get("eleves", 0), "élève", "élèves"),
            plural(info.get("validations", 0), "décision", "décisions"),
            plural(info.get("bilans", 0), "bilan", "bilans")]


def _label(info: dict) -> str:
    uai = f" (UAI {info['uai']})" if info.get("uai") else " (sans UAI)"
    return f"« {info.get('nom') or 'école sans nom'} »{uai}, {_when(info)}, " + \
        ", ".join(_counts(info))


def contents(info: dict, file_name: str = "") -> list[str]:
    """What a school file holds, one line each, as the opening confirmation lists it."""
    stamp = info.get("derniere_modification")
    pupils, decisions, bilans = _counts(info)
    return [f"Fichier : {file_name}"] * bool(file_name) + [
            f"École : {info.get('nom') or 'école sans nom'}",
            f"UAI : {info.get('uai') or 'aucun'}",
            "Dernière modification : " + (saving.when(stamp) if stamp else "inconnue"),
            f"Élèves : {pupils}", f"Décisions (items et compétences) : {decisions}",
            f"Bilans : {bilans}"]


def recovery_question(candidate: dict, file_name: str = "") -> dict:
    """``{"titre", "contenu", "message"}``: the question the damaged-database screen asks before
    ``candidate`` (``describe``) replaces the unreadable data of this browser."""
    return {"titre": "Ouvrir ce fichier d'école ?", "contenu": contents(candidate, file_name),
            "message": ("Il remplacera les données illisibles de ce navigateur (téléchargez-en "
                        "d'abord la copie de secours si ce n'est pas fait). Vérifiez que c'est "
                        "bien l'école et la date attendues : le plus récent de vos fichiers.")}


def compare(candidate: dict, current: dict, file_name: str = "") -> dict:
    """``{"autre_ecole", "plus_ancien", "titre", "contenu", "message", "confirmation"}`` for
    replacing ``current`` by ``candidate`` (``confirmation``: the whole text in one string)."""
    name = f"Le fichier « {file_name} »" if file_name else "Le fichier"
    asked = {"titre": "Ouvrir ce fichier d'école ?", "contenu": contents(candidate, file_name)}
    if current.get("vide"):
        lines = [f"{name} contient l'école {_label(candidate)}.",
                 ("Vérifiez que c'est bien l'école et la date attendues (le plus récent de vos "
                  "fichiers). Ouvrir cette école dans ce navigateur ?")]
        return {"autre_ecole": False, "plus_ancien": False, **asked, "message": lines[-1],
                "confirmation": "\n".join(lines)}
    other = (candidate.get("uai") or "") != (current.get("uai") or "") or (
        not candidate.get("uai") and candidate.get("nom") != current.get("nom"))
    c_when, k_when = candidate.get("derniere_modification"), current.get("derniere_modification")
    older = bool(c_when and k_when and c_when < k_when)
    lines = [f"{name} contient l'école {_label(candidate)}.",
             f"Il remplacera TOUTE l'école actuelle de ce navigateur : {_label(current)}."]
    if other:
        lines.append("Attention : ce n'est pas la même école.")
    elif older:
        lines.append("Attention : le fichier est plus ancien que l'école actuelle ; les "
                     "modifications faites depuis seront perdues.")
    lines.append("Enregistrez d'abord le fichier actuel si vous voulez le garder. Continuer ?")
    return {"autre_ecole": other, "plus_ancien": older, **asked,
            "message": " ".join(lines[1:]), "confirmation": "\n".join(lines)}


def compare_for_writing(on_disk: dict | None, browser: dict, file_name: str,
                        unreadable: str | None = None) -> dict:
    """Before the browser's school is written over an existing file (automatic saving):
    ``{"autre_ecole", "plus_recent", "confirmation"}``; ``confirmation`` is None when nothing
    would be lost (an empty file, or this school's same or older copy).

    ``on_disk`` is None when the file is empty or, with ``unreadable`` (the French reason), when
    it is not a school file Cartable can read."""
    name = f"« {file_name} »" if file_name else "Le fichier"
    replaced = f"L'enregistrement automatique le remplacera par l'école de ce navigateur : " \
               f"{_label(browser)}."
    if on_disk is None:
        if not unreadable:
            return {"autre_ecole": False, "plus_recent": False, "confirmation": None}
        return {"autre_ecole": True, "plus_recent": False, "confirmation": "\n".join([
            f"{name} n'est pas un fichier d'école que Cartable peut lire : {unreadable}",
            replaced, "Continuer ?"])}
    other = compare(on_disk, browser)["autre_ecole"]
    d_when, b_when = on_disk.get("derniere_modification"), browser.get("derniere_modification")
    newer = bool(d_when and b_when and d_when > b_when)
    if not other and not newer:
        return {"autre_ecole": False, "plus_recent": False, "confirmation": None}
    lines = [f"{name} contient l'école {_label(on_disk)}.", replaced]
    if other:
        lines.append("Attention : ce n'est pas la même école.")
    else:
        lines.append("Attention : le fichier est plus récent que l'école de ce navigateur (il a "
                     "été modifié ailleurs) ; ses modifications seraient perdues. Pour les "
                     "garder, annulez puis ouvrez ce fichier (menu « Fichier de l'école »).")
    lines.append("Continuer ?")
    return {"autre_ecole": other, "plus_recent": newer, "confirmation": "\n".join(lines)}
