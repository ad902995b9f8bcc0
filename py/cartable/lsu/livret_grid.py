"""The livret screen's grid: one class and one period, pupils × rubriques of each pupil's cycle.

Edited as a ``Draft`` kept in the caller's session, like the item grid and the bilan de fin de
cycle: a cell click cycles through ``domaines.CYCLE`` (empty → 1 → 2 → 3 → 4 → non évalué →
empty), or sets a value (the keyboard); an arrow (a whole pupil, a whole rubrique) has its own
state, starting at 1: a click sets every cell it covers to that state, then advances it the same
way; ``undo`` takes back the last click (50 kept). The per-pupil texts (appréciations, parcours,
modalités, socle, the pupil's own éléments) change the draft too. ``save`` writes the pupils
that changed, signed by the caller and dated now; a pupil left with nothing loses his bilan.
"""

from __future__ import annotations

import copy
import datetime
import sqlite3
from dataclasses import dataclass, field

from cartable import db
from cartable.errors import UserError
from cartable.lsu import domaines as D
from cartable.lsu import livret, socle2016
from cartable.lsu.periodes import Periode
from cartable.text import de, saved_message

Key = tuple[int, str]  # (eleve_id, rubrique code)
HISTORY = 50
GRID = "livret"  # the session's draft of this grid (Session.draft, commands/livret.py)
ACTIONS = {1: "Tout positionner à 1 (non atteints)", 2: "Tout positionner à 2 (partiellement "
           "atteints)", 3: "Tout positionner à 3 (atteints)", 4: "Tout positionner à 4 "
           "(dépassés)", D.NON_EVALUE: "Tout mettre en « non évalué »", None: "Tout effacer"}
STALE = "Cette case n'est pas dans le tableau affiché. Rechargez le tableau."


def class_pupils(conn: sqlite3.Connection, classe_id: int) -> list[dict]:
    rows = conn.execute(
        "SELECT e.id, e.nom, e.prenom, e.ine, n.ref AS niveau FROM eleve e JOIN classe c "
        "ON c.id = e.classe_id JOIN niveau n ON n.id = c.niveau_id WHERE e.classe_id = ? AND "
        "e.actif = 1 ORDER BY e.nom COLLATE FR, e.prenom COLLATE FR, e.id", (classe_id,))
    return [{"id": r["id"], "nom": r["nom"], "prenom": r["prenom"], "ine": r["ine"],
             "cycle": D.cycle_of(r["niveau"])} for r in rows]


