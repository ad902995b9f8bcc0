"""LSU: the socle 2016, the bilan de fin de cycle, the LSU file (export, pre-flight, import)
and its schema."""
