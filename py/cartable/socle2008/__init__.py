"""The socle commun 2008, palier 2: its référentiel, the validation grid (pure rules, its
decisions in the database, its words) and the attestation."""
