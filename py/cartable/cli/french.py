"""The command line's own words in French: ``--help``'s headings and argparse's error messages.

argparse (the standard library's parser) asks ``gettext`` for every sentence it prints, through
the module-level names ``argparse._`` and ``argparse.ngettext``; no French catalogue comes with
Python, so a director would read "usage:", "show this help message and exit" or "the following
arguments are required". ``install()`` (called by ``cli/main.py`` only, in the command line's
own process) puts this table in their place. A sentence missing from it (a newer Python's)
stays in English rather than failing.
"""

from __future__ import annotations

import argparse

FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "not allowed with argument %s": "interdit avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "ignored explicit argument %r": "valeur %r ignorée : cette option n'en prend pas",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "action inconnue %(parser_name)r (actions possibles : %(choices)s)",
}

# ngettext(singular, plural, n): the same, with the French plural (n > 1, as text.plural).
FR_PLURAL = {
    ("expected %s argument", "expected %s arguments"):
        ("%s valeur attendue", "%s valeurs attendues"),
}


def gettext(message: str) -> str:
    return FR.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    one, many = FR_PLURAL.get((singular, plural), (singular, plural))
    return one if n <= 1 else many


def integer(text: str) -> int:
    """``type=`` for a number: argparse names the type by its ``__name__`` when refusing."""
    return int(text)


integer.__name__ = "nombre entier"


def install() -> None:
    """argparse speaks French from now on (in this process)."""
    argparse._ = gettext
    argparse.ngettext = ngettext
