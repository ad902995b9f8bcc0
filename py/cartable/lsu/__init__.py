"""LSU: the socle 2016, the bilan de fin de cycle, the LSU file (export, pre-flight, import)
and its schema; the livret scolaire's bilans périodiques (domaines, periods, the bilans, the
grid, their part of the file)."""
