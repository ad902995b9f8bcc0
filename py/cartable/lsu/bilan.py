"""The bilan de fin de cycle 2 (socle 2016): storage, the positioning grid, progress.

A CE2 pupil's bilan is a position on each of the 8 composantes (``socle2016``) and a synthèse,
saved with its date and author(s) (tables ``bilan_cycle``, ``bilan_position``, ``bilan_auteur``,
docs/SCHOOL_FILE.md). It is *complete* — exportable to LSU — when the 8 composantes are
positioned and the synthèse is not blank.

The grid (pupils × composantes) is edited as a ``Draft`` kept in the caller's session, like the
validation grid: a cell click cycles through ``socle2016.CYCLE`` (no position → 1 → 2 → 3 → 4 →
dispensé → no position); an arrow (a whole pupil, a whole composante) has its own state, starting
at 1: a click sets every cell it covers to that state, then advances it the same way.
"Annuler" takes back the last clicks and arrows (``Draft.undo``, ``UNDO_LIMIT``), as in the
validation grid; ``lsu/bilan_words.py`` says in French what an arrow's next click will do.
``save`` writes the pupils that changed, signed by the caller, dated today.
"""

from __future__ import annotations

import datetime
import re
import sqlite3
from dataclasses import dataclass, field

from cartable import db
from cartable.errors import UserError
from cartable.lsu import socle2016
from cartable.school.letterhead import get_identity
from cartable.text import plural, saved_message

CYCLE = socle2016.CYCLE_BILAN
Key = tuple[int, str]  # (eleve_id, composante code)

_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")  # LSU: line breaks are best avoided
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def millesime(day: datetime.date) -> str:
    """LSU's millésime: the first year of the school year (June 2026 -> "2025")."""
    return str(day.year if day.month >= 8 else day.year - 1)


def clean_synthese(text) -> str:
    """A synthèse as stored and exported: one paragraph (line breaks become spaces), trimmed,
    at most ``SYNTHESE_MAX`` characters (else a French UserError)."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise UserError("La synthèse doit être un texte.")
    text = _CONTROL.sub("", _BREAKS.sub(" ", text)).strip()
    if len(text) > socle2016.SYNTHESE_MAX:
        raise UserError(f"La synthèse compte {len(text)} caractères : LSU en accepte au plus "
                        f"{socle2016.SYNTHESE_MAX}. Raccourcissez-la.")
    return text


# -- stored bilans ----------------------------------------------------------------------------


@dataclass
class Bilan:
    eleve_id: int
    millesime: str
    synthese: str
    date_creation: str
    date_verrou: str
    origine: str
    positions: dict[str, int] = field(default_factory=dict)
    auteurs: list[dict] = field(default_factory=list)  # {civilite, nom, prenom, utilisateur_id}

    @property
    def complete(self) -> bool:
        return len(self.positions) == len(socle2016.CODES) and bool(self.synthese.strip())

    def auteurs_text(self) -> str:
        return ", ".join(person_text(a) for a in self.auteurs)


def person_text(p: dict) -> str:
    civ = {"M": "M.", "MME": "Mme"}.get(p.get("civilite") or "", "")
    return " ".join(x for x in (civ, p["prenom"], p["nom"]) if x)


def _in(ids) -> str:
    return ",".join("?" * len(ids))


def load(conn: sqlite3.Connection, eleve_ids: list[int]) -> dict[int, Bilan]:
    """The stored bilans of ``eleve_ids``. An author who is still an account is given the
    account's current civilité and name (corrected after saving, e.g. a civilité added)."""
    out: dict[int, Bilan] = {}
    ids = list(eleve_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for r in conn.execute(
            "SELECT eleve_id, millesime, synthese, date_creation, date_verrou, origine "
            f"FROM bilan_cycle WHERE cycle = {CYCLE} AND eleve_id IN ({_in(chunk)})", chunk,
        ):
            out[r[0]] = Bilan(*tuple(r))
        for eid, code, pos in conn.execute(
            f"SELECT eleve_id, composante, position FROM bilan_position WHERE cycle = {CYCLE} "
            f"AND eleve_id IN ({_in(chunk)})", chunk,
        ):
            out[eid].positions[code] = pos
        for r in conn.execute(
            "SELECT a.eleve_id, a.utilisateur_id, coalesce(u.civilite, a.civilite), "
            "coalesce(u.nom, a.nom), coalesce(u.prenom, a.prenom) FROM bilan_auteur a "
            "LEFT JOIN utilisateur u ON u.id = a.utilisateur_id "
            f"WHERE a.cycle = {CYCLE} AND a.eleve_id IN ({_in(chunk)}) ORDER BY a.eleve_id, a.rang",
            chunk,
        ):
            out[r[0]].auteurs.append(
                {"utilisateur_id": r[1], "civilite": r[2], "nom": r[3], "prenom": r[4]})
    return out


def write(conn: sqlite3.Connection, bilan: Bilan) -> None:
    """Replace the pupil's bilan by ``bilan`` (inside the caller's transaction)."""
    delete(conn, bilan.eleve_id)
    conn.execute(
        "INSERT INTO bilan_cycle (eleve_id, cycle, millesime, synthese, date_creation, "
        "date_verrou, origine) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (bilan.eleve_id, CYCLE, bilan.millesime, bilan.synthese, bilan.date_creation,
         bilan.date_verrou, bilan.origine),
    )
    conn.executemany(
        "INSERT INTO bilan_position (eleve_id, cycle, composante, position) VALUES (?, ?, ?, ?)",
        [(bilan.eleve_id, CYCLE, code, pos) for code, pos in bilan.positions.items()],
    )
    conn.executemany(
        "INSERT INTO bilan_auteur (eleve_id, cycle, rang, utilisateur_id, civilite, nom, prenom)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(bilan.eleve_id, CYCLE, rang, a.get("utilisateur_id"), a["civilite"], a["nom"],
          a["prenom"]) for rang, a in enumerate(bilan.auteurs)],
    )


