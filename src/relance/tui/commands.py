"""Command palette providers: go to a client, switch theme, import a file, open the bank."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from relance.literal import one_line
from relance.store.lookup import search_clients
from relance.tui.db_thread import in_db_thread

# How many names the database hands the fuzzy matcher for one query.
CANDIDATES = 50


@runtime_checkable
class GoesToClients(Protocol):
    """A screen that can put its cursor on a client."""

    def go_to_client(self, client_id: int) -> None:
        """Show the client and highlight it."""


class ThemeSwitcher(Protocol):
    """An app that can switch theme and remember the choice."""

    def switch_theme(self, name: str) -> None:
        """Apply a theme by name."""


def candidate_clients(query: str) -> list[tuple[int, str]]:
    """Names worth scoring: those containing the query, else those containing one of its words."""
    found = search_clients(query.strip(), CANDIDATES)
    if found:
        return found
    seen: dict[int, str] = {}
    for word in sorted(query.split(), key=len, reverse=True):
        for client_id, name in search_clients(word, CANDIDATES):
            seen.setdefault(client_id, name)
    return list(seen.items())


def highlighted(name: str, offsets: Sequence[int]) -> Content:
    """A client name as plain content (never markup) with the matched letters underlined."""
    content = Content(name)
    for offset in offsets:
        if offset < len(name) and not name[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return content


class ClientCommands(Provider):
    """Go to a client: names come from the database in a thread, scored by the fuzzy matcher."""

    async def search(self, query: str) -> Hits:
        """Yield the clients whose name matches the query."""
        target = self.screen
        if not query.strip() or not isinstance(target, GoesToClients):
            return
        names = await asyncio.to_thread(in_db_thread, candidate_clients, query)
        matcher = self.matcher(query)
        for client_id, raw_name in names:
            name = one_line(raw_name)
            score, offsets = matcher.fuzzy_search.match(query, name)
            if score <= 0:
                continue
            yield Hit(
                score,
                Content.assemble("Go to ", highlighted(name, offsets)),
                partial(target.go_to_client, client_id),
                text=f"Go to {name}",
                help="Highlight this client in the list",
            )


class ThemeCommands(Provider):
    """Switch theme; the app saves the choice to the config file."""

    def _themes(self) -> list[str]:
        """Every registered theme, the relance ones first."""
        names = sorted(self.app.available_themes)
        return sorted(names, key=lambda name: (not name.startswith("relance-"), name))

    async def discover(self) -> Hits:
        """Offer the relance themes when the palette opens."""
        app: ThemeSwitcher = self.app  # type: ignore[assignment]
        for name in self._themes():
            if name.startswith("relance-"):
                label = f"Theme: {one_line(name)}"
                yield DiscoveryHit(
                    Content(label),
                    partial(app.switch_theme, name),
                    text=label,
                    help="Switch to this theme and save the choice",
                )

    async def search(self, query: str) -> Hits:
        """Yield the themes matching the query."""
        app: ThemeSwitcher = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for name in self._themes():
            # A theme file's name is the user's text: escape sequences in it are shown as codes.
            label = f"Theme: {one_line(name)}"
            score, offsets = matcher.fuzzy_search.match(query, label)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(label, offsets),
                    partial(app.switch_theme, name),
                    text=label,
                    help="Switch to this theme and save the choice",
                )


@runtime_checkable
class ImportsFiles(Protocol):
    """A screen that can open the import screen."""

    def action_import_file(self) -> None:
        """Open the import screen."""


IMPORT_COMMAND = "Import a file (CSV, e-invoice, export)"
IMPORT_HELP = "Preview what a file brings into the book, then import it"


class ImportCommands(Provider):
    """Open the import screen from the palette."""

    async def discover(self) -> Hits:
        """Offer the import when the palette opens."""
        target = self.screen
        if isinstance(target, ImportsFiles):
            yield DiscoveryHit(Content(IMPORT_COMMAND), target.action_import_file, help=IMPORT_HELP)

    async def search(self, query: str) -> Hits:
        """Yield the import when the query matches its name."""
        target = self.screen
        if not isinstance(target, ImportsFiles):
            return
        matcher = self.matcher(query)
        score, offsets = matcher.fuzzy_search.match(query, IMPORT_COMMAND)
        if score > 0:
            yield Hit(
                score,
                highlighted(IMPORT_COMMAND, offsets),
                target.action_import_file,
                text=IMPORT_COMMAND,
                help=IMPORT_HELP,
            )


@runtime_checkable
class ShowsAgenda(Protocol):
    """A screen that can open the week ahead."""

    def action_agenda(self) -> None:
        """Open the week ahead."""


AGENDA_COMMAND = "The week ahead (promises, instalments, calls, deadlines)"
AGENDA_HELP = "What falls due book-wide in the next 7 days, by date"


class AgendaCommands(Provider):
    """Open the week ahead from the palette."""

    async def discover(self) -> Hits:
        """Offer the week ahead when the palette opens."""
        target = self.screen
        if isinstance(target, ShowsAgenda):
            yield DiscoveryHit(Content(AGENDA_COMMAND), target.action_agenda, help=AGENDA_HELP)

    async def search(self, query: str) -> Hits:
        """Yield the week ahead when the query matches its name."""
        target = self.screen
        if not isinstance(target, ShowsAgenda):
            return
        matcher = self.matcher(query)
        score, offsets = matcher.fuzzy_search.match(query, AGENDA_COMMAND)
        if score > 0:
            yield Hit(
                score,
                highlighted(AGENDA_COMMAND, offsets),
                target.action_agenda,
                text=AGENDA_COMMAND,
                help=AGENDA_HELP,
            )


@runtime_checkable
class OpensBank(Protocol):
    """A screen that can open the bank screen."""

    def action_open_bank(self) -> None:
        """Open the bank screen."""


BANK_COMMAND = "Bank: import a statement, review the lines that wait"
BANK_HELP = "Payments the bank saw, matched to clients; accept, pick another or set aside"


class BankCommands(Provider):
    """Open the bank screen from the palette."""

    async def discover(self) -> Hits:
        """Offer the bank screen when the palette opens."""
        target = self.screen
        if isinstance(target, OpensBank):
            yield DiscoveryHit(Content(BANK_COMMAND), target.action_open_bank, help=BANK_HELP)

    async def search(self, query: str) -> Hits:
        """Yield the bank screen when the query matches its name."""
        target = self.screen
        if not isinstance(target, OpensBank):
            return
        matcher = self.matcher(query)
        score, offsets = matcher.fuzzy_search.match(query, BANK_COMMAND)
        if score > 0:
            yield Hit(
                score,
                highlighted(BANK_COMMAND, offsets),
                target.action_open_bank,
                text=BANK_COMMAND,
                help=BANK_HELP,
            )
