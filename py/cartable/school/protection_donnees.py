"""The "Protection des données" page: what Cartable holds about pupils and staff, where, who can
read it, how long to keep it and how to erase it — in French, ready for the IEN or the
académie's data-protection officer (DPO) to put in their register.

One text, two outputs: the app's screen (command ``protection.texte``) and
``docs/PROTECTION_DONNEES.md`` (``render_markdown()``; a test checks the file is up to date).
``FIELDS`` names every column of the tables that hold personal data; a test checks it against
the schema, so the page cannot forget a field added later.
"""

from __future__ import annotations

from cartable.accounts import passwords, signin

TITLE = "Protection des données personnelles — Cartable"

# Every column of the tables holding personal data, in words ("" = technical, not personal).
# The other tables (a test checks that there are no more): the school's own description.
SCHOOL_TABLES = ("meta", "niveau", "palier", "classe", "affectation", "periode",
                 "livret_element", "livret_parcours")
FIELDS = {
    "eleve": {
        "id": "", "nom": "nom", "prenom": "prénom", "classe_id": "classe",
        "actif": "", "sconet_id": "identifiant Sconet (s'il est connu)",
        "ine": "INE (s'il figure dans l'extraction ONDE)",
        "date_naissance": "date de naissance (si elle figure dans l'extraction)",
        "sexe": "sexe (s'il figure dans l'extraction)",
    },
    "utilisateur": {
        "id": "", "role": "rôle (directeur ou professeur)", "nom": "nom", "prenom": "prénom",
        "login": "identifiant de connexion",
        "password_hash": "empreinte du mot de passe (jamais le mot de passe lui-même)",
        "must_change_password": "", "actif": "", "failed_logins": "nombre d'essais manqués",
        "locked_until": "blocage temporaire après des essais manqués", "civilite": "civilité",
        "recovery_hash": "empreinte du code de secours du directeur",
    },
    "validation_item": {
        "eleve_id": "élève", "item_id": "item du socle", "etat": "validé ou invalidé",
        "date": "date de la décision", "info": "auteur de la décision (NOM et initiale)",
    },
    "bilan_cycle": {
        "eleve_id": "élève", "cycle": "cycle", "millesime": "année scolaire",
        "synthese": "synthèse écrite du bilan", "date_creation": "date du bilan",
        "date_verrou": "date de verrouillage", "origine": "saisi dans Cartable ou importé",
    },
    "bilan_position": {
        "eleve_id": "élève", "cycle": "cycle", "composante": "composante du socle",
        "position": "positionnement (1 à 4, ou dispensé)",
    },
    "bilan_auteur": {
        "eleve_id": "élève", "cycle": "cycle", "rang": "", "utilisateur_id": "compte",
        "civilite": "civilité", "nom": "nom", "prenom": "prénom",
    },
    "bilan_periodique": {
        "eleve_id": "élève", "periode_id": "période", "appreciation": "appréciation générale",
        "date_creation": "date du bilan", "date_verrou": "date de verrouillage",
        "date_scolarite": "date de début de scolarité dans la période",
        "origine": "saisi dans Cartable ou importé",
    },
    "bilan_periodique_acquis": {
        "eleve_id": "élève", "periode_id": "période", "code": "domaine",
        "position": "positionnement (1 à 4, ou non évalué)",
        "elements": "éléments de programme propres à l'élève",
        "appreciation": "appréciation du domaine",
    },
    "bilan_periodique_extra": {
        "eleve_id": "élève", "periode_id": "période", "kind": "",
        "code": "parcours, modalité d'accompagnement ou composante du socle",
        "texte": "commentaire du parcours, complément du PPRE ou positionnement sur le socle",
    },
    "bilan_periodique_auteur": {
        "eleve_id": "élève", "periode_id": "période", "rang": "", "utilisateur_id": "compte",
        "civilite": "civilité", "nom": "nom", "prenom": "prénom",
    },
    "validation_competence": {
        "eleve_id": "élève", "competence_id": "compétence du socle",
        "etat": "validée ou invalidée", "date": "date de la décision",
        "info": "auteur de la décision (NOM et initiale)",
    },
}