def delete(conn: sqlite3.Connection, eleve_id: int) -> None:
    conn.execute("DELETE FROM bilan_cycle WHERE eleve_id = ? AND cycle = ?", (eleve_id, CYCLE))


def author(conn: sqlite3.Connection, user_id: int, nom: str, prenom: str) -> dict:
    """Who saves a bilan: the account ``user_id``'s civilité, nom and prénom; the command
    line's director of a school without an account (no such row): ``nom`` and ``prenom``."""
    row = conn.execute("SELECT civilite, nom, prenom FROM utilisateur WHERE id = ?",
                       (user_id,)).fetchone()
    if row is None:
        return {"utilisateur_id": None, "civilite": "", "nom": nom, "prenom": prenom}
    return {"utilisateur_id": user_id, **dict(row)}


# -- classes ----------------------------------------------------------------------------------


def ce2_classes(conn: sqlite3.Connection, allowed: set[int] | None = None) -> list[dict]:
    """Classes of niveau CE2 (the bilan de fin de cycle 2), those in ``allowed`` (None: all)."""
    rows = conn.execute(
        "SELECT c.id, c.nom, c.ref, n.ref AS niveau, (SELECT count(*) FROM eleve e "
        "WHERE e.classe_id = c.id AND e.actif = 1) AS nb_eleves FROM classe c "
        "JOIN niveau n ON n.id = c.niveau_id WHERE n.ref = ? ORDER BY c.nom COLLATE FR, c.id",
        (socle2016.NIVEAU_BILAN,),
    )
    return [dict(r) for r in rows if allowed is None or r["id"] in allowed]


def class_pupils(conn: sqlite3.Connection, classe_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT id, nom, prenom, ine FROM eleve WHERE classe_id = ? AND actif = 1 "
        "ORDER BY nom COLLATE FR, prenom COLLATE FR, id", (classe_id,),
    ).fetchall()


def progress(conn: sqlite3.Connection, allowed: set[int] | None = None) -> dict:
    """For the home page: per CE2 class, pupils with a bilan begun and complete."""
    classes = []
    for c in ce2_classes(conn, allowed):
        ids = [r["id"] for r in class_pupils(conn, c["id"])]
        bilans = load(conn, ids)
        classes.append({"id": c["id"], "nom": c["nom"], "nb_eleves": len(ids),
                        "nb_commences": len(bilans),
                        "nb_complets": sum(b.complete for b in bilans.values())})
    total = sum(c["nb_eleves"] for c in classes)
    done = sum(c["nb_complets"] for c in classes)
    return {"classes": classes, "nb_eleves": total, "nb_complets": done,
            "pourcentage": round(100 * done / total) if total else 0}


# -- the grid ---------------------------------------------------------------------------------


def arrow_key(kind: str, what) -> str:
    return f"{kind}:{what}"


UNDO_LIMIT = 50  # clicks and arrows that "Annuler" can take back, most recent first


@dataclass
class UndoStep:
    """One click as it can be taken back: the cells it changed with their previous position,
    the arrow it advanced with its previous state (or None), and the click in words."""

    cells: dict[Key, int | None]
    arrow: tuple[str, int | None] | None
    label: str


