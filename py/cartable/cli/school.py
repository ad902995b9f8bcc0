"""``nouvelle-ecole``: the school created from the command line, as the first start does it.

    python -m cartable --db ecole.sqlite3 nouvelle-ecole --nom "École …" --directeur-nom NOM
        --directeur-prenom PRENOM [--uai UAI] [--login LOGIN]

The director's password is asked twice on the terminal (hidden, ``getpass``) or, when standard
input is not a terminal, read as its first two lines (they must match). The school is created by
``app.setup`` in a new file beside ``--db``, which takes its place only once the school exists:
a refusal (passwords that differ, a short password, a wrong UAI, a file that already holds a
school) leaves ``--db`` as it was, or absent. The new file is readable by its owner only.
"""

from __future__ import annotations

import getpass
import os
import sys
import tempfile

from cartable import db
from cartable.cli.registry import School, action
from cartable.errors import UserError
from cartable.school import file_info

ASK = "Mot de passe du directeur ou de la directrice : "
ASK_AGAIN = "Confirmez le mot de passe : "
MISMATCH = ("Les deux mots de passe ne sont pas identiques. Relancez la commande et tapez deux "
            "fois le même mot de passe.")
NO_PASSWORD = ("Mot de passe attendu : tapez-le deux fois, ou donnez-le sur deux lignes de "
               "l'entrée standard (par exemple : printf 'MotDePasse\\nMotDePasse\\n' | …).")


def _arguments(s) -> None:
    s.add_argument("--nom", required=True, help="nom de l'école")
    s.add_argument("--directeur-nom", required=True, metavar="NOM",
                   help="nom du directeur ou de la directrice")
    s.add_argument("--directeur-prenom", required=True, metavar="PRENOM",
                   help="prénom du directeur ou de la directrice")
    s.add_argument("--uai", help="numéro UAI de l'école (7 chiffres et une lettre)")
    s.add_argument("--login", help="identifiant du directeur (sinon : fabriqué à partir du nom)")


def read_password(stdin=None) -> str:
    """The password typed twice (hidden) on a terminal, else the first two lines of ``stdin``."""
    stdin = sys.stdin if stdin is None else stdin
    if stdin.isatty():
        first, second = getpass.getpass(ASK), getpass.getpass(ASK_AGAIN)
    else:
        lines = stdin.read().splitlines()
        if len(lines) < 2:
            raise UserError(NO_PASSWORD)
        first, second = lines[0], lines[1]
    if first != second:
        raise UserError(MISMATCH)
    if not first:
        raise UserError(NO_PASSWORD)
    return first


def _check_target(path: str, shown: str) -> None:
    """``path`` (``shown`` in messages) may receive a new school: absent, empty, or a school
    file without a school."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return
    with open(path, "rb") as f:
        data = f.read()
    described = file_info.describe_bytes(data)  # French UserError if it is no school file
    if not described["vide"]:
        raise UserError(
            f"Le fichier « {shown} » contient déjà une école ({described['nom'] or 'sans nom'}) : "
            "il n'a pas été modifié. Choisissez un autre nom de fichier pour la nouvelle école.")


@action("nouvelle-ecole", "créer l'école et le compte du directeur ou de la directrice",
        _arguments)
def nouvelle_ecole(args) -> int:
    path = os.path.abspath(args.db)
    _check_target(path, args.db)
    password = read_password()
    payload = {"nom": args.nom, "uai": args.uai, "directeur": {
        "nom": args.directeur_nom, "prenom": args.directeur_prenom, "password": password,
        "login": args.login}}
    folder = os.path.dirname(path)
    fd, draft = tempfile.mkstemp(prefix=".nouvelle-ecole-", suffix=".sqlite3", dir=folder)
    os.close(fd)
    try:
        if os.path.exists(path) and os.path.getsize(path):
            db.write_file(draft, db.read_file(path))
        with School(draft, create=True) as school:
            result = school("app.setup", payload)
            nom = school("app.status")["school"]["nom"]
        os.replace(draft, path)
    finally:
        if os.path.exists(draft):
            os.remove(draft)
    print(f"École « {nom} » créée dans {args.db}.")
    print(f"Identifiant du directeur ou de la directrice : {result['login']}")
    print(f"Code de secours : {result['code_secours']}")
    print("Notez ce code et gardez-le avec les papiers de l'école : il ne sera plus affiché. "
          "Avec l'identifiant, il permet de choisir un nouveau mot de passe oublié.")
    return 0