def _fields(table: str) -> str:
    return ", ".join(w for w in FIELDS[table].values() if w) + "."


def _donnees() -> dict:
    """The section "Données concernées": every personal field, table by table."""
    return {"titre": "Données concernées", "paragraphes": [
        ("Cartable ne contient rien d'autre que ce qui suit : ni adresse, ni responsables "
        "légaux, ni photo. Les textes écrits sur les élèves sont la synthèse du bilan de fin "
        "de cycle 2 et, dans le livret scolaire, les appréciations (par domaine et générale), "
        "les commentaires des parcours et le complément du PPRE. Les modalités "
        "d'accompagnement du livret (PAP, PAI, PPRE, PPS, RASED, ULIS, UPE2A) indiquent "
        "qu'un élève bénéficie d'un dispositif, parfois lié à sa santé ou à un handicap (PAI, "
        "PPS) : seul le nom du dispositif est enregistré (avec, pour le PPRE seulement, le "
        "complément écrit par l'enseignant, que LSU reçoit), jamais le contenu d'un PAI, "
        "d'un PAP ou d'un PPS.")], "liste": [
        "Élèves : " + _fields("eleve"),
        "Décisions sur les items : " + _fields("validation_item"),
        "Décisions sur les compétences : " + _fields("validation_competence"),
        "Bilan de fin de cycle 2 (LSU) : " + _fields("bilan_cycle") + " Par composante : "
        + _fields("bilan_position") + " Auteurs du bilan : " + _fields("bilan_auteur"),
        "Livret scolaire, bilans périodiques (LSU) : " + _fields("bilan_periodique")
        + " Par domaine : " + _fields("bilan_periodique_acquis") + " Parcours, modalités "
        "et socle : " + _fields("bilan_periodique_extra") + " Auteurs du bilan : "
        + _fields("bilan_periodique_auteur"),
        "Personnels (directeur, professeurs) : " + _fields("utilisateur"),
        "L'école : nom, numéro UAI, classes et niveaux, professeurs de chaque classe."]}