@dataclass
class Draft:
    classe: dict
    periode: Periode
    eleves: list[dict]
    saved: dict[int, livret.Bilan]
    livret_classe: livret.Classe
    work: dict[int, livret.Bilan] = field(default_factory=dict)
    arrows: dict[str, int | None] = field(default_factory=dict)
    history: list[tuple[dict[Key, int | None], str | None, object, str]] = field(
        default_factory=list)

    def __post_init__(self):
        self.cycle = {e["id"]: e["cycle"] for e in self.eleves}
        for e in self.eleves:
            b = self.saved.get(e["id"])
            self.work[e["id"]] = copy.deepcopy(b) if b else livret.Bilan(e["id"],
                                                                         self.periode.id)

    # -- cells ------------------------------------------------------------------------------

    def position(self, key: Key) -> int | None:
        a = self.work[key[0]].acquis.get(key[1])
        return a.position if a else None

    def _set(self, key: Key, value: int | None) -> None:
        self.work[key[0]].acquis.setdefault(key[1], livret.Acquis()).position = value

    def _keys(self, target: dict) -> tuple[list[Key], str | None]:
        kind, eid, code = target.get("kind"), target.get("eleve_id"), target.get("code")
        if kind == "cell" and self.cycle.get(eid) and code in D.rubriques(self.cycle[eid]):
            return [(eid, code)], None
        if kind == "eleve" and self.cycle.get(eid):
            return [(eid, c) for c in D.rubriques(self.cycle[eid])], f"eleve:{eid}"
        if kind == "rubrique" and isinstance(code, str):
            keys = [(e, code) for e, cy in self.cycle.items() if cy and code in D.rubriques(cy)]
            if keys:
                return keys, f"rubrique:{code}"
        raise UserError(STALE)

    def click(self, target: dict) -> dict[Key, int | None]:
        """Apply a click; return the cells that changed. ``target["valeur"]`` (a cell only: 1–4,
        0 non évalué, None) sets the value instead of cycling (the keyboard)."""
        keys, arrow = self._keys(target)
        if arrow is None:
            key = keys[0]
            if "valeur" in target:
                new = target["valeur"]
                if not D.is_position(new):
                    raise UserError("Positionnement invalide : 1 à 4, non évalué, ou vide.")
            else:
                new = D.next_position(self.position(key))
            changed = {key: new} if self.position(key) != new else {}
            label = f"{self.pupil_name(key[0])}, {D.label(key[1])}"
            previous_arrow = None
        else:
            state = self.arrows.get(arrow, D.ARROW_START)
            changed = {k: state for k in keys if self.position(k) != state}
            label = self.arrow_label(arrow)
            previous_arrow = state
            self.arrows[arrow] = D.next_position(state)
        before = {k: self.position(k) for k in changed}
        for k, v in changed.items():
            self._set(k, v)
        self.history = (self.history + [(before, arrow, previous_arrow, label)])[-HISTORY:]
        return changed

    def undo(self) -> tuple[dict[Key, int | None], str | None]:
        if not self.history:
            raise UserError("Il n'y a rien à annuler depuis le dernier enregistrement.")
        before, arrow, previous, _ = self.history.pop()
        for k, v in before.items():
            self._set(k, v)
        if arrow is not None:
            self.arrows[arrow] = previous
        return before, arrow

    # -- words ------------------------------------------------------------------------------

    def pupil_name(self, eid: int) -> str:
        e = next(e for e in self.eleves if e["id"] == eid)
        return f"{e['prenom']} {e['nom']}"

    def arrow_label(self, arrow: str) -> str:
        kind, _, what = arrow.partition(":")
        scope = (f"la ligne {de(self.pupil_name(int(what)))}" if kind == "eleve"
                 else f"la colonne « {D.label(what)} »")
        return f"{ACTIONS[self.arrows.get(arrow, D.ARROW_START)]} : {scope}"

    def arrow_keys(self) -> list[str]:
        codes = {c for cy in set(self.cycle.values()) if cy for c in D.rubriques(cy)}
        return ([f"eleve:{e}" for e, cy in self.cycle.items() if cy]
                + [f"rubrique:{c}" for c in D.rubriques(3) + D.rubriques(2) if c in codes])

    def undo_info(self) -> dict:
        label = self.history[-1][3] if self.history else None
        return {"count": len(self.history), "label": f"Annuler : {label}" if label else None}

    # -- state ------------------------------------------------------------------------------

    def is_dirty(self, eid: int) -> bool:
        b, w = self.saved.get(eid), self.work[eid]
        return w.content() != b.content() if b else not w.is_empty()

    def dirty(self) -> list[int]:
        return [e["id"] for e in self.eleves if self.is_dirty(e["id"])]

    def state(self, eid: int) -> dict:
        w, cy = self.work[eid], self.cycle[eid]
        manques = livret.missing(w if not w.is_empty() else None, self.livret_classe, cy)
        if self.is_dirty(eid):  # its authors are the one who saves it (then checked)
            manques = [m for m in manques if "aucun enseignant" not in m and "civilité" not in m]
        n = sum(1 for c in D.rubriques(cy) if self.position((eid, c)) is not None) if cy else 0
        return {"positionnes": n, "rubriques": len(D.rubriques(cy)) if cy else 0,
                "complet": not manques, "manques": manques, "modifie": self.is_dirty(eid)}

    def cells(self) -> dict[str, int]:
        return {f"{eid}:{code}": a.position for eid, w in self.work.items()
                for code, a in w.acquis.items() if a.position is not None}

    def texts(self, eid: int) -> dict:
        w = self.work[eid]
        return {"appreciation_generale": w.appreciation,
                "appreciations": {c: a.appreciation for c, a in w.acquis.items() if a.appreciation},
                "elements": {c: a.elements for c, a in w.acquis.items() if a.elements is not None},
                "parcours": dict(w.parcours), "modalites": dict(w.modalites),
                "socle": dict(w.socle)}

    def grid(self) -> dict:
        arrows = {k: self.arrows.get(k, D.ARROW_START) for k in self.arrow_keys()}
        cycles = sorted({cy for cy in self.cycle.values() if cy})
        return {
            "classe": self.classe, "periode": self.periode.as_json(),
            "cycles": {str(cy): D.as_json(cy) for cy in cycles}, "eleves": self.eleves,
            "elements": self.livret_classe.elements, "parcours": self.livret_classe.parcours,
            "cells": self.cells(), "textes": {str(e): self.texts(e) for e in self.work},
            "bilans": {str(e): {"date_creation": b.date_creation, "origine": b.origine,
                                "auteurs": ", ".join(_person(a) for a in b.auteurs)}
                       for e, b in self.saved.items()},
            "etat": {str(e): self.state(e) for e in self.work},
            "arrows": arrows, "arrow_labels": {k: self.arrow_label(k) for k in arrows},
            "dirty": len(self.dirty()), "undo": self.undo_info(),
        }


