"""The classes an import makes: one per (source class, niveau), matched with the school's."""

from __future__ import annotations

import sqlite3

from cartable.base_eleves.columns import NAME_MAX
from cartable.errors import UserError
from cartable.text import clean, normalise, plural

REF_MAX = 20


def _auto_ref(niveau: str, source: str) -> str:
    compact = normalise(source).replace(" ", "").upper() or "CLASSE"
    return f"{niveau}-{compact}"[:REF_MAX]


def _unique_ref(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        ref = base[: REF_MAX - len(suffix)] + suffix
        if ref not in taken:
            return ref
        n += 1


def _existing(conn: sqlite3.Connection) -> list[dict]:
    return [dict(r) for r in conn.execute("SELECT * FROM classe ORDER BY id")]


def source_classes(pupils: list[dict]) -> tuple[dict, dict, dict]:
    """``(name, levels, id_onde)``: for each source class (normalised name), its name as first
    written and its niveaux; for each (niveau, source class), ONDE's class id (None if none)."""
    name: dict[str, str] = {}
    levels: dict[str, set[str]] = {}
    id_onde: dict[tuple[str, str], int | None] = {}
    for p in pupils:
        name.setdefault(p["nsrc"], p["source"])
        levels.setdefault(p["nsrc"], set()).add(p["niveau"])
        if id_onde.get((p["niveau"], p["nsrc"])) is None:
            id_onde[(p["niveau"], p["nsrc"])] = p["id_onde"]
    return name, levels, id_onde


def plan_classes(conn: sqlite3.Connection, pupils: list[dict], niveaux: dict) -> dict:
    """One class per (source class, niveau), matched with the existing ones (by niveau and ONDE
    class id, then by niveau and source name, then by reference); then the existing classes
    absent from the file ("retirer"). Keyed by (niveau, normalised source)."""
    niveau_by_id = {n["id"]: n for n in niveaux.values()}
    names, levels, parts = source_classes(pupils)
    existing = _existing(conn)
    by_onde = {(c["niveau_id"], c["id_onde"]): c for c in existing if c["id_onde"] is not None}
    by_source = {(c["niveau_id"], normalise(c["source"])): c for c in existing if c["source"]}
    by_ref = {c["ref"]: c for c in existing}
    taken = set(by_ref)
    classes: dict[tuple[str, str], dict] = {}
    matched_ids: set[int] = set()
    for niv, nsrc in sorted(parts, key=lambda k: (niveaux[k[0]]["ordre"], k[1])):
        source = names[nsrc]
        nid = niveaux[niv]["id"]
        id_onde = parts[(niv, nsrc)]
        auto = _auto_ref(niv, source)
        found = by_onde.get((nid, id_onde)) or by_source.get((nid, nsrc))
        if found is None and auto in by_ref and by_ref[auto]["niveau_id"] == nid:
            found = by_ref[auto]
        if found is not None and found["id"] in matched_ids:
            found = None  # already taken by another source class with the same reference
        if found is not None:
            matched_ids.add(found["id"])
            entry = {"id": found["id"], "nom": found["nom"], "ref": found["ref"],
                     "action": "garder", "ancien_id_onde": found["id_onde"]}
        else:
            ref = _unique_ref(auto, taken)
            taken.add(ref)
            nom = source if len(levels[nsrc]) == 1 else f"[{niv}] {source}"
            entry = {"id": None, "nom": nom, "ref": ref, "action": "ajouter"}
        entry.update({"niveau": niv, "niveau_id": nid, "source": source, "nb_eleves": 0,
                      "id_onde": id_onde})
        classes[(niv, nsrc)] = entry
    active_count = dict(conn.execute(
        "SELECT classe_id, count(*) FROM eleve WHERE actif = 1 GROUP BY classe_id").fetchall())
    for c in existing:
        if c["id"] not in matched_ids:
            classes[("", f"#{c['id']}")] = {
                "id": c["id"], "nom": c["nom"], "ref": c["ref"], "action": "retirer",
                "niveau": niveau_by_id[c["niveau_id"]]["ref"], "niveau_id": c["niveau_id"],
                "source": c["source"], "nb_eleves": active_count.get(c["id"], 0),
                "id_onde": c["id_onde"],
            }
    return classes


def _choice(entry: dict, ref: str, choice) -> None:
    if not isinstance(choice, dict):
        raise UserError(f"Le choix pour la classe « {ref} » est invalide.")
    ignorer = choice.get("ignorer", False)
    if not isinstance(ignorer, bool):
        raise UserError(f"Le choix « ignorer » de la classe « {ref} » est invalide.")
    entry["ignorer"] = ignorer
    nom = choice.get("nom")
    if nom is None:
        return
    if entry["action"] == "retirer":
        raise UserError(
            f"La classe « {entry['nom']} » est absente du fichier : elle ne peut "
            "pas être renommée pendant l'import."
        )
    if not isinstance(nom, str) or not nom.strip():
        raise UserError(
            f"Le nouveau nom de la classe « {entry['nom']} » est vide. "
            "Saisissez un nom ou laissez le nom proposé."
        )
    nom = clean(nom)
    if len(nom) > NAME_MAX:
        raise UserError(
            f"Le nom de classe « {nom[:20]}… » est trop long ({NAME_MAX} caractères au plus)."
        )
    if nom != entry["nom"]:
        entry["nouveau_nom"] = nom


def apply_choices(by_ref: dict, choices) -> None:
    """The user's rename / ignore choices (keyed by ref), checked."""
    for c in by_ref.values():
        c["ignorer"] = False
        c["nouveau_nom"] = None
    if choices is None:
        return
    if not isinstance(choices, dict):
        raise UserError("Les choix sur les classes sont invalides.")
    for ref, choice in choices.items():
        if ref not in by_ref:
            raise UserError(
                f"La classe « {ref} » ne fait pas partie de cet import. Relancez l'analyse "
                "du fichier puis refaites vos choix."
            )
        _choice(by_ref[ref], ref, choice)


def removed_classes_fate(by_ref: dict, existing_pupils: list[dict], moved_out: set[int]) -> None:
    """What happens to the classes to remove: deleted when nothing is attached any more."""
    attached: dict[int, int] = {}
    for e in existing_pupils:
        if e["id"] not in moved_out:
            attached[e["classe_id"]] = attached.get(e["classe_id"], 0) + 1
    for c in by_ref.values():
        if c["action"] != "retirer":
            continue
        if c["ignorer"]:
            c["detail"] = "ignorée : laissée telle quelle"
        elif attached.get(c["id"], 0):
            c["detail"] = ("conservée sans élève actif : "
                           + plural(attached[c["id"]], "élève désactivé y reste rattaché",
                                    "élèves désactivés y restent rattachés")
                           + ", avec leurs validations")
            c["supprimer"] = False
        else:
            c["detail"] = "supprimée (plus aucun élève)"
            c["supprimer"] = True