def sections() -> list[dict]:
    """``[{"titre", "paragraphes": [str], "liste": [str]}]``: the page, in order."""
    minutes = signin.LOCK_MAX_SECONDS // 60
    iterations = f"{passwords.ITERATIONS:,}".replace(",", "\u202f")  # 600 000
    return [
        {"titre": "Objet", "paragraphes": [
            ("Cartable sert à l'école à renseigner le livret personnel de compétences (socle "
            "commun, paliers 1 et 2) et à transmettre les décisions (fichier SACoche). Cette "
            "page décrit les données personnelles qu'il contient, pour le registre des "
            "traitements tenu par l'autorité académique. Le responsable du traitement et la "
            "base légale (mission de service public d'enseignement) sont à confirmer avec le "
            "délégué à la protection des données (DPO) de l'académie.")], "liste": []},
        _donnees(),
        {"titre": "Où sont les données", "paragraphes": [], "liste": [
            ("Dans ce navigateur, sur cet ordinateur : le stockage du navigateur (IndexedDB, "
            "base « cartable ») dans le profil de la session de l'ordinateur. Rien n'est "
            "envoyé ailleurs."),
            ("Dans Firefox, ce stockage est lié à l'emplacement exact du dossier Cartable : "
            "si le dossier est déplacé, renommé ou copié, ou si la clé USB change de lettre, "
            "l'école n'y apparaît plus (les données restent à l'ancien emplacement) ; on la "
            "rouvre depuis le fichier de l'école."),
            ("Dans le fichier de l'école (ecole-cartable-….sqlite3) que le directeur "
            "enregistre (clé USB, disque de l'ordinateur) : il contient toute l'école. Il "
            "peut être protégé par une phrase de passe (chiffrement AES-256-GCM) avant de "
            "quitter l'ordinateur."),
            ("Dans les fichiers SACoche exportés (décisions, nom et prénom des élèves) que le "
            "directeur remet pour l'import dans SACoche, et dans les fichiers LSU exportés "
            "(bilans de fin de cycle 2, bilans périodiques) qu'il importe dans le Livret scolaire "
            "unique.")]},
        {"titre": "Qui peut lire les données", "paragraphes": [], "liste": [
            ("Dans Cartable : le directeur ou la directrice voit toute l'école ; un professeur "
            "ne voit et ne valide que les élèves de ses classes. Chacun se connecte avec son "
            "identifiant et son mot de passe."),
            ("Les mots de passe sont conservés sous forme d'empreinte (PBKDF2-SHA256, "
            f"{iterations} itérations) ; après plusieurs essais manqués, le compte est "
            f"bloqué quelques minutes (au plus {minutes} min)."),
            ("Hors de Cartable : toute personne qui ouvre la session de cet ordinateur peut, "
            "avec des outils techniques, lire le stockage du navigateur. Utilisez une session "
            "de l'ordinateur protégée par un mot de passe."),
            ("Un fichier de l'école non protégé peut être lu par quiconque l'obtient (c'est "
            "une base SQLite) : protégez-le par une phrase de passe s'il quitte l'école.")]},
        {"titre": "Aucun sous-traitant, aucun transfert", "paragraphes": [
            ("Cartable fonctionne sans serveur, sans installation et sans réseau : il ne fait "
            "aucune requête sur Internet (la politique de sécurité de la page l'interdit), "
            "n'utilise aucun service en ligne, aucune mesure d'audience, aucune police ou "
            "bibliothèque téléchargée. Il n'y a donc ni sous-traitant ni transfert hors de "
            "l'Union européenne. Les seules transmissions sont celles que fait le directeur : "
            "les fichiers SACoche et LSU et, s'il le décide, le fichier de l'école.")],
         "liste": []},
        {"titre": "Durée de conservation", "paragraphes": [
            ("À fixer par l'école avec l'IEN et le DPO. Proposition : les données de l'année "
            "sont conservées tant que les élèves sont dans l'école ; une fois les décisions "
            "transmises (fichier SACoche importé) et le livret remis, effacez les données de "
            "Cartable des ordinateurs et détruisez les copies du fichier de l'école dont "
            "l'école n'a plus besoin, au plus tard à la fin de l'année scolaire suivante.")],
         "liste": []},
        {"titre": "Comment effacer les données", "paragraphes": [], "liste": [
            ("Sur chaque ordinateur où Cartable a servi : menu « Protection des données », "
            "bouton « Effacer les données de cet ordinateur ». Cartable propose d'abord de "
            "télécharger une dernière fois le fichier de l'école, puis demande confirmation. "
            "Il efface ses propres données du navigateur (la base IndexedDB « cartable » et "
            "ses réglages « cartable.… ») et rien d'autre."),
            ("Dans Firefox, faites-le depuis chaque emplacement où le dossier Cartable a été "
            "ouvert (chaque emplacement a son propre stockage)."),
            ("Supprimez aussi les fichiers de l'école et les fichiers SACoche et LSU (dossier "
            "Téléchargements, clé USB, disque), puis videz la corbeille."),
            ("Un élève parti n'est pas supprimé un par un : il est désactivé et n'apparaît "
            "plus ; ses données partent avec l'effacement de l'école.")]},
    ]


def page() -> dict:
    return {"titre": TITLE, "sections": sections()}


def render_markdown() -> str:
    """``docs/PROTECTION_DONNEES.md``: the same text as the screen."""
    out = [f"# {TITLE}", "",
           ("<!-- Generated from py/cartable/school/protection_donnees.py (the app's page): edit "
           "it there, then run `python -m cartable.school.protection_donnees > "
           "docs/PROTECTION_DONNEES.md`. -->"), ""]
    for s in sections():
        out += [f"## {s['titre']}", ""]
        for p in s["paragraphes"]:
            out += [p, ""]
        for item in s["liste"]:
            out.append(f"- {item}")
        if s["liste"]:
            out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(render_markdown(), end="")
