"""Import of the pupils from the Base-Élèves / ONDE "Extraction – format CSV" (SPEC §3).

Stateless, in three calls that each re-read the file:

- ``read(data)``: decode, detect the separator, find the columns (``headers``/``mapping``/
  ``missing`` let the UI map columns by hand);
- ``plan(conn, data, mapping)``: what the import would do (classes to add / keep / remove,
  pupils to add / modify / deactivate, ambiguities, rejected lines). Reads the database only;
- ``apply(conn, data, mapping, classes)``: the same plan, then written in ONE transaction.

Rules:

- Bytes are decoded as UTF-8 (with or without BOM), else Windows-1252. UTF-16, binary files,
  ZIP/XLSX/XLS/ODS/PDF, empty or header-only files and files over ``MAX_BYTES`` are refused with a
  French message. pandas parses the text (imported lazily: it must not load at start-up).
- One class per (Base-Élèves class, niveau). A single-level class keeps its name; a mixed class
  "CE2-CM1" gives "[CE2] CE2-CM1" and "[CM1] CE2-CM1". Its reference is computed from niveau and
  source name (``CM2-CM1CM2``): deterministic, unique, at most ``REF_MAX`` characters. An existing
  class is recognised by (niveau, source name), so a class renamed by the user stays "kept".
- Classes of the school absent from the file are "retirer": their pupils are moved or
  deactivated like any other pupil; the class itself is deleted only when no pupil (not even a
  deactivated one) is attached to it any more. Otherwise it is kept, empty of active pupils, so
  that deactivated pupils keep their class and their validations stay exportable by class.
- ``classes`` at apply: ``{ref: {"nom": new name, "ignorer": bool}}``. An ignored class is left
  as it is: it is not created, renamed or deleted; the file pupils going into it are skipped
  (the matching existing pupils are left untouched) and its current pupils are not deactivated.
- Pupils are matched on normalised nom + prénom (case, accents, spaces and punctuation ignored).
  An ambiguity (two existing pupils, or two different file lines, with the same normalised name)
  is reported and never guessed: those pupils are left untouched. A line identical to an earlier
  one (same nom, prénom, niveau, classe) is rejected as a duplicate and the first one is kept.
- Pupils absent from the file are deactivated (never deleted: validations are kept); a
  deactivated pupil found again is reactivated. A pupil named on a rejected line is in the file:
  he or she is left untouched, not deactivated. Validations belong to the pupil, so moving a
  pupil to another class keeps them.
- nom is stored in upper case; prénom as in the file (title case when the file has it in capitals).
- Niveaux found in the file but inactive in the school are activated at apply (and reported).
- Only real changes are written: re-importing the same file changes nothing, not even a byte.
"""

from __future__ import annotations

import functools
import io
import re
import sqlite3
import unicodedata

from . import collation, db
from .errors import UserError

MAX_BYTES = 5 * 1024 * 1024
MAX_LABEL = "5 Mo"
HEADER_SEARCH_LINES = 10
REF_MAX = 20
NAME_MAX = 60
FIELDS = ("nom", "prenom", "niveau", "classe")
FIELD_LABELS = {"nom": "Nom Elève", "prenom": "Prénom Elève", "niveau": "Niveau", "classe": "Classe"}

# Header variants (normalised: lower case, no accent, punctuation as spaces), best first.
HEADER_CANDIDATES = {
    "nom": ["nom eleve", "nom de l eleve", "nom de famille", "nom", "nom famille",
            "nom de naissance", "nom patronymique"],
    "prenom": ["prenom eleve", "prenom de l eleve", "prenom", "prenom 1", "premier prenom",
               "prenom usuel"],
    "niveau": ["niveau", "niveau eleve", "niveau de l eleve", "libelle niveau", "niveau scolaire",
               "niveau de classe", "code niveau"],
    "classe": ["classe", "libelle classe", "nom classe", "nom de la classe", "classe eleve",
               "classe de l eleve", "libelle de la classe", "division"],
}

SEPARATORS = {";": "point-virgule", "\t": "tabulation", ",": "virgule"}

_NOT_CSV_EXTENSIONS = {"xlsx", "xls", "xlsm", "ods", "zip", "pdf", "doc", "docx", "odt"}
_HOW_TO = (
    "Dans Base-Élèves (ou ONDE), choisissez « Extraction – format CSV » de tous les élèves "
    "de l'école, puis donnez ce fichier .csv tel quel."
)