def to_plain(draft: Draft) -> dict:
    """The draft's changes as plain data (the browser keeps it across an accidental reload)."""
    pupils = {}
    for eid in draft.dirty():
        w = draft.work[eid]
        pupils[str(eid)] = {"cells": {c: a.position for c, a in w.acquis.items()
                                      if a.position is not None}, "textes": draft.texts(eid)}
    return {"version": 1, "classe_id": draft.classe["id"], "periode_id": draft.periode.id,
            "eleves": pupils, "arrows": {k: v for k, v in draft.arrows.items()
                                         if v != D.ARROW_START}}


def restore(draft: Draft, plain: dict) -> None:
    """Re-apply ``to_plain``'s changes; pupils no longer in the class, rubriques outside a
    pupil's cycle and bad values are ignored (the saved state stays for them)."""
    pupils = plain.get("eleves") if isinstance(plain.get("eleves"), dict) else {}
    for key, change in pupils.items():
        eid = int(key) if str(key).isdigit() else None
        if eid not in draft.work or not draft.cycle.get(eid) or not isinstance(change, dict):
            continue
        saved = draft.saved.get(eid)
        fresh = livret.Bilan(eid, draft.periode.id)
        if saved is not None:  # its dates and authors stay until saved again
            fresh = copy.deepcopy(saved)
            fresh.appreciation, fresh.acquis = "", {}
            fresh.parcours, fresh.modalites, fresh.socle = {}, {}, {}
        draft.work[eid] = fresh
        try:
            set_texts(draft, eid, _texts_values(change.get("textes")))
        except UserError:
            draft.work[eid] = copy.deepcopy(saved) if saved else livret.Bilan(eid,
                                                                              draft.periode.id)
            continue
        cells = change.get("cells") if isinstance(change.get("cells"), dict) else {}
        for code, value in cells.items():
            if code in D.rubriques(draft.cycle[eid]) and D.is_position(value):
                draft._set((eid, code), value)
    arrows = plain.get("arrows") if isinstance(plain.get("arrows"), dict) else {}
    valid = set(draft.arrow_keys())
    draft.arrows.update({k: v for k, v in arrows.items() if k in valid and D.is_position(v)})


TEXT_FIELDS = ("appreciation_generale", "appreciations", "parcours", "modalites", "socle",
               "elements")


def _texts_values(textes) -> dict:
    if not isinstance(textes, dict):
        return {}
    return {k: textes[k] for k in TEXT_FIELDS if k in textes}


def _person(p: dict) -> str:
    civ = {"M": "M.", "MME": "Mme"}.get(p.get("civilite") or "", "")
    return " ".join(x for x in (civ, p["prenom"], p["nom"]) if x)


