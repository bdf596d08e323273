"""The contacts screen (`e`): one client's contacts with their marks, and keys to change them."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import ColumnKey

from relance.literal import literal, one_line
from relance.services.contact_details import list_contacts
from relance.services.results import ActionResult
from relance.store.contacts import ContactDetails
from relance.tui.db_thread import in_db_thread
from relance.tui.look import clip

if TYPE_CHECKING:
    from relance.tui.app import RelanceApp

EMPTY = "No contact yet: press a to add one."
# Widths of the name, phone and state columns; the e-mail takes what is left (the role, the
# address and the language are shown under the list).
NAME_WIDTH, PHONE_WIDTH, STATE_WIDTH = 14, 17, 20
FIXED_WIDTH = NAME_WIDTH + PHONE_WIDTH + STATE_WIDTH + 4 * 2
MIN_EMAIL = 14


def state(contact: ContactDetails) -> Text:
    """The marks and whether it is the billing contact, in words; the reasons go under the list."""
    text = Text()
    for shown, word, style in (
        (contact.email_bounced is not None, "bounced", "bold red"),
        (contact.phone_wrong is not None, "wrong number", "bold red"),
        (contact.is_billing, "billing", "dim"),
    ):
        if shown:
            text.append(" " if text else "")
            text.append(word, style=style)
    text.truncate(STATE_WIDTH, overflow="ellipsis")
    return text


def struck(value: str, mark: str | None, width: int) -> Text:
    """A phone or an address, clipped, struck through when it is marked."""
    return literal(clip(one_line(value), width), "strike" if mark is not None else "")


def contact_lines(contact: ContactDetails) -> Text:
    """The highlighted contact in full: role, address, language and each mark's reason."""
    text = Text()
    text.append_text(literal(one_line(contact.label), "bold"))
    if contact.role:
        text.append(" · ")
        text.append_text(literal(one_line(contact.role)))
    if contact.is_billing:
        text.append(" · billing contact")
    text.append(f" · writes in {contact.language}" if contact.language else " · client's language")
    if contact.address:
        text.append("\nAddress ", style="bold")
        text.append_text(literal(one_line(contact.address)))
    if contact.phone_wrong is not None:
        text.append("\nWrong number ", style="bold")
        text.append_text(literal(one_line(f"{contact.phone}: {contact.phone_wrong}")))
    if contact.email_bounced is not None:
        text.append("\nBounced ", style="bold")
        text.append_text(literal(one_line(f"{contact.email}: {contact.email_bounced}")))
    return text


