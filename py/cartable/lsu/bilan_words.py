"""The bilan de fin de cycle grid in words: what an arrow's next click will do (and to how many
saved bilans), what "Annuler" takes back, what an arrow just did to saved bilans. French
sentences for tooltips, accessible names and notices; the rules are in ``lsu/bilan.py``.
"""

from __future__ import annotations

from cartable.lsu import socle2016
from cartable.lsu.bilan import Draft, Key
from cartable.text import de, plural


def action(value: int | None) -> str:
    """What an arrow in this state does: "Tout mettre à 2 (Maîtrise fragile)", "Tout effacer".
    The short label (2, D) is the one the arrow shows beside it: its accessible name holds it."""
    if value is None:
        return "Tout effacer"
    return f"Tout mettre à {socle2016.POSITIONS[value][1]} ({socle2016.position_name(value)})"


def pupil(draft: Draft, eleve_id: int) -> str:
    e = next((e for e in draft.eleves if e["id"] == eleve_id), None)
    return f"{e['prenom']} {e['nom']}" if e else "cet élève"


def composante(code: str) -> str:
    c = socle2016.BY_CODE.get(code)
    return f"« {c.court} »" if c else code


def scope(draft: Draft, target: dict) -> str:
    """What a click covers: "la composante « Langue française »", "les 8 composantes de…"."""
    kind = target.get("kind")
    if kind == "eleve":
        return f"les {len(socle2016.CODES)} composantes {de(pupil(draft, target['eleve_id']))}"
    if kind == "composante":
        return f"la composante {composante(target['code'])} de toute la classe"
    return (f"la case {de(pupil(draft, target.get('eleve_id')))}, "
            f"{composante(target.get('code'))}")


def target_of(key: str) -> dict:
    """The arrow of an arrow key (``eleve:<id>``, ``composante:<code>``)."""
    kind, what = key.split(":", 1)
    if kind == "eleve":
        return {"kind": "eleve", "eleve_id": int(what)}
    return {"kind": "composante", "code": what}


def saved_touched(draft: Draft, keys: list[Key]) -> int:
    """Pupils with a saved bilan among the cells ``keys``."""
    return len({e for e, _ in keys if e in draft.saved})


def effect(draft: Draft, keys: list[Key]) -> str:
    """"12 cases changent, dont 3 bilans déjà enregistrés", "aucune case ne change"."""
    if not keys:
        return "aucune case ne change"
    text = plural(len(keys), "case change", "cases changent")
    saved = saved_touched(draft, keys)
    if saved:
        text += ", dont " + plural(saved, "bilan déjà enregistré", "bilans déjà enregistrés")
    return text


def arrow_label(draft: Draft, key: str) -> str:
    """"Tout mettre à 1 (Maîtrise insuffisante) : la composante « Langue française » de toute
    la classe (12 cases changent, dont 3 bilans déjà enregistrés)"."""
    target = target_of(key)
    keys, _ = draft.covered(target)
    value = draft.arrow_state(key)
    return (f"{action(value)} : {scope(draft, target)} "
            f"({effect(draft, draft.would_change(keys, value))})")


def arrow_labels(draft: Draft) -> dict[str, str]:
    keys = [f"eleve:{e}" for e in draft.eleve_ids] + [f"composante:{c}" for c in socle2016.CODES]
    return {k: arrow_label(draft, k) for k in keys}


def action_label(draft: Draft, target: dict) -> str:
    """A click in words, before it happens (for the undo button)."""
    arrow = draft.covered(target)[1]
    if arrow is None:
        return f"clic sur {scope(draft, target)}"
    return f"{action(draft.arrow_state(arrow))} : {scope(draft, target)}"


def undo_info(draft: Draft) -> dict:
    """``{"count", "label"}``: how many actions can be undone, and the last one in words."""
    if not draft.history:
        return {"count": 0, "label": None}
    return {"count": len(draft.history), "label": f"Annuler : {draft.history[-1].label}"}


def rewritten(draft: Draft, target: dict, changed: dict) -> str | None:
    """After an arrow that changed saved bilans: what it did and how to take it back (a notice
    for the page); None when no saved bilan was touched."""
    saved = saved_touched(draft, list(changed))
    if target.get("kind") == "cell" or not saved:
        return None
    value = next(iter(changed.values()))
    what = ("effacée" if value is None
            else f"mise à « {socle2016.position_name(value)} »")
    where = (f"La composante {composante(target['code'])}" if target["kind"] == "composante"
             else f"Chaque composante {de(pupil(draft, target['eleve_id']))}")
    bilans = plural(saved, "bilan déjà enregistré est modifié",
                    "bilans déjà enregistrés sont modifiés")
    return (f"{where} est {what} : {bilans} (rien n'est encore enregistré). "
            "« Annuler » (Ctrl+Z) rétablit les positions d'avant.")
