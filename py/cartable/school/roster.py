"""Classes and their pupils as screens list them, and where the validation screens open."""

from __future__ import annotations

import sqlite3

from cartable.errors import UserError
from cartable.payload import payload_int
from cartable.school.levels import NIVEAU_PALIER
from cartable.text import CLASSE_INCONNUE


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
        "FROM classe c JOIN niveau n ON n.id = c.niveau_id "
        "ORDER BY n.ordre, c.nom COLLATE FR, c.id"
    ).fetchall()
    profs: dict[int, list[dict]] = {}
    for r in conn.execute(
        "SELECT a.classe_id, a.principal, u.id, u.nom, u.prenom FROM affectation a "
        "JOIN utilisateur u ON u.id = a.utilisateur_id "
        "ORDER BY a.principal DESC, u.nom COLLATE FR, u.prenom COLLATE FR"
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
        "ORDER BY nom COLLATE FR, prenom COLLATE FR, id",
        (classe_id,),
    )
    return [{"id": r["id"], "nom": r["nom"], "prenom": r["prenom"],
             "sconet_id": r["sconet_id"], "actif": bool(r["actif"])} for r in rows]


def landing(conn: sqlite3.Connection, classes: list[dict], paliers: list[dict], *,
            is_director: bool, user_id: int) -> dict:
    """Where the validation screens open, among ``classes`` (the caller's, in display order,
    with "niveau" and "nb_eleves") and the active ``paliers``: a teacher on his or her own
    class (professeur principal first) and the palier of its niveau (CE1 -> 1, CM2 -> 2); the
    director on the first CM2 class and palier 2. Classes without pupils come last.
    ``{"classe_id", "palier_id"}``, None where there is nothing to choose."""
    if is_director:
        first = {c["id"] for c in classes if c["niveau"] == "CM2"}
    else:
        first = {r[0] for r in conn.execute(
            "SELECT classe_id FROM affectation WHERE utilisateur_id = ? AND principal = 1",
            (user_id,))}
    ranked = sorted(classes, key=lambda c: (c["id"] not in first, not c["nb_eleves"]))
    classe = ranked[0] if ranked else None
    active = [p["id"] for p in paliers]
    wanted = [NIVEAU_PALIER.get(classe["niveau"]) if classe else None, 2]
    palier = next((p for p in wanted if p in active), active[0] if active else None)
    return {"classe_id": classe["id"] if classe else None, "palier_id": palier}
