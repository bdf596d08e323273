"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 at a free port, keeping what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    """One message as the server got it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        """The message parsed with the standard library, as a mail reader would."""
        parsed = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Collector:
    """The server's handler: keeps every message, or refuses them with ``refuse``."""

    received: list[Received] = field(default_factory=list)
    refuse: str = ""
    logins: list[tuple[str, str]] = field(default_factory=list)
    # A careless server that puts the password it was given into its 535 reply.
    echo_password: bool = False
    # Recipients refused at RCPT with their reply (``{"gone@x.fr": "550 5.1.1 no such user"}``).
    refuse_recipients: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        """Refuse the recipients listed in ``refuse_recipients``, take the others."""
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Take (or refuse) one message."""
        if self.refuse:
            return self.refuse
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        )
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """A running test server and how to reach it."""

    collector: Collector
    port: int
    controller: Controller | None = None

    def stop(self) -> None:
        """Stop listening: connections are refused until ``start``."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        """Every message taken so far."""
        return self.collector.received


def _authenticator(collector: Collector, password: str) -> Any:
    """Accept one password; remember every login tried."""

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, given = data.login.decode(), data.password.decode()
        collector.logins.append((login, given))
        if given != password:
            if collector.echo_password:
                return AuthResult(
                    success=False, handled=False, message=f"535 5.7.8 {given} is wrong for {login}"
                )
            # handled=False: aiosmtpd answers 535 itself.
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True)

    return check


def start_server(
    collector: Collector,
    port: int,
    *,
    password: str = "",
    tls_context: ssl.SSLContext | None = None,
) -> SmtpServer:
    """Start a server on 127.0.0.1:port (with AUTH when a password is given)."""
    options: dict[str, Any] = {}
    if password:
        options.update(authenticator=_authenticator(collector, password), auth_require_tls=False)
    if tls_context is not None:
        options.update(tls_context=tls_context, require_starttls=True)
    controller = Controller(collector, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return SmtpServer(collector, port, controller)


@contextmanager
def smtp_server(**options: Any) -> Iterator[SmtpServer]:
    """A server for the length of a block."""
    server = start_server(Collector(), free_port(), **options)
    try:
        yield server
    finally:
        server.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
