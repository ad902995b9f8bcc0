"""The command line's one shape: every action is a function ``run(args) -> exit status``
registered with ``@action(name, help, arguments)``; it opens the school file with
``with School(args.db) as school:`` once its own input is checked, and calls the API as the
school's director with ``school(command, payload)``. ``main.py`` builds the parser from this
registry.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from cartable import api as api_module
from cartable.errors import UserError


class CliError(Exception):
    """A mistake on the command line (exit status 2)."""


@dataclass
class Action:
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


ACTIONS: dict[str, Action] = {}


def action(name: str, help: str, arguments: Callable[[argparse.ArgumentParser], None]):
    """Register ``run(args)`` as the action ``name`` (``arguments(parser)`` adds its options)."""

    def register(run):
        assert name not in ACTIONS, f"action {name} registered twice"
        ACTIONS[name] = Action(name, help, arguments, run)
        return run

    return register


def no_school_message(path: str) -> str:
    return (f"Le fichier d'école « {path} » n'existe pas. Vérifiez le chemin, ou créez d'abord "
            f"l'école : python -m cartable --db {path} nouvelle-ecole --nom \"École …\" "
            "--directeur-nom NOM --directeur-prenom PRÉNOM.")


class School:
    """An open school file and its director session: ``school(command, payload)``; a context
    manager that closes the file. ``create``: the file may not exist yet (``call app.setup``)."""

    def __init__(self, path: str, create: bool = False):
        if not create and not os.path.exists(path):
            raise UserError(no_school_message(path))
        self.api = api_module.Api(path)
        self.session = self.api.director_session()

    def __call__(self, command: str, payload: dict | None = None) -> Any:
        return api_module.run(self.api.handle(command, payload or {}, self.session))

    def close(self) -> None:
        self.api.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
