"""`relance contact add|set|remove|list|mark|clear-mark`: who to write to and who to call."""

from __future__ import annotations

import argparse

from rich import box
from rich.table import Table
from rich.text import Text

from relance.cli.actions import report
from relance.cli.context import Context
from relance.literal import literal
from relance.paths import outbox_path
from relance.services.contact_details import (
    ContactInput,
    add_contact,
    contact_record,
    list_contacts,
    remove_contact,
    set_contact,
)
from relance.services.contact_marks import clear_mark, mark_contact


def _typed(args: argparse.Namespace) -> ContactInput:
    """The contact's fields given on the command line; the ones left out stay None."""
    return ContactInput(
        name=args.name,
        role=args.role,
        email=args.email,
        phone=args.phone,
        address=args.address,
        billing=args.billing,
        language=args.lang,
    )


def contact_add(ctx: Context) -> int:
    """Add a contact to a client."""
    ctx.open_book()
    return report(ctx, add_contact(ctx.client_id(), _typed(ctx.args), ctx.now()))


def contact_set(ctx: Context) -> int:
    """Change some fields of one contact."""
    ctx.open_book()
    result = set_contact(ctx.client_id(), ctx.args.contact, _typed(ctx.args), ctx.now())
    return report(ctx, result)


def contact_remove(ctx: Context) -> int:
    """Remove one contact; says what becomes of reminders waiting for its address."""
    path = ctx.open_book()
    result = remove_contact(ctx.client_id(), ctx.args.contact, ctx.now(), outbox=outbox_path(path))
    return report(ctx, result)


def contact_mark(ctx: Context) -> int:
    """Mark a number wrong or an address bounced."""
    ctx.open_book()
    result = mark_contact(
        ctx.client_id(), ctx.args.contact, ctx.args.mark, ctx.now(), ctx.args.reason
    )
    return report(ctx, result)


def contact_clear_mark(ctx: Context) -> int:
    """Take a mark off a contact."""
    ctx.open_book()
    return report(ctx, clear_mark(ctx.client_id(), ctx.args.contact, ctx.args.mark, ctx.now()))


def contact_list(ctx: Context) -> int:
    """Every contact of the client with its marks, as a table or JSON."""
    ctx.open_book()
    contacts = list_contacts(ctx.client_id())
    if ctx.args.json:
        ctx.out.json([contact_record(contact) for contact in contacts])
        return 0
    if not contacts:
        ctx.out.line("no contact yet (`relance contact add CLIENT --email E`)")
        return 0
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in ("id", "name", "role", "e-mail", "phone", "address", "lang"):
        table.add_column(column, overflow="fold")
    for contact in contacts:
        role = ", ".join(filter(None, (contact.role, "billing" if contact.is_billing else "")))
        email = literal(contact.email)
        if contact.email_bounced is not None:
            email.append(f" [bounced: {contact.email_bounced}]")
        phone = literal(contact.phone)
        if contact.phone_wrong is not None:
            phone.append(f" [wrong: {contact.phone_wrong}]")
        table.add_row(
            Text(str(contact.contact_id)),
            literal(contact.name),
            literal(role),
            email,
            phone,
            literal(contact.address),
            Text(contact.language or "-"),
        )
    ctx.out.render(table)
    return 0