_ORDINALS = {"1": "1", "premiere": "1", "2": "2", "deuxieme": "2", "seconde": "2", "second": "2"}
_LONG_LEVEL = re.compile(
    r"(?:cours )?(preparatoire|elementaire|moyen)(?: (1|2|premiere|deuxieme|seconde|second)"
    r"(?:ere|re|er|eme|e|nd|nde)?)?(?: annee)?"
)
_LEVEL_WORDS = {
    "petite section": "PS", "petite section de maternelle": "PS",
    "moyenne section": "MS", "moyenne section de maternelle": "MS",
    "grande section": "GS", "grande section de maternelle": "GS",
    "classe pour l inclusion scolaire": "CLIS", "ulis": "CLIS", "ulis ecole": "CLIS",
}


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


# -- text helpers ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)  # called many times per pupil by plan and apply
def normalise(text: str) -> str:
    """Lower case, accents removed, every non-alphanumeric run as one space, stripped."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _clean(text: str) -> str:
    return " ".join(text.split())


def format_nom(nom: str) -> str:
    return _clean(nom).upper()


def format_prenom(prenom: str) -> str:
    prenom = _clean(prenom)
    if prenom == prenom.upper() and prenom != prenom.lower():
        prenom = prenom.title()
    return prenom


def short_niveau(value: str, refs) -> str | None:
    """The niveau ref ("CM1") for a short or long Base-Élèves level name, None if unknown."""
    norm = normalise(value)
    compact = norm.replace(" ", "").upper()
    if compact in refs:
        return compact
    if norm in _LEVEL_WORDS:
        return _LEVEL_WORDS[norm]
    m = _LONG_LEVEL.fullmatch(norm)
    if m is None:
        return None
    kind, ordinal = m.group(1), m.group(2)
    if kind == "preparatoire":
        return "CP" if ordinal is None else None
    if ordinal is None:
        return None
    return ("CE" if kind == "elementaire" else "CM") + _ORDINALS[ordinal]


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")


# -- step 1: bytes -> text ------------------------------------------------------------------


def decode(data, filename: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` or a French UserError saying why the file cannot be read."""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise UserError("Aucun fichier reçu. Choisissez le fichier CSV extrait de Base-Élèves.")
    if filename and isinstance(filename, str) and "." in filename:
        ext = filename.rsplit(".", 1)[1].lower()
        if ext in _NOT_CSV_EXTENSIONS:
            raise UserError(
                f"Le fichier « {filename} » n'est pas un fichier CSV (extension .{ext}). "
                + _HOW_TO
            )
    if not data.strip():
        raise UserError("Le fichier est vide. " + _HOW_TO)
    if len(data) > MAX_BYTES:
        raise UserError(
            f"Le fichier est trop volumineux ({_megabytes(len(data))}) : la limite est de "
            f"{MAX_LABEL}. Une extraction Base-Élèves d'une école fait bien moins ; vérifiez "
            "que vous avez choisi le bon fichier."
        )
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        raise UserError(
            "Ce fichier est une archive ZIP ou un classeur (Excel .xlsx, LibreOffice .ods), "
            "pas un fichier CSV. " + _HOW_TO
        )
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise UserError("Ce fichier est un classeur Excel (.xls), pas un fichier CSV. " + _HOW_TO)
    if data[:5] == b"%PDF-":
        raise UserError("Ce fichier est un document PDF, pas un fichier CSV. " + _HOW_TO)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(data):
        raise UserError(
            "Ce fichier est encodé en UTF-16 (« Unicode »), que Cartable ne lit pas. "
            "Réenregistrez-le au format « CSV (séparateur : point-virgule) » ou en UTF-8, "
            "ou reprenez l'extraction d'origine de Base-Élèves."
        )
    unreadable = UserError(
        "Ce fichier n'est pas un fichier texte lisible (contenu binaire ou encodage inconnu). "
        + _HOW_TO
    )
    if b"\x00" in data:
        raise unreadable
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "windows-1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise unreadable from None
    if _CONTROL.search(text):
        raise unreadable
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8"}.get(encoding, "Windows-1252")


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without BOM: ASCII text with a NUL every other byte."""
    sample = data[:200]
    if len(sample) < 4:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return odds.count(0) > 0.4 * len(odds) or evens.count(0) > 0.4 * len(evens)


def detect_separator(text: str) -> str:
    """The most frequent of ``;`` TAB ``,`` in the first lines (ties in that order)."""
    lines = [line for line in text.split("\n")[:HEADER_SEARCH_LINES] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in lines) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ";"


# -- step 2: text -> table ------------------------------------------------------------------


class Table:
    """The parsed file: ``headers`` and ``rows`` (each ``(line_number, fields)``)."""

    def __init__(self, encoding: str, separator: str, headers: list[str],
                 rows: list[tuple[int, list[str]]]):
        self.encoding = encoding
        self.separator = separator
        self.headers = headers
        self.rows = rows


def parse(data, filename: str | None = None) -> Table:
    import pandas as pd  # lazily: pandas must not load at start-up

    text, encoding = decode(data, filename)
    sep = detect_separator(text)
    width = max(line.count(sep) for line in text.split("\n")) + 1
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, header=None, names=range(width), dtype=str,
            keep_default_na=False, na_filter=False, skip_blank_lines=False, quotechar='"',
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        m = re.search(r"row (\d+)", str(exc))
        where = f" (à partir de la ligne {int(m.group(1)) + 1})" if m else ""
        if "EOF inside string" in str(exc):
            raise UserError(
                f"Le fichier est mal formé : un guillemet « \" » n'est pas refermé{where}. "
                "Reprenez l'extraction d'origine de Base-Élèves sans la modifier."
            ) from None
        raise UserError(
            f"Le fichier n'a pas pu être lu comme un tableau CSV{where}. " + _HOW_TO
        ) from None
    rows: list[tuple[int, list[str]]] = []
    line = 1
    for values in frame.itertuples(index=False, name=None):
        fields = [str(v) for v in values]
        rows.append((line, fields))
        line += 1 + sum(f.count("\n") for f in fields)
    rows = [(n, f) for n, f in rows if any(v.strip() for v in f)]
    if not rows:
        raise UserError("Le fichier est vide. " + _HOW_TO)
    # The header is the first line, unless a title line comes before it: then the first of
    # the first lines where at least two columns are recognised.
    start = 0
    for i, (_, fields) in enumerate(rows[:HEADER_SEARCH_LINES]):
        if sum(v is not None for v in guess_mapping([_clean(f) for f in fields]).values()) >= 2:
            start = i
            break
    rows = rows[start:]
    header_fields = rows[0][1]
    while header_fields and not header_fields[-1].strip():
        header_fields = header_fields[:-1]
    headers = [_clean(h) for h in header_fields]
    return Table(encoding, sep, headers, rows[1:])


def guess_mapping(headers: list[str]) -> dict[str, str | None]:
    """For each field, the header (as written in the file) that holds it, or None."""
    normalised = [normalise(h) for h in headers]
    mapping: dict[str, str | None] = {}
    used: set[int] = set()
    for field in FIELDS:
        mapping[field] = None
        for candidate in HEADER_CANDIDATES[field]:
            found = [i for i, h in enumerate(normalised) if h == candidate and i not in used]
            if found:
                used.add(found[0])
                mapping[field] = headers[found[0]]
                break
    return mapping


def _columns(table: Table, mapping) -> dict[str, int]:
    """Column index of each field, from the user's ``mapping`` or guessed from the headers."""
    guessed = guess_mapping(table.headers)
    if mapping is not None and not isinstance(mapping, dict):
        raise UserError("La correspondance des colonnes est invalide.")
    columns: dict[str, int] = {}
    for field in FIELDS:
        chosen = (mapping or {}).get(field)
        if chosen is None or chosen == "":
            chosen = guessed[field]
        if chosen is None:
            continue
        if isinstance(chosen, int) and not isinstance(chosen, bool):
            if not 0 <= chosen < len(table.headers):
                raise UserError(
                    f"La colonne n° {chosen + 1} choisie pour « {FIELD_LABELS[field]} » "
                    "n'existe pas dans ce fichier."
                )
            columns[field] = chosen
        elif isinstance(chosen, str) and _clean(chosen) in table.headers:
            columns[field] = table.headers.index(_clean(chosen))
        else:
            raise UserError(
                f"La colonne « {chosen} » choisie pour « {FIELD_LABELS[field]} » n'existe pas "
                "dans ce fichier. Choisissez une des colonnes proposées."
            )
    seen: dict[int, str] = {}
    for field, index in columns.items():
        if index in seen:
            raise UserError(
                f"La colonne « {table.headers[index]} » est choisie à la fois pour "
                f"« {FIELD_LABELS[seen[index]]} » et « {FIELD_LABELS[field]} ». "
                "Choisissez une colonne différente pour chacune."
            )
        seen[index] = field
    missing = [f for f in FIELDS if f not in columns]
    if missing:
        labels = ", ".join(f"« {FIELD_LABELS[f]} »" for f in missing)
        raise UserError(
            f"Colonne(s) introuvable(s) dans l'en-tête du fichier : {labels}. Indiquez à la main "
            "quelle colonne du fichier correspond à chacune, ou vérifiez que c'est bien "
            "l'extraction CSV de Base-Élèves.",
            code="mapping", headers=table.headers, missing=missing,
            mapping={f: (table.headers[columns[f]] if f in columns else None) for f in FIELDS},
        )
    return columns