@dataclass
class Draft:
    classe: dict
    eleves: list[dict]
    saved: dict[int, Bilan]
    cells: dict[Key, int] = field(default_factory=dict)
    syntheses: dict[int, str] = field(default_factory=dict)
    arrows: dict[str, int | None] = field(default_factory=dict)
    history: list[UndoStep] = field(default_factory=list)

    def __post_init__(self):
        self.eleve_ids = [e["id"] for e in self.eleves]
        for eid, b in self.saved.items():
            for code, pos in b.positions.items():
                self.cells[(eid, code)] = pos
            self.syntheses[eid] = b.synthese

    def _saved_cells(self, eid: int) -> dict[str, int]:
        b = self.saved.get(eid)
        return b.positions if b else {}

    def pupil_cells(self, eid: int) -> dict[str, int]:
        return {c: self.cells[(eid, c)] for c in socle2016.CODES if (eid, c) in self.cells}

    def is_dirty(self, eid: int) -> bool:
        b = self.saved.get(eid)
        return (self.pupil_cells(eid) != self._saved_cells(eid)
                or self.syntheses.get(eid, "") != (b.synthese if b else ""))

    def dirty(self) -> list[int]:
        return [e for e in self.eleve_ids if self.is_dirty(e)]

    def state(self, eid: int) -> dict:
        n = len(self.pupil_cells(eid))
        return {"positionnes": n, "complet": n == len(socle2016.CODES)
                and bool(self.syntheses.get(eid, "").strip()), "modifie": self.is_dirty(eid)}

    def covered(self, target: dict) -> tuple[list[Key], str | None]:
        """The cells a click on ``target`` covers and its arrow key (None for a cell), or a
        French UserError for a target not in the grid."""
        kind = target.get("kind")
        eid, code = target.get("eleve_id"), target.get("code")
        if kind == "cell" and eid in self.eleve_ids and code in socle2016.CODES:
            return [(eid, code)], None
        if kind == "eleve" and eid in self.eleve_ids:
            return [(eid, c) for c in socle2016.CODES], arrow_key("eleve", eid)
        if kind == "composante" and code in socle2016.CODES:
            return [(e, code) for e in self.eleve_ids], arrow_key("composante", code)
        raise UserError("Cette case n'est pas dans le tableau affiché. Rechargez le tableau.")

    def arrow_state(self, arrow: str) -> int | None:
        """What the arrow's next click sets its cells to."""
        return self.arrows.get(arrow, socle2016.ARROW_START)

    def would_change(self, keys: list[Key], value: int | None) -> list[Key]:
        return [k for k in keys if self.cells.get(k) != value]

    def click(self, target: dict, label: str = "") -> dict[Key, int | None]:
        """Apply a click on ``{"kind": "cell", "eleve_id", "code"}``, ``{"kind": "eleve",
        "eleve_id"}`` or ``{"kind": "composante", "code"}``; return the cells that changed.
        The click is remembered (``label``: the click in words) for ``undo``."""
        keys, arrow = self.covered(target)
        if arrow is None:
            changed = {keys[0]: socle2016.next_position(self.cells.get(keys[0]))}
        else:
            state = self.arrow_state(arrow)
            changed = dict.fromkeys(self.would_change(keys, state), state)
        before = {k: self.cells.get(k) for k in changed}
        for k, v in changed.items():
            self._set(k, v)
        if arrow is not None:
            self.history.append(UndoStep(before, (arrow, self.arrow_state(arrow)), label))
            self.arrows[arrow] = socle2016.next_position(self.arrow_state(arrow))
        else:
            self.history.append(UndoStep(before, None, label))
        del self.history[:-UNDO_LIMIT]
        return changed

    def undo(self) -> tuple[dict[Key, int | None], str | None]:
        """Take back the last click: the cells restored (with their position) and the arrow
        whose state was restored (or None). Nothing to undo: ``({}, None)``."""
        if not self.history:
            return {}, None
        step = self.history.pop()
        for k, v in step.cells.items():
            self._set(k, v)
        if step.arrow is None:
            return dict(step.cells), None
        key, state = step.arrow
        if state == socle2016.ARROW_START:
            self.arrows.pop(key, None)
        else:
            self.arrows[key] = state
        return dict(step.cells), key

    def _set(self, key: Key, value: int | None) -> None:
        if value is None:
            self.cells.pop(key, None)
        else:
            self.cells[key] = value

    def grid(self) -> dict:
        arrows = {arrow_key("eleve", e): socle2016.ARROW_START for e in self.eleve_ids}
        arrows.update({arrow_key("composante", c): socle2016.ARROW_START
                       for c in socle2016.CODES})
        arrows.update(self.arrows)
        return {
            "classe": self.classe,
            "socle": socle2016.as_json(),
            "eleves": self.eleves,
            "cells": {f"{e}:{c}": v for (e, c), v in self.cells.items()},
            "syntheses": {str(e): t for e, t in self.syntheses.items() if t},
            "bilans": {str(e): {"date_creation": b.date_creation, "auteurs": b.auteurs_text(),
                                "origine": b.origine} for e, b in self.saved.items()},
            "etat": {str(e): self.state(e) for e in self.eleve_ids},
            "arrows": arrows,
            "dirty": len(self.dirty()),
        }


