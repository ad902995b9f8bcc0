"""The schools the e2e tests start from, and the steps every screen test takes.

- ``director_only``: in the page, a school with only its director (Marie Dupuis, ``direction``),
  the interface restarted on the login screen.
- ``csv_school``: in the page, through ``Cartable.call``: a school, its director (Marie Dupuis,
  ``direction``), the pupils of a Base-Élèves CSV; logged out.
- ``school_with_teacher``: in the page: the ONDE example school (``tests/fixtures/onde``), its
  director, a teacher affected to one class as its professeur principal; logged out, the page
  reloaded.
- ``onde_school``: that school made by the core in CPython, with real hashes (600 000
  iterations: the browser refuses a school file whose hashes use another count,
  school/file_check.py), ``in_thread`` to run it outside Playwright's event loop and
  ``built_once`` for a module fixture; ``open_stored`` puts the bytes in the page's storage.
- ``cm2_school``: a school file made by the core in CPython: its director, class CM2 A and
  its pupils, what a test adds, its last change.
- ``login``, ``menu``, ``notice``: the login screen, a menu entry, the last success message.
"""

from __future__ import annotations

import base64
import concurrent.futures
import sys
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
ONDE_CSV = ROOT / "tests" / "fixtures" / "onde" / "CSVExtraction.csv"

TIMEOUT = 60_000
DIRECTOR, TEACHER = ("direction", "Directrice-2026"), ("cla.lucas", "Maitresse-2026")
SCHOOL = "École Jules Ferry"

# The set-up of ``director_only``.
DIRECTOR_ONLY = """async (password) => {
  await Cartable.call("app.setup", {nom: "École de test", directeur:
    {nom: "Dupuis", prenom: "Marie", login: "direction", password}});
  await Cartable.call("auth.logout", {});  // app.setup logs the director in
  return true;
}"""

# The set-up of ``csv_school``; returns base_eleves.apply's reply.
CSV_SCHOOL = """async ({nom, csv, filename, password, paliers}) => {
  const C = window.Cartable;
  await C.call("app.setup", {nom, directeur:
    {nom: "Dupuis", prenom: "Marie", login: "direction", password}});
  await C.call("auth.login", {login: "direction", password});
  if (paliers) await C.call("paliers.set", {actifs: paliers});
  await C.whenPandas();
  const r = await C.call("base_eleves.apply", {data: new TextEncoder().encode(csv), filename});
  await C.call("auth.logout", {});
  return r;
}"""

# The set-up of ``school_with_teacher``, in the page; returns the class's number of pupils.
WITH_TEACHER = """async ({setup, teacher, onde, classe}) => {
  const C = Cartable;
  await C.call("app.setup", setup);
  await C.call("auth.login", {login: setup.directeur.login, password: setup.directeur.password});
  await C.whenPandas();
  const data = Uint8Array.from(atob(onde), (c) => c.charCodeAt(0));
  await C.call("base_eleves.apply", {data, filename: "CSVExtraction.csv"});
  const prof = await C.call("professeurs.create", teacher);
  const found = (await C.call("classes.list", {})).find((c) => c.nom === classe);
  await C.call("affectations.set", {professeur_id: prof.id, classe_id: found.id, affecte: true});
  await C.call("affectations.set_principal", {classe_id: found.id, professeur_id: prof.id});
  await C.call("auth.logout", {});
  return found.nb_eleves;
}"""


def director_only(page, password: str) -> None:
    """On the first screen: the school and its director, then the login screen."""
    assert page.evaluate(DIRECTOR_ONLY, password)
    page.evaluate("() => window.CartableApp.start()")


def csv_school(page, csv: str, password: str, nom: str = "École du Centre",
               filename: str = "e.csv", paliers: list[int] | None = None) -> dict:
    """The school ``nom`` with the pupils of ``csv`` (``paliers``: the active ones, when
    given), made on the first screen; returns base_eleves.apply's reply."""
    return page.evaluate(CSV_SCHOOL, {"nom": nom, "csv": csv, "filename": filename,
                                      "password": password, "paliers": paliers})


def school_with_teacher(page, e2e, classe: str, uai: str | None = None,
                        civilite: str | None = None) -> int:
    """The ONDE school with ``DIRECTOR`` and ``TEACHER`` (Claire Lucas) teaching ``classe``
    (an ONDE class's name); ``uai`` and the ``civilite`` of both given when asked. Returns the
    class's number of pupils; the page is reloaded, on the login screen."""
    assert e2e.wait_state(page) == "ready"
    n = with_teacher(page, classe, uai, civilite)
    page.reload()
    assert e2e.wait_state(page) == "ready"
    return n


