"""Niveaux (SACoche's list, the active ones) and paliers (1: fin CE1, 2: fin CM2, 3: collège)."""

from __future__ import annotations

import sqlite3

from cartable import db
from cartable.errors import UserError
from cartable.socle2008 import referentiel
from cartable.text import plural

# The niveau whose pupils a palier concerns (palier 1 = fin CE1, palier 2 = fin CM2).
PALIER_NIVEAU = {1: "CE1", 2: "CM2"}
# The palier a class's grid opens on, by its niveau (2008 cycles: GS-CP-CE1 end with palier 1,
# CE2-CM1-CM2 with palier 2).
NIVEAU_PALIER = {"GS": 1, "CP": 1, "CE1": 1, "CE2": 2, "CM1": 2, "CM2": 2}


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
        names = ", ".join(f"{n['ref']} ({plural(n['nb_classes'], 'classe', 'classes')})"
                          for n in blocked)
        one = len(blocked) == 1
        raise UserError(
            f"Impossible de retirer {'le niveau' if one else 'les niveaux'} {names} : des "
            f"classes de {'ce niveau' if one else 'ces niveaux'} existent encore. Gardez "
            f"{'ce niveau' if one else 'ces niveaux'}, ou supprimez d'abord "
            f"{'ses' if one else 'leurs'} classes (par un nouvel import des élèves)."
        )
    with db.transaction(conn):
        for n in niveaux:
            if n["actif"] != (n["ref"] in wanted):
                conn.execute("UPDATE niveau SET actif = ? WHERE id = ?",
                             (int(n["ref"] in wanted), n["id"]))
    return list_niveaux(conn)


# -- paliers --------------------------------------------------------------------------------


# The paliers a primary school uses; palier 3 (fin troisième) belongs to the collège and is
# offered apart, under RUBRIQUE_COLLEGE, for the rare school that needs it.
PALIERS_ECOLE = (1, 2)
RUBRIQUE_ECOLE = "École élémentaire"
RUBRIQUE_COLLEGE = "Collège (rarement utile à l'école)"


def list_paliers(conn: sqlite3.Connection) -> list[dict]:
    """Every palier, with ``actif``, the niveau its pupils are in (CE1, CM2; None for palier
    3), and the heading it is offered under (``ecole`` false: the collège's)."""
    ref = referentiel.get()
    names = {p.id: p.nom for p in ref.paliers}
    order = {p.id: p.ordre for p in ref.paliers}
    rows = conn.execute("SELECT id, actif FROM palier").fetchall()
    rows = sorted(rows, key=lambda r: (order.get(r["id"], 99), r["id"]))
    return [{"id": r["id"], "nom": names.get(r["id"], f"Palier {r['id']}"),
             "actif": bool(r["actif"]), "niveau": PALIER_NIVEAU.get(r["id"]),
             "ecole": r["id"] in PALIERS_ECOLE,
             "rubrique": RUBRIQUE_ECOLE if r["id"] in PALIERS_ECOLE else RUBRIQUE_COLLEGE}
            for r in rows]


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


def niveau_classes(conn: sqlite3.Connection, ref) -> tuple[str, list[int]]:
    """A niveau's ref as the school spells it (``ref`` in any case) and its classes' ids."""
    if not isinstance(ref, str):
        raise UserError("Niveau invalide : indiquez sa référence, par exemple « CM2 ».")
    row = conn.execute(
        "SELECT id, ref FROM niveau WHERE upper(ref) = upper(?)", (ref.strip(),)
    ).fetchone()
    if row is None:
        raise UserError(f"Le niveau « {ref[:20]} » n'existe pas. Indiquez par exemple CM1 ou CM2.")
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM classe WHERE niveau_id = ? ORDER BY id", (row["id"],))]
    return row["ref"], ids
