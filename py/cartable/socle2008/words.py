"""The validation grid in words: what an arrow's next click will do, what a click undoes,
what saving will lock. French sentences for tooltips, accessible names and the confirmation
dialog; the rules themselves are in ``grid``.
"""

from __future__ import annotations

from cartable.socle2008 import grid
from cartable.socle2008.grid import COMPETENCES, Draft, Key, Target
from cartable.text import de

# What an arrow in each state does on its next click.
ACTIONS = {1: "Valider tout", 0: "Invalider tout", None: "Effacer tout"}
NAME_MAX = 60

LOCK_MESSAGE_TEACHER = (
    "Une compétence validée est définitive : une fois enregistrée, seul le directeur ou la "
    "directrice pourra annuler cette validation."
)
LOCK_MESSAGE_DIRECTOR = (
    "Une compétence validée est définitive pour les professeurs : une fois enregistrée, seul "
    "le compte du directeur ou de la directrice, le vôtre, pourra annuler cette validation."
)


# The grid's own sentences, sent with every grid reply (``grid_texts``) for the page to show.
HELP = (
    "Un clic sur une case la fait passer de ? à ✓, puis ✗, puis ?. Les flèches règlent toute "
    "une colonne, une ligne ou tout le domaine (1er clic : tout valider, 2e : tout invalider, "
    "3e : tout effacer). Au clavier : flèches pour se déplacer, Espace ou Entrée pour changer."
)
LOCK_HELP_DIRECTOR = (
    "Une compétence validée est verrouillée pour les professeurs ; vous pouvez annuler une "
    "validation en cliquant sur la case."
)
LOCK_HELP_TEACHER = (
    "Une compétence validée est verrouillée (« verrouillé ») : seul le directeur peut annuler "
    "cette validation."
)
LOCKED_WORD = "verrouillé"
LOCKED_TOOLTIP = "verrouillé : seul le directeur peut annuler cette validation"


def grid_texts(draft: Draft, is_director: bool) -> dict:
    """``{"aide", "verrou", "verrouille", "verrouille_titre"}``: the click cycle's help, the
    lock sentence for the caller's role (compétences only, else None), and the word and
    tooltip of a locked cell."""
    lock = None
    if draft.level == COMPETENCES:
        lock = LOCK_HELP_DIRECTOR if is_director else LOCK_HELP_TEACHER
    return {"aide": HELP, "verrou": lock, "verrouille": LOCKED_WORD,
            "verrouille_titre": LOCKED_TOOLTIP}


def short(text: str) -> str:
    return text if len(text) <= NAME_MAX else text[:NAME_MAX - 1].rstrip() + "…"


def _pupil(draft: Draft, eleve_id: int) -> str:
    e = next((e for e in draft.eleves if e["id"] == eleve_id), None)
    return f"{e['prenom']} {e['nom']}" if e else f"l'élève {eleve_id}"


def _domaine(draft: Draft, domaine_id: int) -> str:
    d = next((d for d in draft.domaines if d["id"] == domaine_id), None)
    return short(d["nom"]) if d else str(domaine_id)


def row_name(draft: Draft, row_id: int) -> str:
    for d in draft.domaines:
        for row in d["rows"]:
            if row["id"] == row_id:
                return f"Compétence {row['ref']}" if draft.level == COMPETENCES \
                    else short(row["nom"])
    return str(row_id)


def target_of(key: str) -> Target:
    """The arrow of an arrow key (``column:<domaine>:<eleve>``, ``row:<row>``,
    ``domaine:<domaine>``)."""
    kind, *ids = key.split(":")
    if kind == "column":
        return Target("column", eleve_id=int(ids[1]), domaine_id=int(ids[0]))
    if kind == "row":
        return Target("row", row_id=int(ids[0]))
    return Target("domaine", domaine_id=int(ids[0]))


def scope(draft: Draft, target: Target) -> str:
    """What a click covers: "la colonne de Léa DUPONT (domaine « Dire »)"…"""
    items = draft.level != COMPETENCES
    if target.kind == "cell":
        return (f"la case {de(_pupil(draft, target.eleve_id))}, "
                f"« {row_name(draft, target.row_id)} »")
    if target.kind == "column":
        where = f" (domaine « {_domaine(draft, target.domaine_id)} »)" if items else ""
        return f"la colonne {de(_pupil(draft, target.eleve_id))}{where}"
    if target.kind == "row":
        return f"la ligne « {row_name(draft, target.row_id)} »"
    if items:
        return f"tout le domaine « {_domaine(draft, target.domaine_id)} »"
    return "tout le tableau"


def arrow_label(draft: Draft, key: str) -> str:
    """"Valider tout : la colonne de Léa DUPONT (domaine « Dire »)"."""
    state = draft.arrows.get(key, grid.ARROW_START)
    return f"{ACTIONS[state]} : {scope(draft, target_of(key))}"


def arrow_labels(draft: Draft, keys=None) -> dict[str, str]:
    keys = draft.layout.arrow_keys() if keys is None else keys
    return {k: arrow_label(draft, k) for k in keys}


def undo_info(draft: Draft) -> dict:
    """``{"count", "label"}``: how many actions can be undone, and the last one in words."""
    if not draft.history:
        return {"count": 0, "label": None}
    return {"count": len(draft.history), "label": f"Annuler : {draft.history[-1].label}"}


def action_label(draft: Draft, target: Target) -> str:
    """A click in words, before it happens (for the undo button)."""
    if target.kind == "cell":
        return f"clic sur {scope(draft, target)}"
    return arrow_label(draft, target.arrow)


# -- what saving will lock -------------------------------------------------------------------


def to_lock(draft: Draft) -> list[Key]:
    """Compétences the draft validates that are not validated yet: once saved, a teacher can
    no longer change them. In display order (pupils, then compétences)."""
    if draft.level != COMPETENCES:
        return []
    rows = draft.layout.row_ids
    return [(e, r) for e in draft.layout.eleve_ids for r in rows
            if (e, r) in draft.dirty and draft.cells.get((e, r)) == 1
            and (draft.saved.get((e, r)) or (None,))[0] != 1]


def save_preview(draft: Draft, is_director: bool) -> dict:
    locks = to_lock(draft)
    n = len(locks)
    return {
        "changements": len(draft.dirty),
        "a_verrouiller": [
            {"eleve_id": e, "eleve": _pupil(draft, e), "competence_id": r,
             "competence": row_name(draft, r)}
            for e, r in locks
        ],
        "titre": (f"Valider définitivement {n} compétence{'s' if n > 1 else ''} ?" if n
                  else None),
        "message": (LOCK_MESSAGE_DIRECTOR if is_director else LOCK_MESSAGE_TEACHER) if n
        else None,
    }