def with_teacher(page, classe: str, uai: str | None = None, civilite: str | None = None) -> int:
    """``school_with_teacher``'s school made in the page (ready, on its first screen), without
    the reload; returns the class's number of pupils."""
    director = {"nom": "Durand", "prenom": "Sophie", "login": DIRECTOR[0],
                "password": DIRECTOR[1]}
    teacher = {"nom": "Lucas", "prenom": "Claire", "login": TEACHER[0], "password": TEACHER[1]}
    if civilite:
        director["civilite"] = teacher["civilite"] = civilite
    setup = {"nom": SCHOOL, "directeur": director, **({"uai": uai} if uai else {})}
    return page.evaluate(WITH_TEACHER, {"setup": setup, "teacher": teacher, "classe": classe,
                                        "onde": base64.b64encode(ONDE_CSV.read_bytes()).decode()})


def onde_school(path: Path, password: str, uai: str = "0441234C", then=None) -> bytes:
    """The ONDE school made by the core (director ``direction`` / ``password``, Mme Sophie
    Durand); ``then(api, session)`` adds what a test needs. Returns the school file's bytes."""
    sys.path.insert(0, str(ROOT / "tests"))
    from lsu_helpers import onde_school as through_api

    from cartable.api import Api

    a = Api(str(path))
    d = through_api(a, {"login": "direction", "password": password}, uai=uai)
    if then is not None:
        then(a, d)
    a.close()
    return path.read_bytes()


def cm2_school(path: Path, password: str, nom: str = SCHOOL, uai: str = "0441234C",
               pupils: int = 0, name: str = "ÉLÈVE{i}", stamp: str | None = None,
               more=None) -> Path:
    """A school file made by the core in CPython (run it ``in_thread``): director Marie Dupuis
    (``direction`` / ``password``), class CM2 A with ``pupils`` pupils (Léa, ``name`` formatted
    with their index), ``more(db)`` in the same transaction, its last change set to ``stamp``
    when given. Returns ``path``."""
    from cartable import api as core

    a = core.Api(str(path))
    core.run(a.handle("app.setup", {"nom": nom, "uai": uai, "directeur": {
        "nom": "Dupuis", "prenom": "Marie", "login": "direction", "password": password}}))
    with a.db:
        a.db.execute("INSERT INTO classe (niveau_id, nom, ref) VALUES (18, 'CM2 A', 'cm2a')")
        for i in range(pupils):
            a.db.execute("INSERT INTO eleve (nom, prenom, classe_id) VALUES (?, 'Léa', 1)",
                         (name.format(i=i),))
        if more is not None:
            more(a.db)
    if stamp is not None:
        a.db.execute("UPDATE meta SET value = ? WHERE key = 'derniere_modification'", (stamp,))
    a.close()
    return path


def in_thread(make, *args):
    """``make(*args)`` in a thread of its own (Playwright's sync API runs an event loop in the
    test's thread, the core's ``run`` would meet it)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(make, *args).result()


def built_once(tmp_path_factory, folder: str, make) -> bytes:
    """A school file's bytes, ``make(path)`` run in a thread, in a fresh ``folder``."""
    return in_thread(make, tmp_path_factory.mktemp(folder) / "ecole.sqlite3")


def open_stored(page, e2e, data: bytes, timeout: int) -> None:
    """The laptop's window (1366×768), ``timeout`` for every wait, the school file ``data`` in
    the page's storage and the page reloaded, ready."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_timeout(timeout)
    expect.set_options(timeout=timeout)
    assert e2e.wait_state(page) == "ready"
    e2e.idb_put(page, data)
    page.reload()
    assert e2e.wait_state(page) == "ready"


def login(page, user: str, password: str) -> None:
    """Sign in through the login screen; waits until the application is shown (the header's
    « Se déconnecter »: the menu is in the page too, folded when the first screen is a grid;
    ``nav.menu`` is in the page, hidden, on the login screen already)."""
    expect(page.locator(".ecran-connexion h2")).to_have_text("Connexion", timeout=TIMEOUT)
    page.get_by_label("Identifiant").fill(user)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#deconnexion")).to_be_visible(timeout=TIMEOUT)


def menu(page, vue: str) -> None:
    """A menu entry clicked: its screen's title is shown."""
    page.click(f'nav.menu button[data-vue="{vue}"]')
    expect(page.locator(f".vue-{vue} h2")).to_be_visible(timeout=TIMEOUT)


def notice(page, text: str) -> None:
    """The last success message contains ``text``."""
    expect(page.locator(".messages .alerte.succes").last).to_contain_text(text, timeout=TIMEOUT)
