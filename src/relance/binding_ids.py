"""The ids of the app's key bindings, which ``[keys]`` in the config file may remap."""

from __future__ import annotations

# Kept here rather than read from the TUI so the config can check `[keys]` without importing
# Textual; tests/test_binding_ids.py checks that this list and the app's bindings agree.
BINDING_IDS = frozenset(
    {
        "add_client",
        "add_invoice",
        "add_note",
        "back",
        "command_palette",
        "cursor_down",
        "cursor_up",
        "cycle_sort",
        "detail_down",
        "detail_up",
        "dispute",
        "due_today",
        "filter",
        "help",
        "help_close",
        "help_down",
        "help_up",
        "import_file",
        "list_bottom",
        "list_top",
        "log_call",
        "log_contact",
        "open_client",
        "outbox_close",
        "outbox_discard",
        "outbox_read",
        "outbox_redirect",
        "outbox_retry",
        "outbox_retry_all",
        "propose_plan",
        "quit",
        "record_payment",
        "redraw",
        "reminder_editor",
        "retry_outbox",
        "reverse_payment",
        "send_reminder",
        "set_profile",
        "snooze",
        "write_letter",
    }
)
