"""The school year's periods (the director sets them once a year, as in LSU).

A school year has 2 to 5 periods, each with a start and an end date, in order, not overlapping,
all between 1 August and 31 July; its *millésime* is its first calendar year (2025 for
2025–2026), derived from the first period's start. ``set_periods`` replaces the periods of that
school year, and is refused when bilans, éléments de programme or parcours already use them
(unless the periods are the same). ``default_periods`` proposes 3 trimestres for a school year.
"""

from __future__ import annotations

import datetime
import sqlite3
from dataclasses import dataclass

from cartable import db
from cartable.errors import UserError
from cartable.text import plural

MIN_PERIODS, MAX_PERIODS = 2, 5


@dataclass(frozen=True)
class Periode:
    id: int
    millesime: str
    indice: int
    nb_periodes: int
    date_debut: str
    date_fin: str

    @property
    def lsu_id(self) -> str:
        return f"P{self.millesime}{self.indice}{self.nb_periodes}"

    @property
    def nom(self) -> str:
        kind = {2: "Semestre", 3: "Trimestre"}.get(self.nb_periodes, "Période")
        return f"{kind} {self.indice}"

    def as_json(self) -> dict:
        return {"id": self.id, "millesime": self.millesime, "indice": self.indice,
                "nb_periodes": self.nb_periodes, "date_debut": self.date_debut,
                "date_fin": self.date_fin, "nom": self.nom,
                "annee": school_year(self.millesime)}


def school_year(millesime: str) -> str:
    return f"{millesime}-{int(millesime) + 1}"


def millesime_of(day: datetime.date) -> str:
    """The first year of the school year of ``day`` (a school year starts on 1 August)."""
    return str(day.year if day.month >= 8 else day.year - 1)


def _rows(conn: sqlite3.Connection, where: str = "", params=()) -> list[Periode]:
    rows = conn.execute(
        "SELECT p.id, p.millesime, p.indice, (SELECT count(*) FROM periode q WHERE "
        "q.millesime = p.millesime), p.date_debut, p.date_fin FROM periode p "
        f"{where} ORDER BY p.millesime, p.indice", params).fetchall()
    return [Periode(*tuple(r)) for r in rows]


def all_periods(conn: sqlite3.Connection) -> list[Periode]:
    return _rows(conn)


def periods_of(conn: sqlite3.Connection, millesime: str) -> list[Periode]:
    return _rows(conn, "WHERE p.millesime = ?", (millesime,))


def get(conn: sqlite3.Connection, periode_id) -> Periode:
    found = _rows(conn, "WHERE p.id = ?", (periode_id,))
    if not found:
        raise UserError("Cette période n'existe pas (ou plus). Rechargez la liste des périodes.")
    return found[0]


def find(conn: sqlite3.Connection, millesime: str | None, indice: int) -> Periode:
    """Period ``indice`` of ``millesime`` (None: the most recent school year with periods)."""
    years = sorted({p.millesime for p in all_periods(conn)})
    if not years:
        raise UserError("L'école n'a pas encore de périodes : le directeur ou la directrice "
                        "les indique d'abord (écran « Périodes », ou « periodes » en ligne de "
                        "commande).")
    millesime = millesime or years[-1]
    periods = periods_of(conn, millesime)
    if not periods:
        raise UserError(f"L'année scolaire {school_year(millesime)} n'a pas de périodes. Années "
                        f"qui en ont : {', '.join(school_year(y) for y in years)}.")
    for p in periods:
        if p.indice == indice:
            return p
    raise UserError(f"L'année scolaire {school_year(millesime)} compte "
                    f"{plural(len(periods), 'période', 'périodes')} : il n'y a pas de période "
                    f"{indice}.")


def listing(conn: sqlite3.Connection) -> list[dict]:
    """Every school year with periods, the most recent first."""
    years: dict[str, list[dict]] = {}
    for p in all_periods(conn):
        years.setdefault(p.millesime, []).append(p.as_json())
    return [{"millesime": m, "annee": school_year(m), "periodes": ps}
            for m, ps in sorted(years.items(), reverse=True)]


# -- setting them -----------------------------------------------------------------------------


def _date(text, what: str) -> datetime.date:
    if not isinstance(text, str):
        raise UserError(f"La date {what} est absente : indiquez-la au format AAAA-MM-JJ.")
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"La date {what} « {text[:20]} » est invalide : AAAA-MM-JJ attendu "
                        "(par exemple 2025-09-01).") from None


