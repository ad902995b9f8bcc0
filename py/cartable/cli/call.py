"""``call COMMAND [JSON] [--json] [--out FILE]``: any API command, its payload in JSON
(``{"__bytes__": "<base64>"}`` or ``{"__file__": "path"}`` give bytes), its result printed."""

from __future__ import annotations

import json
from typing import Any

from cartable import wire
from cartable.cli import files
from cartable.cli.registry import CliError, School, action
from cartable.errors import UserError
from cartable.text import plural


def _write_bytes(result: Any, path: str) -> Any:
    """Write the one bytes value of ``result`` to ``path``; the result, that value shown as
    the path written."""
    found = []
    shown = wire.to_wire(result, lambda b: found.append(b) or f"<écrit dans {path}>")
    if len(found) != 1:
        raise CliError("--out : le résultat de cette commande contient "
                       f"{plural(len(found), 'fichier', 'fichiers')} au lieu d'un.")
    try:
        with open(path, "wb") as f:
            f.write(found[0])
    except OSError as exc:
        raise UserError(f"Impossible d'écrire « {path} » ({exc.strerror}). Choisissez un autre "
                        "chemin.") from None
    return shown


def _arguments(s) -> None:
    s.add_argument("command", metavar="COMMANDE")
    s.add_argument("payload", nargs="?", default="{}", metavar="JSON")
    s.add_argument("--json", action="store_true",
                   help="résultat en JSON strict (octets en base64 : {\"__bytes__\": …})")
    s.add_argument("--out", metavar="FICHIER",
                   help="écrire dans FICHIER les octets du résultat (un fichier)")


@action("call", "appeler une commande de l'API (docs/API.md)", _arguments)
def call(args) -> int:
    try:
        payload = json.loads(args.payload)
    except json.JSONDecodeError as exc:
        raise CliError(f"les paramètres ne sont pas du JSON valide ({exc.msg}, colonne "
                       f"{exc.colno}). Exemple : '{{\"classe_id\": 3}}'.") from None
    if not isinstance(payload, dict):
        raise CliError("les paramètres doivent être un objet JSON, par exemple '{}'.")
    try:
        payload = wire.from_wire(payload, read_file=files.read)
    except ValueError:
        raise CliError("« __bytes__ » doit contenir du base64 valide.") from None
    with School(args.db, create=args.command == "app.setup") as school:
        result = school(args.command, payload)
    if args.out:
        result = _write_bytes(result, args.out)
    if args.json:
        print(json.dumps(wire.to_wire(result), ensure_ascii=False))
    else:
        shown = wire.to_wire(result, lambda b: f"<{len(b)} octets>")
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    return 0
