"""`relance dossier CLIENT`: the files a legal claim against one client needs."""

from __future__ import annotations

from pathlib import Path

from relance.cli.context import Context
from relance.cli.errors import BadInput
from relance.cli.law import claim_record
from relance.cli.output import safe_json
from relance.cli.reports import client_record
from relance.services.dossier import (
    CLIENT_JSON,
    DossierTargetExists,
    check_target,
    default_dossier_name,
    dossier_files,
    read_dossier,
    write_folder,
    write_zip,
)

ZIP_SUFFIX = ".zip"


def dossier(ctx: Context) -> int:
    """Write the dossier as a folder, or a zip with --zip or an --out ending in .zip."""
    ctx.open_book()
    client_id = ctx.client_id()
    name = default_dossier_name(client_id, ctx.today)
    as_zip = bool(ctx.args.zip) or ctx.args.out.lower().endswith(ZIP_SUFFIX)
    if ctx.args.out:
        target = Path(ctx.args.out).expanduser()
    else:
        target = Path(name + ZIP_SUFFIX if as_zip else name)
    try:
        # Refuse before reading anything, so a refusal costs nothing and writes nothing.
        check_target(target)
        facts = read_dossier(
            client_id, ctx.today, ctx.config.creditor, court_costs=ctx.config.law.court_costs
        )
        record = {**client_record(facts.detail, facts.today), "claim": claim_record(facts.claim)}
        files = dossier_files(facts, {CLIENT_JSON: safe_json(record) + "\n"})
        folder_name = target.name.removesuffix(ZIP_SUFFIX) if as_zip else target.name
        written = write_zip(files, target, folder_name) if as_zip else write_folder(files, target)
    except DossierTargetExists as error:
        raise BadInput(str(error)) from None
    ctx.out.line(str(written.absolute()))
    return 0