class ContactsScreen(Screen[bool]):
    """One client's contacts, the billing one first, with keys to add, edit, remove and mark."""

    DEFAULT_CSS = """
    ContactsScreen #contacts-pane {
        height: 1fr;
        border: round $primary;
        border-title-style: bold;
    }
    ContactsScreen #contacts-table {
        height: 1fr;
    }
    ContactsScreen #contacts-empty {
        padding: 1 2;
        display: none;
    }
    ContactsScreen #contacts-about {
        height: auto;
        max-height: 5;
        padding: 0 1;
        border-top: solid $primary 50%;
    }
    """

    # Each tooltip is the key's line in the help screen.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="contacts_add", tooltip="contacts: add a contact"),
        Binding(
            "enter,e",
            "edit",
            "Edit",
            priority=True,
            id="contacts_edit",
            tooltip="contacts: edit the highlighted contact",
        ),
        Binding(
            "x",
            "remove",
            "Remove",
            id="contacts_remove",
            tooltip="contacts: remove the highlighted contact",
        ),
        Binding(
            "w",
            "mark_wrong",
            "Wrong number",
            id="contacts_wrong_number",
            tooltip="contacts: mark the highlighted contact's number wrong",
        ),
        Binding(
            "b",
            "mark_bounced",
            "Bounced",
            id="contacts_bounced",
            tooltip="contacts: mark the highlighted contact's address bounced",
        ),
        Binding(
            "u",
            "clear_mark",
            "Clear mark",
            id="contacts_clear_mark",
            tooltip="contacts: clear a wrong-number or bounced mark",
        ),
        Binding(
            "escape,q",
            "close",
            "Back",
            id="contacts_close",
            tooltip="contacts: back to where you were",
        ),
    ]
    AUTO_FOCUS = "#contacts-table"

    def __init__(self, client_id: int, client_name: str) -> None:
        """The contacts of this client."""
        super().__init__()
        self.client_id = client_id
        self.client_name = client_name
        self.contacts: list[ContactDetails] | None = None
        # Whether anything was saved here: the opener reads again only then.
        self.changed = False

    @property
    def relance(self) -> RelanceApp:
        """The app (today, the config, the outbox)."""
        return cast("RelanceApp", self.app)

    def compose(self) -> ComposeResult:
        """The list of contacts, the highlighted one in full, the keys."""
        with Vertical(id="contacts-pane") as pane:
            pane.border_title = Text.assemble("Contacts · ", literal(one_line(self.client_name)))
            yield DataTable(id="contacts-table", cursor_type="row", zebra_stripes=False)
            yield Static(id="contacts-empty")
            yield Static(id="contacts-about")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Set the columns for the screen's width and read the contacts."""
        table = self.query_one(DataTable)
        email = max(MIN_EMAIL, self.app.size.width - FIXED_WIDTH - 4)
        for label, width in (
            ("Name", NAME_WIDTH),
            ("E-mail", email),
            ("Phone", PHONE_WIDTH),
            ("State", STATE_WIDTH),
        ):
            table.add_column(label, width=width, key=label.lower())
        self.query_one("#contacts-about", Static).update(Text("Reading the contacts…", style="dim"))
        self.reload()

    @work(thread=True, group="contacts-read", exclusive=True, exit_on_error=False)
    def reload(self) -> None:
        """Worker: read the client's contacts."""
        contacts = in_db_thread(list_contacts, self.client_id)
        self.app.call_from_thread(self._show, contacts)

    def _show(self, contacts: list[ContactDetails]) -> None:
        """Fill the table, keeping the cursor on the contact it was on."""
        if not self.is_attached:
            return
        table = self.query_one(DataTable)
        current = self.current
        self.contacts = contacts
        table.clear()
        email_width = table.columns[ColumnKey("e-mail")].width
        for contact in contacts:
            table.add_row(
                literal(clip(one_line(contact.name), NAME_WIDTH)),
                struck(contact.email, contact.email_bounced, email_width),
                struck(contact.phone, contact.phone_wrong, PHONE_WIDTH),
                state(contact),
                key=str(contact.contact_id),
            )
        empty = not contacts
        table.display = not empty
        empty_line = self.query_one("#contacts-empty", Static)
        empty_line.display = empty
        empty_line.update(Text(EMPTY))
        ids = [contact.contact_id for contact in contacts]
        if current is not None and current.contact_id in ids:
            table.move_cursor(row=ids.index(current.contact_id))
        self._show_about()

    @property
    def current(self) -> ContactDetails | None:
        """The highlighted contact, if any."""
        if not self.contacts:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.contacts[row] if 0 <= row < len(self.contacts) else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        """Show the contact under the cursor in full."""
        self._show_about()

    def _show_about(self) -> None:
        """The highlighted contact's details and marks."""
        contact = self.current
        about = self.query_one("#contacts-about", Static)
        about.update(contact_lines(contact) if contact is not None else "")

    # ---- keys -----------------------------------------------------------------------------

    def _highlighted_contact(self) -> ContactDetails | None:
        """The contact to act on, or None after saying there is none."""
        contact = self.current
        if contact is None:
            self.notify("No contact yet: press a to add one.", markup=False)
        return contact

    def action_add(self) -> None:
        """Add a contact to the client."""
        from relance.tui.modals.contact_details import ContactFormModal

        self.app.push_screen(ContactFormModal(self.client_id, self.client_name), self._acted)

    def action_edit(self) -> None:
        """Edit the highlighted contact."""
        from relance.tui.modals.contact_details import ContactFormModal

        contact = self._highlighted_contact()
        if contact is not None:
            form = ContactFormModal(self.client_id, self.client_name, contact)
            self.app.push_screen(form, self._acted)

    def action_remove(self) -> None:
        """Ask, then remove the highlighted contact."""
        from relance.tui.modals.contact_details import RemoveContactModal

        contact = self._highlighted_contact()
        if contact is not None:
            form = RemoveContactModal(self.client_id, self.client_name, contact)
            self.app.push_screen(form, self._acted)

    def action_mark_wrong(self) -> None:
        """Mark the highlighted contact's number wrong."""
        self._mark("wrong-number")

    def action_mark_bounced(self) -> None:
        """Mark the highlighted contact's address bounced."""
        self._mark("bounced")

    def _mark(self, mark: str) -> None:
        """Open the mark form for the highlighted contact."""
        from relance.tui.modals.contact_details import MarkContactModal

        contact = self._highlighted_contact()
        if contact is not None:
            form = MarkContactModal(self.client_id, self.client_name, contact, mark)
            self.app.push_screen(form, self._acted)

    def action_clear_mark(self) -> None:
        """Take a mark off the highlighted contact."""
        from relance.tui.modals.contact_details import ClearMarkModal

        contact = self._highlighted_contact()
        if contact is None:
            return
        if contact.phone_wrong is None and contact.email_bounced is None:
            self.notify(f"{one_line(contact.label)} bears no mark.", markup=False)
            return
        self.app.push_screen(ClearMarkModal(self.client_id, self.client_name, contact), self._acted)

    def _acted(self, result: ActionResult | None) -> None:
        """Tell what a form did and read the contacts again."""
        if result is None:
            return
        self.changed = True
        self.notify(result.summary, markup=False)
        self.reload()

    def action_close(self) -> None:
        """Back to the list or the form that opened the screen, saying whether anything changed."""
        self.dismiss(self.changed)
