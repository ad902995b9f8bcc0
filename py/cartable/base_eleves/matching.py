"""The import plan: what importing the file would do, as plain data (and ``_ops`` for apply)."""

from __future__ import annotations

import sqlite3

from cartable import collation
from cartable.base_eleves.classes import (
    apply_choices,
    plan_classes,
    removed_classes_fate,
    source_classes,
)
from cartable.base_eleves.columns import FIELDS, columns
from cartable.base_eleves.csv_file import SEPARATORS, Table, header_only
from cartable.base_eleves.pupils import drop_duplicates, read_pupils, records
from cartable.errors import UserError
from cartable.text import normalise, plural

# What a re-import may change on a matched pupil: (eleve column, file field, label when the
# school had none, label when the file has another one).
_IDENTITY = (("ine", "ine", "INE ajouté", "INE modifié"),
             ("date_naissance", "naissance", "date de naissance ajoutée",
              "date de naissance modifiée"),
             ("sexe", "sexe", "sexe ajouté", "sexe modifié"))
# Each change of a pupil to modify, counted: (singular, plural).
CHANGE_WORDS = {
    "classe": ("changement de classe", "changements de classe"),
    "réactivé": ("élève réactivé", "élèves réactivés"),
    "nom": ("nom modifié", "noms modifiés"),
    "INE ajouté": ("INE ajouté", "INE ajoutés"), "INE modifié": ("INE modifié", "INE modifiés"),
    "date de naissance ajoutée": ("date de naissance ajoutée", "dates de naissance ajoutées"),
    "date de naissance modifiée": ("date de naissance modifiée", "dates de naissance modifiées"),
    "sexe ajouté": ("sexe ajouté", "sexes ajoutés"), "sexe modifié": ("sexe modifié",
                                                                    "sexes modifiés"),
}


class _School:
    """The school's pupils and classes as the plan needs them."""

    def __init__(self, conn: sqlite3.Connection, niveaux: dict):
        niveau_by_id = {n["id"]: n for n in niveaux.values()}
        self.pupils = [dict(r) for r in conn.execute("SELECT * FROM eleve ORDER BY id")]
        self.classes = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM classe")}
        self.by_key: dict[str, list[dict]] = {}
        self.by_ine: dict[str, list[dict]] = {}
        for e in self.pupils:
            key = normalise(e["nom"]) + "|" + normalise(e["prenom"])
            self.by_key.setdefault(key, []).append(e)
            if e["ine"]:
                self.by_ine.setdefault(e["ine"], []).append(e)
        self.level = {cid: niveau_by_id[c["niveau_id"]]["ref"] for cid, c in self.classes.items()}

    def label(self, classe_id) -> str:
        c = self.classes.get(classe_id)
        return c["nom"] if c else ""

    def matches(self, p: dict) -> list[dict]:
        """The school's pupils a file pupil may be: by INE first, else by name (a pupil of the
        school with another INE is someone else)."""
        if p["ine"]:
            found = self.by_ine.get(p["ine"])
            if found:
                return found
            return [e for e in self.by_key.get(p["key"], []) if not e["ine"]]
        return self.by_key.get(p["key"], [])

    def known(self, keys) -> set[int]:
        """Ids of the school's pupils with one of these name keys or ``("ine", INE)``."""
        ids = set()
        for k in keys:
            found = self.by_ine.get(k[1], []) if isinstance(k, tuple) else self.by_key.get(k, [])
            ids.update(e["id"] for e in found)
        return ids


def _changes(e: dict, p: dict, target: dict, shown: dict, school: _School) -> list[str]:
    changes = []
    if e["classe_id"] != target["id"] or target["id"] is None:
        changes.append("classe")
        shown["ancienne_classe"] = school.label(e["classe_id"])
    if not e["actif"]:
        changes.append("réactivé")
    if e["nom"] != p["nom"] or e["prenom"] != p["prenom"]:
        changes.append("nom")
        shown["ancien_nom"] = f"{e['nom']} {e['prenom']}"
    changes += [added if not e[column] else other for column, field, added, other in _IDENTITY
                if p[field] and p[field] != e[column]]
    return changes