def _fr(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def check_periods(pairs) -> list[tuple[datetime.date, datetime.date]]:
    """``[(debut, fin)]`` (ISO dates) checked: 2 to 5 periods, in order, not overlapping, in
    one school year. French UserError otherwise."""
    if not isinstance(pairs, list) or not (MIN_PERIODS <= len(pairs) <= MAX_PERIODS):
        n = len(pairs) if isinstance(pairs, list) else 0
        raise UserError(f"Une année scolaire compte de {MIN_PERIODS} à {MAX_PERIODS} périodes "
                        f"(2 semestres, 3 trimestres…) : {plural(n, 'période', 'périodes')} "
                        "indiquée" + ("s." if n > 1 else "."))
    out = []
    for n, pair in enumerate(pairs, 1):
        if isinstance(pair, dict):
            pair = (pair.get("date_debut"), pair.get("date_fin"))
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise UserError(f"La période {n} doit avoir une date de début et une date de fin.")
        start = _date(pair[0], f"de début de la période {n}")
        end = _date(pair[1], f"de fin de la période {n}")
        if end <= start:
            raise UserError(f"La période {n} finit le {_fr(end)}, avant de commencer (le "
                            f"{_fr(start)}) : vérifiez ses dates.")
        if out and start <= out[-1][1]:
            raise UserError(f"La période {n} commence le {_fr(start)}, avant la fin de la "
                            f"période {n - 1} (le {_fr(out[-1][1])}) : les périodes se suivent "
                            "sans se chevaucher.")
        out.append((start, end))
    millesime = int(millesime_of(out[0][0]))
    last = datetime.date(millesime + 1, 7, 31)
    if out[-1][1] > last:
        raise UserError(f"Les périodes doivent tenir dans une année scolaire ({millesime}-"
                        f"{millesime + 1} : du 01/08/{millesime} au {_fr(last)}) ; la dernière "
                        f"finit le {_fr(out[-1][1])}.")
    return out


def in_use(conn: sqlite3.Connection, millesime: str) -> int:
    """How many bilans, class éléments and parcours use the periods of ``millesime``."""
    ids = "SELECT id FROM periode WHERE millesime = ?"
    return sum(conn.execute(f"SELECT count(*) FROM {t} WHERE periode_id IN ({ids})",
                            (millesime,)).fetchone()[0]
               for t in ("bilan_periodique", "livret_element", "livret_parcours"))


def set_periods(conn: sqlite3.Connection, pairs) -> dict:
    """Replace the periods of the school year the dates fall in. Returns that year's listing
    and a French message."""
    dates = check_periods(pairs)
    millesime = millesime_of(dates[0][0])
    wanted = [(s.isoformat(), e.isoformat()) for s, e in dates]
    current = [(p.date_debut, p.date_fin) for p in periods_of(conn, millesime)]
    year = school_year(millesime)
    if current == wanted:
        return {"millesime": millesime, "annee": year, "periodes": _json(conn, millesime),
                "message": f"Périodes de l'année {year} inchangées."}
    used = in_use(conn, millesime)
    if current and used:
        raise UserError(f"Les périodes de l'année {year} sont déjà utilisées par le livret "
                        f"scolaire ({plural(used, 'bilan ou élément saisi', 'bilans ou éléments saisis')}) :"
                        " elles ne peuvent plus être remplacées. Elles doivent rester celles "
                        "indiquées dans LSU.")
    with db.transaction(conn):
        conn.execute("DELETE FROM periode WHERE millesime = ?", (millesime,))
        conn.executemany(
            "INSERT INTO periode (millesime, indice, date_debut, date_fin) VALUES (?, ?, ?, ?)",
            [(millesime, i, s, e) for i, (s, e) in enumerate(wanted, 1)])
    n = len(wanted)
    return {"millesime": millesime, "annee": year, "periodes": _json(conn, millesime),
            "message": f"Périodes de l'année {year} enregistrées : "
                       f"{plural(n, 'période', 'périodes')}."}


def _json(conn: sqlite3.Connection, millesime: str) -> list[dict]:
    return [p.as_json() for p in periods_of(conn, millesime)]


# -- the default ------------------------------------------------------------------------------


def _weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_on_or_before(day: datetime.date, weekday: int) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


def default_periods(today: datetime.date) -> dict:
    """3 trimestres for the school year of ``today``: from the rentrée (1 September, or the
    Monday after when it is a weekend) to the Friday before the Christmas holidays (on or
    before 19 December), then to the Friday before the spring holidays (on or before 3 April),
    then to the first Saturday of July. The director adjusts them to the académie's calendar."""
    y = int(millesime_of(today))
    start = datetime.date(y, 9, 1)
    if start.weekday() >= 5:
        start = _weekday_on_or_after(start, 0)
    end1 = _weekday_on_or_before(datetime.date(y, 12, 19), 4)
    end2 = _weekday_on_or_before(datetime.date(y + 1, 4, 3), 4)
    end3 = _weekday_on_or_after(datetime.date(y + 1, 7, 1), 5)
    bounds = [(start, end1), (end1 + datetime.timedelta(days=3), end2),
              (end2 + datetime.timedelta(days=3), end3)]
    return {"millesime": str(y), "annee": school_year(str(y)),
            "periodes": [{"indice": i, "nb_periodes": 3, "nom": f"Trimestre {i}",
                          "date_debut": s.isoformat(), "date_fin": e.isoformat()}
                         for i, (s, e) in enumerate(bounds, 1)]}
