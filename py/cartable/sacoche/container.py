"""The container of the SACoche validations file: ``import-sacoche_….zip`` holding one entry
``import_validations.xml`` (docs/SACOCHE.md), written for the export and opened safely for the
import.

Refused as a whole (``UserError``, nothing changed): empty or too large file (``MAX_BYTES``),
neither ZIP nor XML, damaged or encrypted ZIP, entry names with ``..`` or an absolute path, a ZIP
inside the ZIP, no entry named exactly ``import_validations.xml`` at the root of the archive (as
SACoche: "fichier import_validations.xml non trouvé dans l'archive ZIP"), several entries of that
name in different folders (SACoche would read the root one; Cartable refuses to choose), an entry
larger than ``MAX_BYTES`` (checked on the declared size and again while decompressing, since
declared sizes can lie). A bare XML file is accepted, as in SACoche.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from cartable.errors import UserError

XML_NAME = "import_validations.xml"
MAX_BYTES = 50 * 1024 * 1024  # 50 Mo: the file, and the XML once decompressed
_CHUNK = 1024 * 1024


def _size_mb() -> int:
    return MAX_BYTES // (1024 * 1024)


def refuse(what: str) -> UserError:
    """The French refusal of a whole file, saying what is wrong and which file to choose."""
    return UserError(
        f"Ce fichier ne peut pas être importé : {what} Choisissez le fichier "
        "« import-sacoche_….zip » (ou le fichier XML qu'il contient) produit par SACoche ou "
        "Cartable."
    )


# -- export -------------------------------------------------------------------------------


def zip_filename(now: datetime.datetime, random: int, base: int = 0) -> str:
    return f"import-sacoche_{base}_{now:%Y-%m-%d_%H-%M-%S}_{random}.zip"


def make_zip(xml: bytes, now: datetime.datetime) -> bytes:
    """One deflated entry ``import_validations.xml``, dated ``now`` (so the bytes are stable)."""
    info = zipfile.ZipInfo(XML_NAME, date_time=now.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(info, xml)
    return buf.getvalue()


# -- import -------------------------------------------------------------------------------


def extract_xml(data: bytes) -> bytes:
    """The XML bytes of a SACoche ZIP, or ``data`` itself when it is bare XML."""
    if not isinstance(data, (bytes, bytearray)):
        raise UserError("Aucun fichier reçu. Choisissez le fichier à importer.")
    if not data:
        raise refuse("il est vide.")
    if len(data) > MAX_BYTES:
        raise refuse(f"il dépasse la taille maximale de {_size_mb()} Mo.")
    data = bytes(data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _xml_from_zip(data)
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return data
    raise refuse("ce n'est ni une archive ZIP ni un fichier XML.")


def _entry(infos: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """The ``import_validations.xml`` entry, after refusing dangerous archives."""
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            raise refuse(f"l'archive contient un chemin dangereux (« {info.filename[:80]} »).")
        if name.lower().endswith(".zip"):
            raise refuse("l'archive contient une autre archive ZIP.")
    files = [i for i in infos if not i.is_dir()]
    same_name = [i for i in files if i.filename.replace("\\", "/").split("/")[-1] == XML_NAME]
    if len(same_name) > 1:
        raise refuse(f"l'archive contient plusieurs fichiers « {XML_NAME} ».")
    if not same_name or same_name[0].filename != XML_NAME:
        others = [i.filename for i in files if i.filename.lower().endswith(".xml")]
        found = f" (elle contient « {others[0][:80]} »)" if len(others) == 1 else ""
        raise refuse(
            f"l'archive ZIP ne contient pas de fichier « {XML_NAME} »{found}. SACoche exige "
            "ce nom exact, à la racine de l'archive : il refuserait ce fichier lui aussi."
        )
    info = same_name[0]
    if info.flag_bits & 0x1:
        raise refuse("l'archive est protégée par un mot de passe.")
    if info.file_size > MAX_BYTES:
        raise _too_big()
    return info


def _too_big() -> UserError:
    return refuse(f"le fichier XML décompressé dépasse la taille maximale de {_size_mb()} Mo.")


def _xml_from_zip(data: bytes) -> bytes:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        raise refuse("l'archive ZIP est endommagée (fichier tronqué ?).") from None
    info = _entry(infos)
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as f:
            while chunk := f.read(_CHUNK):
                total += len(chunk)
                if total > MAX_BYTES:  # the declared size lied
                    raise _too_big()
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise refuse("l'archive ZIP est endommagée (contenu illisible).") from None
    xml = b"".join(chunks)
    if xml.startswith(b"PK\x03\x04"):
        raise refuse("l'archive contient une autre archive ZIP.")
    return xml