def read(data, filename: str | None = None) -> dict:
    """Step 2 for the UI: encoding, separator, headers, the guessed mapping, missing fields."""
    table = parse(data, filename)
    if not table.rows:
        raise _header_only()
    mapping = guess_mapping(table.headers)
    return {
        "encoding": table.encoding,
        "separator": SEPARATORS[table.separator],
        "headers": table.headers,
        "mapping": mapping,
        "missing": [f for f in FIELDS if mapping[f] is None],
        "nb_lignes": len(table.rows),
        "apercu": [fields[: len(table.headers)] for _, fields in table.rows[:3]],
    }


def _header_only() -> UserError:
    return UserError(
        "Le fichier ne contient que la ligne d'en-tête : aucun élève. Vérifiez que l'extraction "
        "porte sur tous les élèves de l'école."
    )


# -- step 3/4: the plan ---------------------------------------------------------------------


def _pupils_from_file(table: Table, columns: dict[str, int], refs) -> tuple[list[dict], list[dict]]:
    """Valid pupils (with their line) and rejected lines ``{"ligne", "raison"}``."""
    pupils: list[dict] = []
    rejets: list[dict] = []
    width = len(table.headers)
    for line, fields in table.rows:
        values = {f: fields[i] if i < len(fields) else "" for f, i in columns.items()}
        extra = [v for v in fields[width:] if v.strip()]
        reason = None
        if extra:
            reason = (f"la ligne a plus de champs ({width + len(extra)}) que l'en-tête ({width}) : "
                      "séparateur ou guillemet en trop")
        elif any("\n" in v for v in values.values()):
            reason = "un champ contient un retour à la ligne (guillemet mal fermé ?)"
        elif any('"' in v for v in values.values()):
            reason = "guillemet « \" » mal placé : la ligne a sans doute été modifiée à la main"
        elif not values["nom"].strip():
            reason = "nom de l'élève vide"
        elif not values["prenom"].strip():
            reason = "prénom de l'élève vide"
        elif not values["niveau"].strip():
            reason = "niveau vide"
        elif not values["classe"].strip():
            reason = "classe vide"
        elif len(_clean(values["nom"])) > NAME_MAX or len(_clean(values["prenom"])) > NAME_MAX:
            reason = f"nom ou prénom trop long (plus de {NAME_MAX} caractères)"
        elif len(_clean(values["classe"])) > NAME_MAX:
            reason = f"nom de classe trop long (plus de {NAME_MAX} caractères)"
        niveau = None
        if reason is None:
            niveau = short_niveau(values["niveau"], refs)
            if niveau is None:
                reason = (f"niveau inconnu « {_clean(values['niveau'])} » (attendu : CP, CE1, "
                          "CE2, CM1, CM2…)")
        if reason is not None:
            rejets.append({"ligne": line, "raison": reason})
            continue
        pupils.append({
            "ligne": line,
            "nom": format_nom(values["nom"]),
            "prenom": format_prenom(values["prenom"]),
            "niveau": niveau,
            "source": _clean(values["classe"]),
        })
    return pupils, rejets


