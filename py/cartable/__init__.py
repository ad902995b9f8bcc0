"""Cartable: validation of the socle commun (palier 2) for French primary schools.

The package knows nothing of the browser: it takes bytes and plain data and returns bytes
and plain data. See ``api.Api`` for the single entry point.
"""

__version__ = "0.1.0"