def build_draft(conn: sqlite3.Connection, classe_id: int) -> Draft:
    row = conn.execute(
        "SELECT c.id, c.nom, c.ref, n.ref AS niveau FROM classe c JOIN niveau n "
        "ON n.id = c.niveau_id WHERE c.id = ?", (classe_id,),
    ).fetchone()
    if row is None or row["niveau"] != socle2016.NIVEAU_BILAN:
        raise UserError(
            f"Le bilan de fin de cycle 2 se remplit pour les classes de "
            f"{socle2016.NIVEAU_BILAN} : choisissez une classe de {socle2016.NIVEAU_BILAN}."
        )
    eleves = [{"id": r["id"], "nom": r["nom"], "prenom": r["prenom"], "ine": r["ine"]}
              for r in class_pupils(conn, classe_id)]
    saved = load(conn, [e["id"] for e in eleves])
    return Draft(classe=dict(row, nb_eleves=len(eleves)), eleves=eleves, saved=saved)


def _position(value) -> bool:
    return type(value) is int and value in socle2016.POSITIONS


def to_plain(draft: Draft) -> dict | None:
    """The draft's unsaved changes as plain data (kept by the browser across a reload, and
    across an expired session); None when nothing changed."""
    dirty = draft.dirty()
    if not dirty:
        return None
    return {"version": 1, "classe_id": draft.classe["id"],
            "eleves": {str(e): {"cells": draft.pupil_cells(e),
                                "synthese": draft.syntheses.get(e, "")} for e in dirty},
            "arrows": {k: v for k, v in draft.arrows.items() if v != socle2016.ARROW_START}}


def restore(draft: Draft, plain: dict) -> None:
    """Re-apply ``to_plain``'s changes to a fresh draft; pupils no longer in the class, unknown
    composantes, bad positions and unreadable synthèses are ignored (saved state kept)."""
    pupils = plain.get("eleves") if isinstance(plain.get("eleves"), dict) else {}
    for key, change in pupils.items():
        eid = int(key) if str(key).isdigit() else None
        if eid not in draft.eleve_ids or not isinstance(change, dict):
            continue
        try:
            synthese = clean_synthese(change.get("synthese", ""))
        except UserError:
            continue
        cells = change.get("cells") if isinstance(change.get("cells"), dict) else {}
        for code in socle2016.CODES:
            value = cells.get(code)
            draft._set((eid, code), value if _position(value) else None)
        draft.syntheses[eid] = synthese
    arrows = plain.get("arrows") if isinstance(plain.get("arrows"), dict) else {}
    keys = {arrow_key("eleve", e) for e in draft.eleve_ids}
    keys |= {arrow_key("composante", c) for c in socle2016.CODES}
    for key, value in arrows.items():
        if key in keys and (value is None or _position(value)):
            draft.arrows[key] = value


def set_synthese(draft: Draft, eleve_id: int, text) -> dict:
    if eleve_id not in draft.eleve_ids:
        raise UserError("Cet élève n'est pas dans le tableau affiché. Rechargez le tableau.")
    draft.syntheses[eleve_id] = clean_synthese(text)
    return {"eleve_id": eleve_id, "longueur": len(draft.syntheses[eleve_id]),
            "etat": draft.state(eleve_id), "dirty": len(draft.dirty())}


def _merged(draft: Draft, eid: int, theirs: Bilan | None) -> tuple[dict[str, int], str]:
    """One pupil's positions and synthèse to write: the bilan as it is in the database now
    (saved meanwhile by a colleague or an import) with only what this draft changed since it was
    loaded applied on top, cell by cell — as the item grid does; a cell changed on both sides
    takes this draft's value (the later save)."""
    base = draft.saved.get(eid)
    base_cells, mine = draft._saved_cells(eid), draft.pupil_cells(eid)
    positions = dict(theirs.positions) if theirs else {}  # deleted meanwhile: nothing
    for code in socle2016.CODES:
        if mine.get(code) != base_cells.get(code):
            if code in mine:
                positions[code] = mine[code]
            else:
                positions.pop(code, None)
    synthese = draft.syntheses.get(eid, "")
    if synthese == (base.synthese if base else ""):  # not changed here: the database's
        synthese = theirs.synthese if theirs is not None else ""
    return positions, synthese