def _auto_ref(niveau: str, source: str) -> str:
    compact = normalise(source).replace(" ", "").upper() or "CLASSE"
    return f"{niveau}-{compact}"[:REF_MAX]


def _unique_ref(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        ref = base[: REF_MAX - len(suffix)] + suffix
        if ref not in taken:
            return ref
        n += 1


def _pupil_key(nom: str, prenom: str) -> str:
    return normalise(nom) + "|" + normalise(prenom)


def _rejected_keys(table: Table, columns: dict[str, int], rejets: list[dict]) -> set[str]:
    """The pupil keys (nom + prénom) of the rejected lines that have both."""
    lines = {r["ligne"] for r in rejets}
    keys = set()
    for line, fields in table.rows:
        if line in lines:
            nom, prenom = (fields[columns[f]] if columns[f] < len(fields) else ""
                           for f in ("nom", "prenom"))
            if nom.strip() and prenom.strip():
                keys.add(_pupil_key(nom, prenom))
    return keys


def _drop_duplicates(pupils: list[dict], rejets: list[dict]):
    """Exact duplicate lines: keep the first. Same name on different lines: ambiguous, all
    rejected. Returns (pupils, ambigus, ambiguous keys); ``rejets`` is completed."""
    ambigus: list[dict] = []
    by_key: dict[str, list[dict]] = {}
    seen_lines: dict[tuple, int] = {}
    kept = []
    for p in pupils:
        ident = (_pupil_key(p["nom"], p["prenom"]), p["niveau"], normalise(p["source"]))
        if ident in seen_lines:
            rejets.append({"ligne": p["ligne"],
                           "raison": f"ligne en double (identique à la ligne {seen_lines[ident]})"})
            continue
        seen_lines[ident] = p["ligne"]
        kept.append(p)
        by_key.setdefault(_pupil_key(p["nom"], p["prenom"]), []).append(p)
    file_ambiguous: set[str] = set()
    for key, group in by_key.items():
        if len(group) > 1:
            file_ambiguous.add(key)
            lines = ", ".join(str(p["ligne"]) for p in group)
            for p in group:
                rejets.append({
                    "ligne": p["ligne"],
                    "raison": f"élève présent plusieurs fois dans le fichier (lignes {lines}) "
                              "dans des classes ou niveaux différents : non importé, "
                              "corrigez le fichier",
                })
            first = group[0]
            ambigus.append({"nom": first["nom"], "prenom": first["prenom"],
                            "niveau": " / ".join(p["niveau"] for p in group),
                            "classe": " / ".join(p["source"] for p in group),
                            "raison": f"présent plusieurs fois dans le fichier (lignes {lines})"})
    pupils = [p for p in kept if _pupil_key(p["nom"], p["prenom"]) not in file_ambiguous]
    rejets.sort(key=lambda r: r["ligne"])
    return pupils, ambigus, file_ambiguous


def _plan_classes(conn: sqlite3.Connection, pupils: list[dict], niveaux: dict) -> dict:
    """One class per (source class, niveau), matched with the existing ones; then the
    existing classes absent from the file ("retirer"). Keyed by (niveau, normalised source)."""
    niveau_by_id = {n["id"]: n for n in niveaux.values()}
    levels_by_source: dict[str, set[str]] = {}
    source_name: dict[str, str] = {}
    for p in pupils:
        nsrc = normalise(p["source"])
        source_name.setdefault(nsrc, p["source"])
        levels_by_source.setdefault(nsrc, set()).add(p["niveau"])
    existing = [dict(r) for r in conn.execute("SELECT * FROM classe ORDER BY id")]
    existing_by_source = {(c["niveau_id"], normalise(c["source"])): c for c in existing
                          if c["source"]}
    existing_by_ref = {c["ref"]: c for c in existing}
    taken = set(existing_by_ref)
    classes: dict[tuple[str, str], dict] = {}
    matched_ids: set[int] = set()
    wanted = sorted({(p["niveau"], normalise(p["source"])) for p in pupils},
                    key=lambda k: (niveaux[k[0]]["ordre"], k[1]))
    for niv, nsrc in wanted:
        source = source_name[nsrc]
        nid = niveaux[niv]["id"]
        auto = _auto_ref(niv, source)
        found = existing_by_source.get((nid, nsrc))
        if found is None and auto in existing_by_ref and existing_by_ref[auto]["niveau_id"] == nid:
            found = existing_by_ref[auto]
        if found is not None and found["id"] in matched_ids:
            found = None  # already taken by another source class with the same reference
        if found is not None:
            matched_ids.add(found["id"])
            entry = {"id": found["id"], "nom": found["nom"], "ref": found["ref"],
                     "action": "garder"}
        else:
            ref = _unique_ref(auto, taken)
            taken.add(ref)
            nom = source if len(levels_by_source[nsrc]) == 1 else f"[{niv}] {source}"
            entry = {"id": None, "nom": nom, "ref": ref, "action": "ajouter"}
        entry.update({"niveau": niv, "niveau_id": nid, "source": source, "nb_eleves": 0})
        classes[(niv, nsrc)] = entry
    active_count = dict(conn.execute(
        "SELECT classe_id, count(*) FROM eleve WHERE actif = 1 GROUP BY classe_id").fetchall())
    for c in existing:
        if c["id"] not in matched_ids:
            classes[("", f"#{c['id']}")] = {
                "id": c["id"], "nom": c["nom"], "ref": c["ref"], "action": "retirer",
                "niveau": niveau_by_id[c["niveau_id"]]["ref"], "niveau_id": c["niveau_id"],
                "source": c["source"], "nb_eleves": active_count.get(c["id"], 0),
            }
    return classes


def _apply_choices(by_ref: dict, choices) -> None:
    """The user's rename / ignore choices (keyed by ref), checked."""
    for c in by_ref.values():
        c["ignorer"] = False
        c["nouveau_nom"] = None
    if choices is not None:
        if not isinstance(choices, dict):
            raise UserError("Les choix sur les classes sont invalides.")
        for ref, choice in choices.items():
            if ref not in by_ref:
                raise UserError(
                    f"La classe « {ref} » ne fait pas partie de cet import. Relancez l'analyse "
                    "du fichier puis refaites vos choix."
                )
            if not isinstance(choice, dict):
                raise UserError(f"Le choix pour la classe « {ref} » est invalide.")
            ignorer = choice.get("ignorer", False)
            if not isinstance(ignorer, bool):
                raise UserError(f"Le choix « ignorer » de la classe « {ref} » est invalide.")
            by_ref[ref]["ignorer"] = ignorer
            nom = choice.get("nom")
            if nom is not None and by_ref[ref]["action"] == "retirer":
                raise UserError(
                    f"La classe « {by_ref[ref]['nom']} » est absente du fichier : elle ne peut "
                    "pas être renommée pendant l'import."
                )
            if nom is not None:
                if not isinstance(nom, str) or not nom.strip():
                    raise UserError(
                        f"Le nouveau nom de la classe « {by_ref[ref]['nom']} » est vide. "
                        "Saisissez un nom ou laissez le nom proposé."
                    )
                nom = _clean(nom)
                if len(nom) > NAME_MAX:
                    raise UserError(
                        f"Le nom de classe « {nom[:20]}… » est trop long ({NAME_MAX} caractères "
                        "au plus)."
                    )
                if nom != by_ref[ref]["nom"]:
                    by_ref[ref]["nouveau_nom"] = nom



def build_plan(conn: sqlite3.Connection, table: Table, mapping=None, choices=None) -> dict:
    """Everything the import would do, as plain data (plus ``_ops`` for ``apply``)."""
    columns = _columns(table, mapping)
    if not table.rows:
        raise _header_only()
    niveaux = {r["ref"]: dict(r) for r in conn.execute("SELECT * FROM niveau")}
    niveau_by_id = {n["id"]: n for n in niveaux.values()}
    pupils, rejets = _pupils_from_file(table, columns, set(niveaux))
    pupils, ambigus, file_ambiguous = _drop_duplicates(pupils, rejets)
    if not pupils:
        raise UserError(
            "Aucun élève valide dans ce fichier : toutes les lignes sont rejetées "
            f"({len(rejets)} ligne(s), par exemple ligne {rejets[0]['ligne']} : "
            f"{rejets[0]['raison']}). Vérifiez le fichier et la correspondance des colonnes."
            if rejets else "Aucun élève dans ce fichier.",
            rejets=rejets[:50],
        )
    classes = _plan_classes(conn, pupils, niveaux)
    by_ref = {c["ref"]: c for c in classes.values()}
    _apply_choices(by_ref, choices)
    ignored_ids = {c["id"] for c in by_ref.values() if c["ignorer"] and c["id"] is not None}
    existing = [dict(r) for r in conn.execute("SELECT * FROM classe ORDER BY id")]
    levels_by_source: dict[str, set[str]] = {}
    for p in pupils:
        levels_by_source.setdefault(normalise(p["source"]), set()).add(p["niveau"])
    n_classes = sum(1 for c in classes.values() if c["action"] != "retirer")

    # Pupils: match, then add / modify / deactivate.
    existing_pupils = [dict(r) for r in conn.execute("SELECT * FROM eleve ORDER BY id")]
    existing_by_key: dict[str, list[dict]] = {}
    for e in existing_pupils:
        existing_by_key.setdefault(_pupil_key(e["nom"], e["prenom"]), []).append(e)
    class_by_id = {c["id"]: c for c in existing}

    def class_label(classe_id):
        c = class_by_id.get(classe_id)
        return c["nom"] if c else ""

    def level_of(classe_id):
        c = class_by_id.get(classe_id)
        return niveau_by_id[c["niveau_id"]]["ref"] if c else ""

    add, modify, inchanges = [], [], 0
    protected: set[int] = set()
    for key in file_ambiguous:
        protected.update(e["id"] for e in existing_by_key.get(key, []))
    # A pupil whose line is rejected is in the file, only unreadable: never deactivated.
    for key in _rejected_keys(table, columns, rejets):
        protected.update(e["id"] for e in existing_by_key.get(key, []))
    for p in sorted(pupils, key=lambda p: (*collation.name_key(p["nom"], p["prenom"]),
                                           p["ligne"])):
        target = classes[(p["niveau"], normalise(p["source"]))]
        key = _pupil_key(p["nom"], p["prenom"])
        matches = existing_by_key.get(key, [])
        if target["ignorer"]:
            protected.update(e["id"] for e in matches)
            continue
        target["nb_eleves"] += 1
        shown = {"nom": p["nom"], "prenom": p["prenom"], "niveau": p["niveau"],
                 "classe": target["nouveau_nom"] or target["nom"], "ligne": p["ligne"]}
        if len(matches) > 1:
            protected.update(e["id"] for e in matches)
            target["nb_eleves"] -= 1
            ambigus.append({**shown, "raison": f"{len(matches)} élèves de l'école portent ce "
                                               "nom : aucun n'est modifié"})
            continue
        if not matches:
            add.append({**shown, "_target": target})
            continue
        e = matches[0]
        protected.add(e["id"])
        changes = []
        if e["classe_id"] != target["id"] or target["id"] is None:
            changes.append("classe")
            shown["ancienne_classe"] = class_label(e["classe_id"])
        if not e["actif"]:
            changes.append("réactivé")
        if e["nom"] != p["nom"] or e["prenom"] != p["prenom"]:
            changes.append("nom")
            shown["ancien_nom"] = f"{e['nom']} {e['prenom']}"
        if changes:
            modify.append({**shown, "changements": changes, "_id": e["id"], "_target": target})
        else:
            inchanges += 1
    deactivate = [
        {"nom": e["nom"], "prenom": e["prenom"], "niveau": level_of(e["classe_id"]),
         "classe": class_label(e["classe_id"]), "_id": e["id"]}
        for e in existing_pupils
        if e["actif"] and e["id"] not in protected and e["classe_id"] not in ignored_ids
    ]
    deactivate.sort(key=lambda d: collation.name_key(d["nom"], d["prenom"]))

    # What happens to the classes to remove: deleted when nothing is attached any more.
    moved_out = {m["_id"] for m in modify}
    attached: dict[int, int] = {}
    for e in existing_pupils:
        if e["id"] not in moved_out:
            attached[e["classe_id"]] = attached.get(e["classe_id"], 0) + 1
    for c in by_ref.values():
        if c["action"] != "retirer":
            continue
        if c["ignorer"]:
            c["detail"] = "ignorée : laissée telle quelle"
        elif attached.get(c["id"], 0):
            c["detail"] = (f"conservée sans élève actif : {attached[c['id']]} élève(s) "
                           "désactivé(s) y restent rattachés, avec leurs validations")
            c["supprimer"] = False
        else:
            c["detail"] = "supprimée (plus aucun élève)"
            c["supprimer"] = True

    needed_levels = sorted(
        {c["niveau"] for c in by_ref.values() if c["action"] != "retirer" and not c["ignorer"]},
        key=lambda r: niveaux[r]["ordre"],
    )
    activate = [r for r in needed_levels if not niveaux[r]["actif"]]

    order = {"ajouter": 0, "garder": 1, "retirer": 2}
    class_list = sorted(by_ref.values(), key=lambda c: (order[c["action"]],
                                                        niveaux[c["niveau"]]["ordre"], c["nom"]))
    n_sources = len(levels_by_source)
    n_mixed = sum(1 for levels in levels_by_source.values() if len(levels) > 1)
    message = (f"{len(pupils)} élève{'s' if len(pupils) > 1 else ''} trouvé"
               f"{'s' if len(pupils) > 1 else ''}, {n_classes} classe"
               f"{'s' if n_classes > 1 else ''} trouvée{'s' if n_classes > 1 else ''}")
    if n_mixed:
        message += (f" ({n_sources} classes Base-Élèves, dont {n_mixed} à plusieurs niveaux, "
                    "séparées par niveau)")
    if rejets:
        message += f" ; {len(rejets)} ligne{'s' if len(rejets) > 1 else ''} rejetée" \
                   f"{'s' if len(rejets) > 1 else ''}"
    message += "."

    def public(entries):
        return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]

    return {
        "encoding": table.encoding,
        "separator": SEPARATORS[table.separator],
        "mapping": {f: table.headers[i] for f, i in columns.items()},
        "nb_eleves": len(pupils),
        "nb_classes": n_classes,
        "message": message,
        "rejets": rejets,
        "niveaux_a_activer": activate,
        "classes": [
            {"key": c["ref"], "nom": c["nouveau_nom"] or c["nom"], "ref": c["ref"],
             "niveau": c["niveau"], "source": c["source"], "action": c["action"],
             "nb_eleves": c["nb_eleves"], "ignorer": c["ignorer"],
             **({"ancien_nom": c["nom"]} if c["nouveau_nom"] else {}),
             **({"detail": c["detail"]} if "detail" in c else {})}
            for c in class_list
        ],
        "eleves": {
            "ajouter": public(add),
            "modifier": public(modify),
            "desactiver": public(deactivate),
            "ambigus": ambigus,
            "inchanges": inchanges,
        },
        "_ops": {"classes": class_list, "add": add, "modify": modify, "deactivate": deactivate,
                 "activate": [niveaux[r]["id"] for r in activate]},
    }