def _match_pupils(pupils: list[dict], classes: dict, school: _School, protected: set[int],
                  ambigus: list[dict]) -> tuple[list, list, int]:
    """Each file pupil: added, modified, unchanged, or ambiguous (left untouched)."""
    add, modify, inchanges = [], [], 0
    found_by = {"INE": 0, "nom": 0}
    for p in sorted(pupils, key=lambda p: (*collation.name_key(p["nom"], p["prenom"]),
                                           p["ligne"])):
        target = classes[(p["niveau"], p["nsrc"])]
        matches = school.matches(p)
        if target["ignorer"]:
            protected.update(e["id"] for e in matches)
            continue
        shown = {"nom": p["nom"], "prenom": p["prenom"], "niveau": p["niveau"],
                 "classe": target["nouveau_nom"] or target["nom"], "ligne": p["ligne"]}
        if len(matches) > 1:
            protected.update(e["id"] for e in matches)
            what = "cet INE" if p["ine"] and school.by_ine.get(p["ine"]) else "ce nom"
            ambigus.append({**shown, "raison": f"{len(matches)} élèves de l'école portent "
                                               f"{what} : aucun n'est modifié"})
            continue
        target["nb_eleves"] += 1
        if not matches:
            add.append({**shown, "_target": target, "_pupil": p})
            continue
        e = matches[0]
        protected.add(e["id"])
        by = "INE" if p["ine"] and p["ine"] == e["ine"] else "nom"
        found_by[by] += 1
        changes = _changes(e, p, target, shown, school)
        if changes:
            modify.append({**shown, "changements": changes, "par": by, "_id": e["id"],
                           "_target": target, "_pupil": p})
        else:
            inchanges += 1
    return add, modify, inchanges, found_by


def _message(nb_pupils: int, n_classes: int, pupils: list[dict], rejets: list,
             source: str | None) -> str:
    levels = source_classes(pupils)[1]
    n_mixed = sum(1 for niveaux in levels.values() if len(niveaux) > 1)
    message = (f"{plural(nb_pupils, 'élève trouvé', 'élèves trouvés')}, "
               f"{plural(n_classes, 'classe trouvée', 'classes trouvées')}")
    if n_mixed:
        what = f"classe {source or 'du fichier'}" if len(levels) == 1 else \
            f"classes {source or 'du fichier'}"
        message += (f" ({len(levels)} {what}, dont {n_mixed} à plusieurs niveaux, séparées par "
                    "niveau)")
    if rejets:
        message += f" ; {plural(len(rejets), 'ligne rejetée', 'lignes rejetées')}"
    return message + "."


def matching_message(found_by: dict, nb_new: int) -> str:
    """How the file's pupils were matched with the school's: INE first, then names."""
    return ("Élèves rapprochés de ceux de l'école par l'INE d'abord, puis par le nom et le "
            f"prénom : {plural(found_by['INE'], 'élève retrouvé', 'élèves retrouvés')} par "
            f"l'INE, {plural(found_by['nom'], 'élève retrouvé', 'élèves retrouvés')} par le nom "
            f"et le prénom, {plural(nb_new, 'élève nouveau', 'élèves nouveaux')}.")


def modification_counts(modify: list[dict]) -> dict:
    """``{"detail": [{"changement", "nombre", "texte"}], "message"}``: what the pupils to
    modify change, counted (« 143 INE ajoutés », not a change of class)."""
    counts: dict[str, int] = {}
    for m in modify:
        for change in m["changements"]:
            counts[change] = counts.get(change, 0) + 1
    detail = [{"changement": c, "nombre": counts[c], "texte": plural(counts[c], *words)}
              for c, words in CHANGE_WORDS.items() if c in counts]
    return {"detail": detail, "message": ", ".join(d["texte"] for d in detail)}


def _no_pupil(rejets: list[dict]) -> UserError:
    return UserError(
        "Aucun élève valide dans ce fichier : toutes les lignes sont rejetées "
        f"({plural(len(rejets), 'ligne', 'lignes')}, par exemple ligne {rejets[0]['ligne']} : "
        f"{rejets[0]['raison']}). Vérifiez le fichier et la correspondance des colonnes."
        if rejets else "Aucun élève dans ce fichier.",
        rejets=rejets[:50],
    )