def save(conn: sqlite3.Connection, draft: Draft, author: dict, now: datetime.datetime) -> dict:
    """Write the changed pupils' bilans (one transaction), each merged with the database as it
    is now (``_merged``), signed by ``author`` ({utilisateur_id, civilite, nom, prenom}) and
    dated ``now``. A pupil left with nothing loses his bilan."""
    dirty = draft.dirty()
    active = {r["id"] for r in class_pupils(conn, draft.classe["id"])}
    gone = [e for e in dirty if e not in active]
    if gone:
        raise UserError("Un élève du tableau a changé de classe ou quitté l'école entre-temps : "
                        "rechargez le tableau (vos positionnements ne sont pas enregistrés).")
    written = removed = 0
    with db.transaction(conn):
        current = load(conn, dirty)
        for eid in dirty:
            positions, synthese = _merged(draft, eid, current.get(eid))
            if not positions and not synthese:
                delete(conn, eid)
                removed += 1
                continue
            write(conn, Bilan(eid, millesime(now.date()), synthese, now.date().isoformat(),
                              now.isoformat(timespec="seconds"), "saisie", positions, [author]))
            written += 1
    message = saved_message("Bilan", written, removed)
    return {"enregistres": written, "effaces": removed, "message": message}


# -- the printed bilan (families) -------------------------------------------------------------


def printable(conn: sqlite3.Connection, classe_id: int, tous: bool = False) -> dict:
    """A CE2 class's bilans as printed for the families: one page per pupil, only the pupils
    whose bilan is complete unless ``tous`` (then every pupil of the class)."""
    identity = get_identity(conn)
    classe = conn.execute("SELECT nom FROM classe WHERE id = ?", (classe_id,)).fetchone()
    rows = conn.execute(
        "SELECT id, nom, prenom, date_naissance FROM eleve WHERE classe_id = ? AND actif = 1 "
        "ORDER BY nom COLLATE FR, prenom COLLATE FR, id", (classe_id,),
    ).fetchall()
    saved = load(conn, [r["id"] for r in rows])
    eleves = []
    for r in rows:
        b = saved.get(r["id"])
        positions = b.positions if b else {}
        eleves.append({
            "id": r["id"], "nom": r["nom"], "prenom": r["prenom"],
            "date_naissance": r["date_naissance"],
            "composantes": [{"code": c.code, "nom": c.nom, "position": positions.get(c.code),
                             "position_nom": socle2016.position_name(positions.get(c.code))}
                            for c in socle2016.COMPOSANTES],
            "synthese": b.synthese if b else "",
            "date": b.date_creation if b else None,
            "auteurs": b.auteurs_text() if b else "",
            "complet": bool(b and b.complete),
        })
    d = identity["directeur"]
    complets = sum(e["complet"] for e in eleves)
    return {"ecole": {"nom": identity["nom"], "uai": identity["uai"]},
            "directeur": person_text(d) if d else "", "classe": classe["nom"],
            "titre": "Bilan de fin de cycle 2 (cycle des apprentissages fondamentaux)",
            "positions": socle2016.as_json()["positions"], "tous": bool(tous),
            "nb_eleves": len(eleves), "nb_complets": complets,
            "resume": print_summary(len(eleves), complets, bool(tous)),
            "eleves": eleves if tous else [e for e in eleves if e["complet"]]}


def print_summary(total: int, complets: int, tous: bool) -> str:
    """What the printed set holds, in French (shown above the pages, not printed)."""
    left = total - complets
    if tous:
        return (f"Tous les élèves de la classe sont imprimés ({plural(total, 'page', 'pages')}), "
                f"y compris {plural(left, 'bilan incomplet', 'bilans incomplets')}.")
    if not complets:
        return ("Aucun bilan complet à imprimer : un bilan est complet quand les 8 composantes "
                "sont positionnées et la synthèse écrite. Complétez les bilans, ou imprimez "
                "tous les élèves.")
    text = f"{plural(complets, 'bilan complet', 'bilans complets')} à imprimer"
    if left:
        text += " ; " + plural(left, "élève au bilan incomplet n'est pas imprimé",
                               "élèves aux bilans incomplets ne sont pas imprimés")
    return text + "."