def build_draft(conn: sqlite3.Connection, classe_id: int, periode: Periode) -> Draft:
    row = conn.execute(
        "SELECT c.id, c.nom, c.ref, n.ref AS niveau FROM classe c JOIN niveau n "
        "ON n.id = c.niveau_id WHERE c.id = ?", (classe_id,)).fetchone()
    if row is None or D.cycle_of(row["niveau"]) is None:
        raise UserError("Le livret scolaire se remplit pour les classes du CP au CM2 : "
                        "choisissez une de ces classes.")
    eleves = class_pupils(conn, classe_id)
    saved = livret.load(conn, [e["id"] for e in eleves], periode.id)
    return Draft(dict(row, cycle=D.cycle_of(row["niveau"]), nb_eleves=len(eleves)), periode,
                 eleves, saved, livret.load_classe(conn, classe_id, periode.id))


# -- per-pupil texts ----------------------------------------------------------------------------


def _codes(value, allowed, what: str) -> dict:
    if not isinstance(value, dict) or any(k not in allowed for k in value):
        bad = next((k for k in value if k not in allowed), "?") if isinstance(value, dict) else "?"
        raise UserError(f"{what} inconnu : « {str(bad)[:20]} ».")
    return value


def set_texts(draft: Draft, eid: int, values: dict) -> dict:
    """Change any of ``appreciation_generale``, ``appreciations`` {domaine: text},
    ``parcours`` {code: text}, ``modalites`` {code: PPRE complement or "" / null to remove},
    ``socle`` {composante: 0..4 or null}, ``elements`` {rubrique: [libellés] or null for the
    class's}. Everything is checked before anything changes."""
    if eid not in draft.work or not draft.cycle.get(eid):
        raise UserError("Cet élève n'est pas dans le tableau affiché. Rechargez le tableau.")
    unknown = sorted(set(values) - set(TEXT_FIELDS))
    if unknown:  # a typo would otherwise change nothing and say it was done
        raise UserError(f"Champ « {str(unknown[0])[:40]} » inconnu : les textes d'un livret sont "
                        + ", ".join(TEXT_FIELDS) + ". Rien n'a été modifié.")
    w = copy.deepcopy(draft.work[eid])
    cy = draft.cycle[eid]
    who = draft.pupil_name(eid)
    if "appreciation_generale" in values:
        w.appreciation = livret.clean_text(values["appreciation_generale"], D.GENERALE_MAX,
                                           f"l'appréciation générale {de(who)}")
    for code, text in _codes(values.get("appreciations", {}),
                             {d.code for d in D.domaines_of(cy)}, "Domaine").items():
        w.acquis.setdefault(code, livret.Acquis()).appreciation = livret.clean_text(
            text, D.APPRECIATION_MAX, f"l'appréciation en {D.label(code)}")
    for code, text in _codes(values.get("parcours", {}), D.PARCOURS, "Parcours").items():
        text = livret.clean_text(text, D.PARCOURS_MAX, f"le commentaire du {D.PARCOURS[code].lower()}")
        w.parcours.pop(code, None) if not text else w.parcours.__setitem__(code, text)
    for code, text in _codes(values.get("modalites", {}), D.MODALITES, "Modalité").items():
        if text is None:
            w.modalites.pop(code, None)
        else:
            w.modalites[code] = livret.clean_text(text, D.PPRE_MAX, "le complément du PPRE") \
                if code == "PPRE" else ""
    for code, pos in _codes(values.get("socle", {}), socle2016.BY_CODE, "Composante").items():
        if pos is None:
            w.socle.pop(code, None)
        elif pos in (0, 1, 2, 3, 4) and not isinstance(pos, bool):
            w.socle[code] = pos
        else:
            raise UserError("Positionnement sur le socle invalide : 1 à 4, ou 0 (dispensé).")
    for code, libs in _codes(values.get("elements", {}), D.rubriques(cy), "Domaine").items():
        w.acquis.setdefault(code, livret.Acquis()).elements = None if libs is None else \
            clean_elements(libs)
    w.modalites = {c: w.modalites[c] for c in D.MODALITES if c in w.modalites}
    w.socle = {c: w.socle[c] for c in socle2016.CODES if c in w.socle}
    draft.work[eid] = w
    return {"eleve_id": eid, "textes": draft.texts(eid), "etat": draft.state(eid),
            "dirty": len(draft.dirty())}


