"""The school's nouns: its letterhead (nom, UAI, director), settings, niveaux and paliers,
classes and pupils, the director's dashboard, the school file's description, and the
protection des données page."""
