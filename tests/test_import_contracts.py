"""The import contracts name every part of the package, so a new module cannot slip past them."""

from __future__ import annotations

import tomllib

from locations import REPO

PACKAGE = REPO / "src" / "relance"
# The entry points sit above every contract's sources; they are checked as targets instead.
ENTRY_POINTS = {"relance.cli", "relance.tui", "relance.startup"}


def test_every_module_below_the_entry_points_is_a_source_of_the_layer_contracts() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}
    parts = {
        f"relance.{path.stem}" if path.is_file() else f"relance.{path.name}"
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.stem not in ("__init__", "__main__"))
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    below = parts - ENTRY_POINTS
    lower = contracts[
        "nothing below the entry points imports the app, the command line or the executable"
    ]
    assert set(lower["source_modules"]) == below
    database = contracts[
        "store alone touches the database: nobody else imports Peewee or the models"
    ]
    assert set(database["source_modules"]) == parts - {"relance.store"}
    pure = contracts[
        "domain is pure: it imports nothing of relance outside domain, and no database or UI"
    ]
    assert parts - {"relance.domain"} <= set(pure["forbidden_modules"])
