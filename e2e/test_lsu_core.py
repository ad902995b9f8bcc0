"""LSU in the browser, through Cartable.call: xmlschema is installed on demand by micropip from
the folder (no network), the export of an imported school is schema-valid and carries the six
bilans of the example unchanged, and xmlschema is not loaded at start-up."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from lsu_helpers import CE2, LSU_XML, bilans_of, onde_ids_kept
from school_helpers import built_once, onde_school

from cartable.lsu import lsu_schema

PASSWORD = "Directrice-2026"


def make_school(path: Path) -> bytes:
    """The ONDE school with its identity for LSU, prepared in CPython (in a thread of its own:
    Playwright's event loop runs in the test's thread)."""
    def check(a, _session):
        assert onde_ids_kept(a) == 143

    return onde_school(path, PASSWORD, then=check)


@pytest.fixture(scope="module")
def school_bytes(tmp_path_factory) -> bytes:
    return built_once(tmp_path_factory, "lsu-e2e", make_school)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


IMPORT_EXPORT = """(async () => {
  const bytes = Uint8Array.from(atob(%r), (c) => c.charCodeAt(0));
  await Cartable.call("auth.login", {login: "direction", password: %r});
  const t0 = performance.now();
  const imported = await Cartable.call("lsu.import", {data: bytes});
  const t1 = performance.now();
  const exported = await Cartable.call("lsu.export", {classes: [%r]});
  const t2 = performance.now();
  const again = await Cartable.call("lsu.export", {});
  const t3 = performance.now();
  let s = "";
  for (const b of exported.data) s += String.fromCharCode(b);
  return {statuts: imported.eleves.map((e) => e.statut), first_import_ms: t1 - t0,
          first_export_ms: t2 - t1, export_ms: t3 - t2, filename: exported.filename,
          b64: btoa(s), n: again.preflight.nb_exportables};
})()"""


def test_lsu_import_and_export_in_the_browser(page, e2e, school_bytes, record_property):
    assert e2e.wait_state(page) == "ready"
    e2e.idb_put(page, school_bytes)
    page.reload()
    assert e2e.wait_state(page) == "ready"
    loaded = e2e.js(page, "Cartable.call('app.status', {})")
    assert loaded["school"]["uai"] == "0441234C"
    result = e2e.js(page, IMPORT_EXPORT % (_b64(LSU_XML.read_bytes()), PASSWORD, CE2))
    assert "error" not in result, result
    assert result["statuts"] == ["ajouté"] * 6 and result["n"] == 6
    data = base64.b64decode(result["b64"])
    assert result["filename"].startswith("LSU_bilans-cycle2_0441234C_")
    assert lsu_schema.errors(data) == []
    assert bilans_of(data) == bilans_of(LSU_XML.read_bytes())
    for key in ("first_import_ms", "first_export_ms", "export_ms"):
        record_property(key, round(result[key]))


def test_xmlschema_is_not_loaded_at_start_up(page, e2e):
    """The page's requests (every embedded asset is a <script> request): none for the
    on-demand wheels until an LSU file is read, then both."""
    assert e2e.wait_state(page) == "ready"
    e2e.js(page, "Cartable.whenPandas()")  # the background loads are done too
    on_demand = ("xmlschema-4.3.2", "elementpath-5.1.4")
    assert not [u for u in page.requests if any(w in u for w in on_demand)]
    password = repr(PASSWORD)
    e2e.call(page, "app.setup", "{nom: 'École', directeur: {nom: 'Durand', prenom: 'Sophie', "
                                f"login: 'direction', password: {password}}}}}")
    e2e.call(page, "auth.login", f"{{login: 'direction', password: {password}}}")
    refused = e2e.js(page, "Cartable.call('lsu.preview', {data: new TextEncoder().encode("
                           "'<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\" "
                           "schemaVersion=\"1.0\"/>')})")
    assert "ne respecte pas le schéma LSU" in refused["error"], refused
    for wheel in on_demand:
        assert [u for u in page.requests if wheel in u], wheel
