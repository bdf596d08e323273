"""Finding clients by id, by exact name, or by a fragment of their name."""

from __future__ import annotations

from peewee import fn

from relance.store.errors import StoreError
from relance.store.models import Client


class ClientNotFound(StoreError):
    """No client answers to the id or name given."""


def get_client(client_id: int) -> Client:
    """The client row, or a clear refusal."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise ClientNotFound(f"no client with id {client_id}")
    return client


def find_client_id(reference: str) -> int:
    """Resolve a client given by id or by exact name."""
    text = reference.strip()
    if not text.isprintable() and any("\ud800" <= char <= "\udfff" for char in text):
        # Bytes that are not UTF-8 on the command line: no name can match, and SQLite
        # cannot even be asked.
        raise ClientNotFound(f"no client {reference!r} (give its id or exact name)")
    # isdecimal, not isdigit ("²" is a digit int() cannot read); SQLite ids fit in 63 bits.
    # More than 19 digits cannot be an id, and int() refuses more than 4 300 of them.
    fits = text.isdecimal() and len(text) <= 19 and int(text) < 2**63
    as_id = int(text) if fits else None
    if as_id is not None and Client.select().where(Client.id == as_id).exists():
        return as_id
    found = Client.select(Client.id).where(Client.name == text).first()
    if found is None:
        shown = text if len(text) <= 60 else text[:60] + "…"
        raise ClientNotFound(f"no client {shown!r} (give its id or exact name)")
    return int(found.id)


def name_taken(name: str) -> bool:
    """True if a client already has this name, ignoring case."""
    return client_named(name) is not None


def client_named(name: str) -> Client | None:
    """The client with this name, ignoring case (accents included), if there is one."""
    found: Client | None = (
        Client.select().where(fn.casefold(Client.name) == name.casefold()).first()
    )
    return found


def search_clients(text: str, limit: int = 20) -> list[tuple[int, str]]:
    """Clients whose name contains ``text``, for go-to and completion."""
    query = Client.select(Client.id, Client.name)
    if text:
        query = query.where(fn.INSTR(fn.casefold(Client.name), text.casefold()) > 0)
    return [(client.id, client.name) for client in query.order_by(Client.name).limit(limit)]
