"""What differs between CPython and Pyodide, behind one small interface.

Like micropip's ``_compat_in_pyodide`` / ``_compat_not_in_pyodide``: the implementation is
chosen once, here. Nothing else in the package imports ``js`` or ``pyodide``.

- ``await pbkdf2_sha256(password, salt, iterations)`` -> 32 bytes
  (CPython: ``hashlib.pbkdf2_hmac``; browser: WebCrypto, which is asynchronous — that is why
  ``Api.handle`` is a coroutine);
- ``await ensure_pandas()`` makes ``import pandas`` possible (browser: loads the package);
- ``today()`` / ``now()``: the local date and time.
"""

import sys

if sys.platform == "emscripten":  # pragma: no cover - exercised by the e2e tests
    from ._compat_pyodide import ensure_pandas, now, pbkdf2_sha256, today
else:
    from ._compat_cpython import ensure_pandas, now, pbkdf2_sha256, today

__all__ = ["ensure_pandas", "now", "pbkdf2_sha256", "today"]
