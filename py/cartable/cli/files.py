"""Files of the command line: read the input a user names, write a result into a folder.

French messages (``UserError``) for what the user can fix: a wrong path, a folder that cannot
be written.
"""

from __future__ import annotations

import os

from cartable.errors import UserError


def read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise UserError(f"Impossible de lire « {path} » ({exc.strerror}). Vérifiez le chemin.") \
            from None


def write_into(out_dir: str, filename: str, data: bytes) -> str:
    """Write ``data`` as ``out_dir/filename`` (the folder is created if needed); its path."""
    try:
        os.makedirs(out_dir, exist_ok=True)
        path = os.path.join(out_dir, filename)
        with open(path, "wb") as f:
            f.write(data)
    except OSError as exc:
        raise UserError(f"Impossible d'écrire dans « {out_dir} » ({exc.strerror}). "
                        "Choisissez un autre dossier.") from None
    return path
