"""The school's nouns: identity (nom, UAI), settings, niveaux, paliers, classes, pupils.

Functions take a ``sqlite3.Connection`` and plain data and return plain data. Writes happen in
one ``db.transaction`` after every check, and only when something actually changes.
"""

from __future__ import annotations

import datetime
import re
import sqlite3

from . import db, referentiel
from .errors import UserError
from .payload import payload_int
from .text import CLASSE_INCONNUE, clean

SCHOOL_NAME_MAX = 100
UAI_RE = re.compile(r"[0-9]{7}[A-Z]")
UAI_LENGTH = 8  # what UAI_RE matches: 7 digits and a letter
SETTINGS = {"professeurs_affectes_valident": False}


# -- identity -------------------------------------------------------------------------------


def get_school(conn: sqlite3.Connection) -> dict | None:
    """``{"nom", "uai"}``, or None while the school has not been set up."""
    nom = db.get_meta(conn, "nom")
    if nom is None:
        return None
    return {"nom": nom, "uai": db.get_meta(conn, "uai", "")}


def has_director(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM utilisateur WHERE role = 'directeur' LIMIT 1").fetchone()
    return row is not None


def has_active_director(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM utilisateur WHERE role = 'directeur' AND actif = 1 LIMIT 1").fetchone()
    return row is not None


def file_name(today: datetime.date) -> str:
    """The name offered when the school file is saved."""
    return db.school_file_name(today)


def needs_setup(conn: sqlite3.Connection) -> bool:
    return get_school(conn) is None or not has_director(conn)


def clean_school(nom, uai) -> tuple[str, str]:
    """Checked (nom, uai). The UAI (ex-RNE) is optional: 7 digits and a letter."""
    if not isinstance(nom, str) or not nom.strip():
        raise UserError("Indiquez le nom de l'école (par exemple « École élémentaire Jules Ferry »).")
    nom = clean(nom)
    if len(nom) > SCHOOL_NAME_MAX:
        raise UserError(f"Le nom de l'école est trop long ({SCHOOL_NAME_MAX} caractères au plus).")
    if uai is None:
        uai = ""
    if not isinstance(uai, str):
        raise UserError("Le numéro UAI est invalide.")
    uai = "".join(uai.split()).upper()
    if uai and not UAI_RE.fullmatch(uai):
        raise UserError(
            f"Le numéro UAI « {uai} » n'est pas valide : il comporte 7 chiffres suivis d'une "
            "lettre (par exemple 0441234A). Corrigez-le ou laissez le champ vide."
        )
    return nom, uai


def write_school(conn: sqlite3.Connection, nom: str, uai: str) -> None:
    """Store the checked identity (inside the caller's transaction)."""
    if db.get_meta(conn, "nom") != nom:
        db.set_meta(conn, "nom", nom)
    if db.get_meta(conn, "uai") != uai:
        db.set_meta(conn, "uai", uai)


def update_school(conn: sqlite3.Connection, nom, uai=None) -> dict:
    nom, uai = clean_school(nom, uai)
    with db.transaction(conn):
        write_school(conn, nom, uai)
    return {"nom": nom, "uai": uai}


# -- settings -------------------------------------------------------------------------------


def get_settings(conn: sqlite3.Connection) -> dict:
    return {
        "professeurs_affectes_valident":
            db.get_meta(conn, "professeurs_affectes_valident", "0") == "1",
    }


def set_settings(conn: sqlite3.Connection, values: dict) -> dict:
    for key, value in values.items():
        if key not in SETTINGS:
            raise UserError(f"Réglage inconnu : « {key} ».")
        if not isinstance(value, bool):
            raise UserError(f"La valeur du réglage « {key} » doit être oui ou non.")
    current = get_settings(conn)
    with db.transaction(conn):
        for key, value in values.items():
            if current[key] != value:
                db.set_meta(conn, key, "1" if value else "0")
    return get_settings(conn)


# -- niveaux --------------------------------------------------------------------------------


def list_niveaux(conn: sqlite3.Connection) -> list[dict]:
    """All SACoche niveaux in their order, with ``actif`` and the number of classes."""
    rows = conn.execute(
        "SELECT n.id, n.ref, n.nom, n.actif, "
        "(SELECT count(*) FROM classe c WHERE c.niveau_id = n.id) AS nb_classes "
        "FROM niveau n ORDER BY n.ordre"
    )
    return [{"id": r["id"], "ref": r["ref"], "nom": r["nom"], "actif": bool(r["actif"]),
             "nb_classes": r["nb_classes"]} for r in rows]


def set_niveaux(conn: sqlite3.Connection, actifs) -> list[dict]:
    """Make exactly ``actifs`` (refs such as "CM2") active. A niveau that still has classes
    cannot be removed."""
    if not isinstance(actifs, list) or not all(isinstance(a, str) for a in actifs):
        raise UserError("La liste des niveaux est invalide.")
    niveaux = list_niveaux(conn)
    refs = {n["ref"] for n in niveaux}
    wanted = {a.strip().upper() for a in actifs}
    unknown = sorted(wanted - refs)
    if unknown:
        raise UserError(
            f"Niveau inconnu : {', '.join(unknown)}. Les niveaux possibles sont "
            f"{', '.join(n['ref'] for n in niveaux)}."
        )
    if not wanted:
        raise UserError("Choisissez au moins un niveau pour l'école.")
    blocked = [n for n in niveaux if n["ref"] not in wanted and n["nb_classes"]]
    if blocked:
        names = ", ".join(f"{n['ref']} ({n['nb_classes']} classe{'s' if n['nb_classes'] > 1 else ''})"
                          for n in blocked)
        raise UserError(
            f"Impossible de retirer le niveau {names} : des classes de ce niveau existent "
            "encore. Gardez ce niveau, ou supprimez d'abord ses classes (par un nouvel import "
            "Base-Élèves)."
        )
    with db.transaction(conn):
        for n in niveaux:
            if n["actif"] != (n["ref"] in wanted):
                conn.execute("UPDATE niveau SET actif = ? WHERE id = ?",
                             (int(n["ref"] in wanted), n["id"]))
    return list_niveaux(conn)


# -- paliers --------------------------------------------------------------------------------


def list_paliers(conn: sqlite3.Connection) -> list[dict]:
    ref = referentiel.get()
    names = {p.id: p.nom for p in ref.paliers}
    order = {p.id: p.ordre for p in ref.paliers}
    rows = conn.execute("SELECT id, actif FROM palier").fetchall()
    rows = sorted(rows, key=lambda r: (order.get(r["id"], 99), r["id"]))
    return [{"id": r["id"], "nom": names.get(r["id"], f"Palier {r['id']}"),
             "actif": bool(r["actif"])} for r in rows]


def set_paliers(conn: sqlite3.Connection, actifs) -> list[dict]:
    """"Valider ce choix de paliers": exactly ``actifs`` (ids) become active."""
    if not isinstance(actifs, list) or not all(
        isinstance(a, int) and not isinstance(a, bool) for a in actifs
    ):
        raise UserError("La liste des paliers est invalide.")
    paliers = list_paliers(conn)
    ids = {p["id"] for p in paliers}
    unknown = sorted(set(actifs) - ids)
    if unknown:
        raise UserError(f"Palier inconnu : {', '.join(map(str, unknown))}.")
    if not actifs:
        raise UserError(
            "Cochez au moins un palier (palier 1 et palier 2 pour une école élémentaire)."
        )
    with db.transaction(conn):
        for p in paliers:
            if p["actif"] != (p["id"] in actifs):
                conn.execute("UPDATE palier SET actif = ? WHERE id = ?",
                             (int(p["id"] in actifs), p["id"]))
    return list_paliers(conn)


# -- classes and pupils ---------------------------------------------------------------------


def classe_id(conn: sqlite3.Connection, value) -> int:
    """The id of an existing class, from a payload value; a French UserError otherwise."""
    cid = payload_int(value, "classe")
    if conn.execute("SELECT 1 FROM classe WHERE id = ?", (cid,)).fetchone() is None:
        raise UserError(CLASSE_INCONNUE)
    return cid


def list_classes(conn: sqlite3.Connection, allowed: set[int] | None = None) -> list[dict]:
    """All classes (by niveau, then name). ``peut_valider`` is true for classes in ``allowed``
    (None: all)."""
    rows = conn.execute(
        "SELECT c.id, c.nom, c.ref, c.niveau_id, n.ref AS niveau, "
        "(SELECT count(*) FROM eleve e WHERE e.classe_id = c.id AND e.actif = 1) AS nb_eleves "
        "FROM classe c JOIN niveau n ON n.id = c.niveau_id ORDER BY n.ordre, c.nom, c.id"
    ).fetchall()
    profs: dict[int, list[dict]] = {}
    for r in conn.execute(
        "SELECT a.classe_id, a.principal, u.id, u.nom, u.prenom FROM affectation a "
        "JOIN utilisateur u ON u.id = a.utilisateur_id ORDER BY a.principal DESC, u.nom, u.prenom"
    ):
        profs.setdefault(r["classe_id"], []).append(
            {"id": r["id"], "nom": r["nom"], "prenom": r["prenom"],
             "principal": bool(r["principal"])})
    return [
        {"id": r["id"], "nom": r["nom"], "ref": r["ref"], "niveau": r["niveau"],
         "niveau_id": r["niveau_id"], "nb_eleves": r["nb_eleves"],
         "professeurs": profs.get(r["id"], []),
         "peut_valider": allowed is None or r["id"] in allowed}
        for r in rows
    ]


def list_eleves(conn: sqlite3.Connection, classe_id: int) -> list[dict]:
    """Active pupils of a class, by nom then prénom."""
    rows = conn.execute(
        "SELECT id, nom, prenom, sconet_id, actif FROM eleve WHERE classe_id = ? AND actif = 1 "
        "ORDER BY nom, prenom, id",
        (classe_id,),
    )
    return [{"id": r["id"], "nom": r["nom"], "prenom": r["prenom"],
             "sconet_id": r["sconet_id"], "actif": bool(r["actif"])} for r in rows]


# -- overview (the director's home page) ----------------------------------------------------

# The niveau whose pupils a palier concerns (palier 1 = fin CE1, palier 2 = fin CM2).
PALIER_NIVEAU = {1: "CE1", 2: "CM2"}


def overview(conn: sqlite3.Connection) -> dict:
    """Where the school stands in the procedure: counts for each step and, per active palier,
    how far the decisions on its pupils have gone (items decided out of pupils × items)."""
    one = lambda sql: conn.execute(sql).fetchone()[0]
    classes_sans_principal = [
        r[0] for r in conn.execute(
            "SELECT c.nom FROM classe c JOIN niveau n ON n.id = c.niveau_id "
            "WHERE EXISTS (SELECT 1 FROM eleve e WHERE e.classe_id = c.id AND e.actif = 1) "
            "AND NOT EXISTS (SELECT 1 FROM affectation a WHERE a.classe_id = c.id "
            "AND a.principal = 1) ORDER BY n.ordre, c.nom"
        )
    ]
    ref = referentiel.get()
    paliers = []
    for p in list_paliers(conn):
        if not p["actif"]:
            continue
        item_ids = [i.id for c in ref.palier(p["id"]).competences for i in c.items]
        niveau = PALIER_NIVEAU.get(p["id"])
        nb_eleves = conn.execute(
            "SELECT count(*) FROM eleve e JOIN classe c ON c.id = e.classe_id "
            "JOIN niveau n ON n.id = c.niveau_id WHERE e.actif = 1 AND n.ref = ?",
            (niveau,),
        ).fetchone()[0] if niveau else 0
        decided = valides = 0
        if nb_eleves and item_ids:
            decided, valides = conn.execute(
                "SELECT count(*), coalesce(sum(v.etat), 0) FROM validation_item v "
                "JOIN eleve e ON e.id = v.eleve_id JOIN classe c ON c.id = e.classe_id "
                "JOIN niveau n ON n.id = c.niveau_id "
                f"WHERE e.actif = 1 AND n.ref = ? AND v.item_id IN ({','.join('?' * len(item_ids))})",
                (niveau, *item_ids),
            ).fetchone()
        total = nb_eleves * len(item_ids)
        paliers.append({
            "id": p["id"], "nom": p["nom"], "niveau": niveau, "nb_eleves": nb_eleves,
            "nb_items": len(item_ids), "decisions": decided, "valides": valides, "total": total,
            "pourcentage": round(100 * decided / total) if total else 0,
        })
    return {
        "niveaux": [n["ref"] for n in list_niveaux(conn) if n["actif"]],
        "nb_classes": one("SELECT count(*) FROM classe c WHERE EXISTS (SELECT 1 FROM eleve e "
                          "WHERE e.classe_id = c.id AND e.actif = 1)"),
        "nb_eleves": one("SELECT count(*) FROM eleve WHERE actif = 1"),
        "nb_professeurs": one("SELECT count(*) FROM utilisateur "
                              "WHERE role = 'professeur' AND actif = 1"),
        "classes_sans_principal": classes_sans_principal,
        "paliers": paliers,
    }