def plan(conn: sqlite3.Connection, data, mapping=None, classes=None,
         filename: str | None = None) -> dict:
    """What importing ``data`` would do. Reads the database, writes nothing."""
    result = build_plan(conn, parse(data, filename), mapping, classes)
    del result["_ops"]
    return result


def apply(conn: sqlite3.Connection, data, mapping=None, classes=None,
          filename: str | None = None) -> dict:
    """Import ``data`` in one transaction; only real changes are written."""
    result = build_plan(conn, parse(data, filename), mapping, classes)
    ops = result.pop("_ops")
    counts = {"classes_ajoutees": 0, "classes_renommees": 0, "classes_supprimees": 0,
              "eleves_ajoutes": 0, "eleves_modifies": 0, "eleves_desactives": 0}
    with db.transaction(conn):
        for nid in ops["activate"]:
            conn.execute("UPDATE niveau SET actif = 1 WHERE id = ?", (nid,))
        for c in ops["classes"]:
            if c["ignorer"]:
                continue
            if c["action"] == "ajouter":
                cur = conn.execute(
                    "INSERT INTO classe (niveau_id, nom, ref, source) VALUES (?, ?, ?, ?)",
                    (c["niveau_id"], c["nouveau_nom"] or c["nom"], c["ref"], c["source"]),
                )
                c["id"] = cur.lastrowid
                counts["classes_ajoutees"] += 1
            elif c["nouveau_nom"]:
                conn.execute("UPDATE classe SET nom = ? WHERE id = ?", (c["nouveau_nom"], c["id"]))
                counts["classes_renommees"] += 1
        for p in ops["add"]:
            conn.execute(
                "INSERT INTO eleve (nom, prenom, classe_id, actif) VALUES (?, ?, ?, 1)",
                (p["nom"], p["prenom"], p["_target"]["id"]),
            )
            counts["eleves_ajoutes"] += 1
        for p in ops["modify"]:
            conn.execute(
                "UPDATE eleve SET nom = ?, prenom = ?, classe_id = ?, actif = 1 WHERE id = ?",
                (p["nom"], p["prenom"], p["_target"]["id"], p["_id"]),
            )
            counts["eleves_modifies"] += 1
        for p in ops["deactivate"]:
            conn.execute("UPDATE eleve SET actif = 0 WHERE id = ?", (p["_id"],))
            counts["eleves_desactives"] += 1
        for c in ops["classes"]:
            if c["action"] == "retirer" and c.get("supprimer"):
                still = conn.execute("SELECT 1 FROM eleve WHERE classe_id = ? LIMIT 1",
                                     (c["id"],)).fetchone()
                if still is None:
                    conn.execute("DELETE FROM affectation WHERE classe_id = ?", (c["id"],))
                    conn.execute("DELETE FROM classe WHERE id = ?", (c["id"],))
                    counts["classes_supprimees"] += 1
    total = sum(counts.values()) + len(ops["activate"])
    parts = [
        f"{counts['classes_ajoutees']} classe(s) ajoutée(s)",
        f"{counts['eleves_ajoutes']} élève(s) ajouté(s)",
        f"{counts['eleves_modifies']} modifié(s)",
        f"{counts['eleves_desactives']} désactivé(s)",
    ]
    if counts["classes_renommees"]:
        parts.append(f"{counts['classes_renommees']} classe(s) renommée(s)")
    if counts["classes_supprimees"]:
        parts.append(f"{counts['classes_supprimees']} classe(s) vide(s) supprimée(s)")
    activated = result["niveaux_a_activer"]
    message = "Import terminé : " + ", ".join(parts) + "."
    if activated:
        message += " Niveau(x) activé(s) : " + ", ".join(activated) + "."
    if total == 0:
        message = "Import terminé : aucun changement, l'école est déjà à jour avec ce fichier."
    if result["eleves"]["ambigus"]:
        message += (f" {len(result['eleves']['ambigus'])} élève(s) ambigu(s) laissé(s) tel(s) "
                    "quel(s).")
    return {**counts, "niveaux_actives": activated, "changements": total, "message": message,
            "nb_eleves": result["nb_eleves"], "nb_classes": result["nb_classes"],
            "rejets": result["rejets"], "ambigus": result["eleves"]["ambigus"]}
