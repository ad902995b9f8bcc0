"""A person's nom, prénom and civilité, checked and tidied (teachers and the director)."""

from __future__ import annotations

from cartable.errors import UserError
from cartable.text import clean


def clean_name(value, what: str, whose: str = "du professeur") -> str:
    """A person's nom or prénom, spaces tidied; ``what`` and ``whose`` word the message."""
    field = "prenom" if what == "prénom" else "nom"
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"Indiquez le {what} {whose}.", field=field)
    value = clean(value)
    if len(value) > 60:
        raise UserError(f"Le {what} est trop long (60 caractères au plus).", field=field)
    return value


CIVILITES = ("M", "MME")  # what LSU accepts
CIVILITE_NOMS = {"M": "M. (Monsieur)", "MME": "Mme (Madame)"}
CIVILITE_COURTES = {"M": "M.", "MME": "Mme"}  # as a name is written: « Mme Sophie MARTIN »


def clean_civilite(value, whose: str = "du professeur") -> str:
    """``M`` or ``MME`` (case and a final dot ignored: "Mme", "M."); None or '' -> ''."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, str):
        civilite = value.strip().rstrip(".").upper()
        if civilite in CIVILITES:
            return civilite
    raise UserError(f"La civilité {whose} doit être « M » (Monsieur) ou « MME » (Madame).")
