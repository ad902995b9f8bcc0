"""What differs between CPython and Pyodide, behind one small interface.

Like micropip's ``_compat_in_pyodide`` / ``_compat_not_in_pyodide``: the implementation is
chosen once, here. Nothing else in the package imports ``js`` or ``pyodide``.

- ``await pbkdf2_sha256(password, salt, iterations)`` -> 32 bytes
  (CPython: ``hashlib.pbkdf2_hmac``; browser: WebCrypto, which is asynchronous — that is why
  ``Api.handle`` is a coroutine);
- ``await ensure_pandas()`` makes ``import pandas`` possible (browser: loads the package);
- ``await ensure_xmlschema()`` makes ``import xmlschema`` possible (browser: micropip installs
  the wheels ``XMLSCHEMA_WHEELS`` that build.py embeds in the folder, the first time only);
- ``today()`` / ``now()``: the local date and time.
"""

import sys

# Pure-Python wheels installed on demand in the browser (pinned with their sha256 in build.py's
# PINNED; tests/test_build.py checks that both lists agree). Dependencies first.
XMLSCHEMA_WHEELS = ("elementpath-5.1.4-py3-none-any.whl", "xmlschema-4.3.2-py3-none-any.whl")

if sys.platform == "emscripten":  # pragma: no cover - exercised by the e2e tests
    from cartable._compat.pyodide import ensure_pandas, ensure_xmlschema, now, pbkdf2_sha256, today
else:
    from cartable._compat.cpython import ensure_pandas, ensure_xmlschema, now, pbkdf2_sha256, today

__all__ = ["XMLSCHEMA_WHEELS", "ensure_pandas", "ensure_xmlschema", "now", "pbkdf2_sha256",
           "today"]