def _public(entries):
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]


def _class_view(c: dict) -> dict:
    return {"key": c["ref"], "nom": c["nouveau_nom"] or c["nom"], "ref": c["ref"],
            "niveau": c["niveau"], "source": c["source"], "action": c["action"],
            "nb_eleves": c["nb_eleves"], "ignorer": c["ignorer"], "id_onde": c["id_onde"],
            **({"ancien_nom": c["nom"]} if c["nouveau_nom"] else {}),
            **({"detail": c["detail"]} if "detail" in c else {})}


def build_plan(conn: sqlite3.Connection, table: Table, mapping=None, choices=None) -> dict:
    """Everything the import would do, as plain data (plus ``_ops`` for ``apply``)."""
    cols = columns(table.headers, mapping)
    if not table.nb_rows:
        raise header_only()
    niveaux = {r["ref"]: dict(r) for r in conn.execute("SELECT * FROM niveau")}
    done = (tuple(sorted(cols.items())), frozenset(niveaux))
    if done not in table.checked:  # the wizard plans the same file again after each choice
        table.checked[done] = read_pupils(table, cols, set(niveaux))
    frame, rejets, rejected = table.checked[done]
    rejets = list(rejets)  # completed below: the checked lines stay as they are
    frame, ambigus, file_ambiguous = drop_duplicates(frame, rejets)
    if frame.empty:
        raise _no_pupil(rejets)
    pupils = records(frame)
    classes = plan_classes(conn, pupils, niveaux)
    by_ref = {c["ref"]: c for c in classes.values()}
    apply_choices(by_ref, choices)
    school = _School(conn, niveaux)
    # A pupil whose line is rejected is in the file, only unreadable: never deactivated.
    protected = school.known(file_ambiguous | rejected)
    add, modify, inchanges, found_by = _match_pupils(pupils, classes, school, protected,
                                                     ambigus)
    ignored_ids = {c["id"] for c in by_ref.values() if c["ignorer"] and c["id"] is not None}
    deactivate = sorted((
        {"nom": e["nom"], "prenom": e["prenom"], "niveau": school.level.get(e["classe_id"], ""),
         "classe": school.label(e["classe_id"]), "_id": e["id"]}
        for e in school.pupils
        if e["actif"] and e["id"] not in protected and e["classe_id"] not in ignored_ids),
        key=lambda d: collation.name_key(d["nom"], d["prenom"]))
    removed_classes_fate(by_ref, school.pupils, {m["_id"] for m in modify})
    activate = sorted(
        {c["niveau"] for c in by_ref.values() if c["action"] != "retirer" and not c["ignorer"]},
        key=lambda r: niveaux[r]["ordre"])
    activate = [r for r in activate if not niveaux[r]["actif"]]
    order = {"ajouter": 0, "garder": 1, "retirer": 2}
    class_list = sorted(by_ref.values(), key=lambda c: (order[c["action"]],
                                                        niveaux[c["niveau"]]["ordre"], c["nom"]))
    n_classes = sum(1 for c in classes.values() if c["action"] != "retirer")
    return {
        "encoding": table.encoding,
        "separator": SEPARATORS[table.separator],
        "mapping": {f: table.headers[cols[f]] for f in FIELDS},
        "champs_onde": [f for f in ("ine", "naissance", "sexe", "id_onde") if f in cols],
        "nb_eleves": len(pupils),
        "nb_classes": n_classes,
        "message": _message(len(pupils), n_classes, pupils, rejets, table.source),
        "source": table.source,
        "appariement": {"par_ine": found_by["INE"], "par_nom": found_by["nom"],
                        "message": matching_message(found_by, len(add))},
        "modifications": modification_counts(modify),
        "rejets": rejets,
        "niveaux_a_activer": activate,
        "classes": [_class_view(c) for c in class_list],
        "eleves": {"ajouter": _public(add), "modifier": _public(modify),
                   "desactiver": _public(deactivate), "ambigus": ambigus,
                   "inchanges": inchanges},
        "_ops": {"classes": class_list, "add": add, "modify": modify, "deactivate": deactivate,
                 "activate": [niveaux[r]["id"] for r in activate]},
    }
