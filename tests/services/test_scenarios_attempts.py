"""Scenario: contacts that never reached the client are cited nowhere, and marked as attempts."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from pathlib import Path

from peewee import SqliteDatabase
from pypdf import PdfReader

from relance.config import Config, SmtpSettings
from relance.delivery.outbox import Outbox
from relance.services import drafting
from relance.services.calls import log_call
from relance.services.dossier import HISTORY_CSV, HISTORY_TXT, README, dossier_files, read_dossier
from relance.services.letters import write_letter
from relance.services.outbox import redirect_message
from relance.services.reminders import send_reminder
from reminder_fixtures import CREDITOR, owing_client
from smtp_server import smtp_server

GONE = "gone@brun.fr"
REFUSAL = "550 5.1.1 no such mailbox"


def moment(day: str) -> datetime:
    """Nine in the morning of an ISO day."""
    return datetime.combine(date.fromisoformat(day), time(9, 0))


def letter_words(client_id: int, day: str, config: Config, folder: Path) -> str:
    """The text of the formal notice written on ``day``, on one line, spaces made single."""
    result = write_letter(client_id, moment(day), config, folder, kind="formal-notice")
    pages = PdfReader(Path(str(result.record["path"]))).pages
    text = " ".join(page.extract_text() for page in pages).replace("\u00a0", " ")
    return " ".join(text.split())


def opening_of(body: str) -> str:
    """The line of a drafted message that says why it is written (the one after the greeting)."""
    return next(
        line
        for line in body.splitlines()
        if line.startswith(("Despite", "The following", "The invoice"))
    )


def test_attempts_are_never_cited_and_the_dossier_marks_them(
    book: SqliteDatabase, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    client_id = owing_client(moment("2026-11-02"), language="en", email_address=GONE)
    with smtp_server() as server:
        server.collector.refuse_recipients[GONE] = REFUSAL
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        config = Config(path=tmp_path / "config.toml", creditor=CREDITOR, smtp=smtp)

        # Week 1: the reminder is refused for good; week 2 and 3: two calls reach nobody.
        refused = send_reminder(client_id, moment("2026-11-02"), config, outbox)
        assert refused.record["status"] == "failed"
        log_call(client_id, "no-answer", moment("2026-11-09"))
        log_call(client_id, "wrong-number", moment("2026-11-16"))

        # Nothing reached the client: neither the messages nor the letter claim reminders.
        for template in ("firm", "formal-notice", "last-reminder"):
            body = drafting.draft_reminder(
                client_id, date(2026, 11, 23), config, template=template
            ).body
            assert "Despite" not in body and "had no effect" not in body
            assert "We reminded you" not in body
        firm = drafting.draft_reminder(client_id, date(2026, 11, 23), config, template="firm")
        assert opening_of(firm.body) == (
            "The invoices below remain unpaid although payment was due."
        )
        notice = drafting.draft_reminder(
            client_id, date(2026, 11, 23), config, template="formal-notice"
        )
        assert opening_of(notice.body) == (
            "The following sums remain unpaid although payment was due:"
        )
        first_letter = letter_words(client_id, "2026-11-23", config, tmp_path / "letters")
        assert "Despite" not in first_letter
        assert (
            "The following invoices remain unpaid although their due dates have passed:"
            in first_letter
        )

        # The dossier: nothing counted as reached but the letter; every attempt marked.
        files = dossier_files(read_dossier(client_id, date(2026, 11, 23), CREDITOR), {})
        readme = files[README]
        assert "  reached the client: 1\n    2026-11-23  letter\n" in readme
        assert "attempts that did not reach the client (not counted above): 3" in readme
        history = files[HISTORY_TXT]
        for mark in (
            "attempt: refused by the server",
            "attempt: no answer",
            "attempt: wrong number",
        ):
            assert history.count(mark) == 1
        rows = list(csv.DictReader(io.StringIO(files[HISTORY_CSV], newline="")))
        marks = {(row["kind"], row["outcome"]): row["attempt"] for row in rows}
        assert marks[("email", "queued")] == "attempt: refused by the server"
        assert marks[("call", "no-answer")] == "attempt: no answer"
        assert marks[("call", "wrong-number")] == "attempt: wrong number"
        assert [row["attempt"] for row in rows if row["kind"] == "letter"] == [""]

        # Redirected and accepted: from now on the reminder is cited, and no longer an attempt.
        [entry] = Outbox(outbox).entries()
        _, delivery = redirect_message(
            outbox, entry.name, "compta@brun.fr", config, moment("2026-11-30")
        )
        assert delivery.status == "sent"
        notice = drafting.draft_reminder(
            client_id, date(2026, 12, 7), config, template="formal-notice"
        )
        assert "We reminded you on 23 November 2026 (letter) and on 30 November 2026 (e-mail)." in (
            notice.body
        )
        assert (
            opening_of(notice.body) == "Despite these reminders, the following sums remain unpaid:"
        )
        second_letter = letter_words(client_id, "2026-12-07", config, tmp_path / "letters")
        assert "Despite our previous reminders, the following invoices remain unpaid" in (
            second_letter
        )
        files = dossier_files(read_dossier(client_id, date(2026, 12, 7), CREDITOR), {})
        assert "attempt: refused by the server" not in files[HISTORY_TXT]
        assert "attempts that did not reach the client (not counted above): 2" in files[README]