def clean_elements(libs) -> list[str]:
    if not isinstance(libs, list):
        raise UserError("La liste des éléments de programme est invalide.")
    out = []
    for lib in libs:
        text = livret.clean_text(lib, D.ELEMENT_MAX, "un élément de programme")
        if text and text not in out:
            out.append(text)
    return out


def _merge_dict(base: dict, mine: dict, into: dict) -> None:
    for code in set(base) | set(mine):
        if mine.get(code) != base.get(code):
            if code in mine:
                into[code] = copy.deepcopy(mine[code])
            else:
                into.pop(code, None)


def merge(base: livret.Bilan | None, mine: livret.Bilan, theirs: livret.Bilan | None
          ) -> livret.Bilan:
    """What to write for one pupil: the bilan as it is in the database now (``theirs``: saved
    meanwhile by a colleague or an import, or None) with only what this draft changed since it
    was loaded (``base`` -> ``mine``) applied on top — as the item grid writes only the cells
    it touched. A field changed on both sides takes this draft's value (the later save)."""
    base = base or livret.Bilan(mine.eleve_id, mine.periode_id)
    out = copy.deepcopy(theirs) if theirs is not None else livret.Bilan(mine.eleve_id,
                                                                       mine.periode_id)
    if mine.appreciation != base.appreciation:
        out.appreciation = mine.appreciation
    for code in set(base.acquis) | set(mine.acquis):
        b, m = base.acquis.get(code, livret.Acquis()), mine.acquis.get(code, livret.Acquis())
        if (m.position, m.elements, m.appreciation) == (b.position, b.elements, b.appreciation):
            continue
        o = out.acquis.setdefault(code, livret.Acquis())
        for name in ("position", "elements", "appreciation"):
            if getattr(m, name) != getattr(b, name):
                setattr(o, name, copy.deepcopy(getattr(m, name)))
        if o.empty():
            del out.acquis[code]
    for name in ("parcours", "modalites", "socle"):
        _merge_dict(getattr(base, name), getattr(mine, name), getattr(out, name))
    return out


def save(conn: sqlite3.Connection, draft: Draft, author: dict, now: datetime.datetime) -> dict:
    """Write the pupils this draft changed (one transaction), each merged with the database as
    it is now (``merge``), signed by ``author`` and dated ``now``."""
    dirty = draft.dirty()
    if dirty and conn.execute("SELECT 1 FROM periode WHERE id = ?",
                              (draft.periode.id,)).fetchone() is None:
        raise UserError("Les périodes de l'année ont été modifiées entre-temps (menu « Périodes ») "
                        f"et « {draft.periode.nom} » n'existe plus : vos changements ne sont pas "
                        "enregistrés. Notez-les, puis rouvrez le livret sur la bonne période.")
    active = {e["id"] for e in class_pupils(conn, draft.classe["id"])}
    if any(e not in active for e in dirty):
        raise UserError("Un élève du tableau a changé de classe ou quitté l'école entre-temps : "
                        "rechargez le tableau (vos changements ne sont pas enregistrés).")
    written = removed = 0
    with db.transaction(conn):
        current = livret.load(conn, dirty, draft.periode.id)
        for eid in dirty:
            w = merge(draft.saved.get(eid), draft.work[eid], current.get(eid))
            if w.is_empty():
                livret.delete(conn, eid, draft.periode.id)
                removed += 1
                continue
            w.date_creation = now.date().isoformat()
            w.date_verrou = now.isoformat(timespec="seconds")
            w.origine, w.auteurs = "saisie", [author]
            livret.write(conn, w)
            written += 1
    message = saved_message("Livret", written, removed)
    return {"enregistres": written, "effaces": removed, "message": message}
