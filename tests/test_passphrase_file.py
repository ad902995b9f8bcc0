"""The passphrase-protected school file (web/ui/passphrase.js), run in Node.js's WebCrypto.

The header is parsed here in Python, as docs/SCHOOL_FILE.md describes it; the round trip, the
wrong phrase and every altered byte range are tried through the JS module itself."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from cartable.accounts import passwords
from cartable.api import Api, run
from cartable.errors import UserError
from cartable.school import file_info

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "web" / "ui" / "passphrase.js"

# An ES module (web/package.json: "type": "module"), imported by its file URL; the script's
# own arguments follow "--" (process.argv[1] onwards, as with `node -e`).
SCRIPT = r"""
import fs from "node:fs";
import { pathToFileURL } from "node:url";
const P = await import(pathToFileURL(process.argv[1]).href);
{
  const plain = new Uint8Array(fs.readFileSync(process.argv[2]));
  const phrase = "Le cartable de l'école Été";
  const sealed = await P.protect(plain, phrase);
  fs.writeFileSync(process.argv[3], sealed);
  const out = { protected: P.isProtected(sealed), plainProtected: P.isProtected(plain) };
  // the same phrase typed in another Unicode form (e + combining accent) opens it
  const back = await P.unprotect(sealed, phrase.normalize("NFD"));
  out.roundTrip = Buffer.compare(Buffer.from(back), Buffer.from(plain)) === 0;
  const fails = async (bytes, p) => {
    try { await P.unprotect(bytes, p); return null; } catch (e) { return [e.code || null, e.message]; }
  };
  out.wrong = await fails(sealed, "le cartable de l'école été");
  out.altered = {};
  for (const [name, at] of [["iterations", 20], ["salt", 25], ["iv", 40], ["body", P.HEADER + 5], ["tag", sealed.length - 1]]) {
    const copy = sealed.slice(); copy[at] ^= 1;
    out.altered[name] = await fails(copy, phrase);
  }
  // a header asking for 10^9 or 0 iterations: refused before any key is derived (a 10^9 key
  // would take minutes: the test's timeout would catch it)
  out.counts = {};
  for (const n of [1000000000, 0]) {
    const copy = sealed.slice(); new DataView(copy.buffer).setUint32(17, n, false);
    out.counts[n] = await fails(copy, phrase);
  }
  process.stdout.write(JSON.stringify(out));
}
"""


@pytest.fixture
def school_file(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(passwords, "ITERATIONS", 1000)
    api = Api(str(tmp_path / "ecole.sqlite3"))
    run(api.handle("app.setup", {"nom": "École du Port", "directeur": {
        "nom": "Le Goff", "prenom": "Anne", "password": "directrice1"}}))
    api.close()
    return tmp_path / "ecole.sqlite3"


def test_protect_round_trip_and_refusals(school_file, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: run .ci/setup")
    sealed_path = tmp_path / "ecole-protegee.sqlite3"
    done = subprocess.run([node, "--input-type=module", "-e", SCRIPT, str(MODULE), str(school_file), str(sealed_path)],
                          capture_output=True, text=True, check=True, timeout=120)
    out = json.loads(done.stdout)
    assert out["protected"] is True and out["plainProtected"] is False
    assert out["roundTrip"] is True
    assert out["wrong"][0] == "passphrase"
    assert "Phrase de passe incorrecte" in out["wrong"][1] and "rien n'a changé" in out["wrong"][1]
    assert all(v is not None and v[0] == "passphrase" for v in out["altered"].values()), out
    assert "a été modifié" in out["altered"]["iterations"][1]
    for n in ("1000000000", "0"):
        code, message = out["counts"][n]
        assert code == "passphrase" and "Ce fichier protégé a été modifié" in message, message

    # The header, as documented.
    sealed = sealed_path.read_bytes()
    plain = school_file.read_bytes()
    assert sealed[:16] == b"CARTABLE-CHIFFRE" and sealed[16] == 1
    assert struct.unpack(">I", sealed[17:21])[0] == 600_000
    assert len(sealed) == 49 + len(plain) + 16  # header + ciphertext + GCM tag
    assert b"cole du Port" not in sealed and b"SQLite format 3" not in sealed

    # The core recognises it and says what to do instead of "not a school file".
    with pytest.raises(UserError, match="protégé par une phrase de passe"):
        file_info.describe_bytes(sealed)


def test_passphrase_rule():
    """Tried: nothing, spaces, a number, 11 characters; 12 are enough."""
    for bad in (None, "   ", 123456789012, "onze-caract"):
        with pytest.raises(UserError):
            file_info.check_passphrase(bad)
    assert file_info.check_passphrase("douze-caract") == "douze-caract"
