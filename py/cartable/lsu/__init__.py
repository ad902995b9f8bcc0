"""LSU, the Livret Scolaire Unique: the livret's bilans périodiques (domaines, periods, the
bilans themselves, their part of the ``import-bilan-1d`` file). docs/LSU.md."""
