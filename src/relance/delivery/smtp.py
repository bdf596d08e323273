"""Handing a message to the user's own mail server, with the password read only at that moment."""

from __future__ import annotations

import base64
import os
import smtplib
import ssl
import subprocess

from relance.config import SmtpSettings

CONNECT_TIMEOUT_SECONDS = 30.0
HIDDEN = "[password hidden]"
PASSWORD_COMMAND_TIMEOUT_SECONDS = 30.0


class DeliveryError(Exception):
    """The message did not go; the text is the reason to show and keep (never a secret)."""


def read_password(settings: SmtpSettings) -> str:
    """The SMTP password, from its environment variable or its command; never stored anywhere."""
    if settings.password_env:
        value = os.environ.get(settings.password_env, "")
        if not value:
            raise DeliveryError(
                f"the environment variable {settings.password_env} (smtp.password_env) is not set"
            )
        return value
    if settings.password_command:
        return _password_from_command(settings.password_command)
    return ""


def _password_from_command(argv: tuple[str, ...]) -> str:
    """Run the password command without a shell; its first output line is the password."""
    program = argv[0]
    try:
        # stderr is captured and dropped: a password manager may print hints or the secret.
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=PASSWORD_COMMAND_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise DeliveryError(f"smtp.password_command: no program {program!r}") from None
    except subprocess.TimeoutExpired:
        raise DeliveryError(
            f"smtp.password_command did not answer in {PASSWORD_COMMAND_TIMEOUT_SECONDS:.0f} s"
        ) from None
    except OSError as error:
        raise DeliveryError(
            f"smtp.password_command: cannot run {program!r}: {error.strerror}"
        ) from None
    if done.returncode != 0:
        raise DeliveryError(f"smtp.password_command failed (exit status {done.returncode})")
    password = done.stdout.decode("utf-8", errors="replace").split("\n", 1)[0].rstrip("\r")
    if not password:
        raise DeliveryError("smtp.password_command printed no password")
    return password


class PermanentRefusal(DeliveryError):
    """The server refused the message for good (a 5xx reply): sending it again as is is useless."""


class SessionError(DeliveryError):
    """The server cannot be reached or refuses the login: no message can go for now."""


class SmtpSession:
    """One connection to ``[smtp]``, opened at the first message and used for the next ones.

    Once the server cannot be reached or refuses the login, every later message fails at once
    with the same reason instead of waiting for its own timeout.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.where = f"{settings.host}:{settings.port}"
        self._server: smtplib.SMTP | None = None
        self._failure: SessionError | None = None
        self._secrets: tuple[str, ...] = ()
        # The addresses the server refused for good (5xx) during the last send, with its reply.
        self.permanent_refusals: dict[str, str] = {}

    def __enter__(self) -> SmtpSession:
        """Use the session in a ``with`` block that closes it."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the connection at the end of the block."""
        self.close()

    def send(self, envelope_from: str, recipients: list[str], data: bytes) -> list[str]:
        """Send one stored message; return the recipients the server refused while taking it.

        Raises DeliveryError with the server's words when it cannot be delivered to anyone;
        the password is hidden from them, since a server may echo it back.
        """
        self.permanent_refusals = {}
        try:
            return self._send(envelope_from, recipients, data)
        except DeliveryError as error:
            raise type(error)(self._hide_secrets(str(error))) from None

    def _hide_secrets(self, text: str) -> str:
        """A server's words with the password (and its AUTH encodings) taken out."""
        for secret in self._secrets:
            text = text.replace(secret, HIDDEN)
        return text

    def _send(self, envelope_from: str, recipients: list[str], data: bytes) -> list[str]:
        """Send one message; the errors it raises may still hold the server's raw words."""
        # SMTP wants CRLF line endings; the outbox keeps files with LF, as Maildir readers do.
        wire = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        server = self._open()
        try:
            refused = server.sendmail(envelope_from, recipients, wire)
            self._note_refusals(refused)
        except smtplib.SMTPServerDisconnected as error:
            # The next message opens a new connection; this one stays queued.
            self._server = None
            raise DeliveryError(f"{self.where} closed the connection: {error}") from None
        except smtplib.SMTPRecipientsRefused as error:
            self._note_refusals(error.recipients)
            permanent = all(code >= 500 for code, _ in error.recipients.values())
            raise (PermanentRefusal if permanent else DeliveryError)(
                "the server refused every recipient: " + _refusals(error.recipients)
            ) from None
        except smtplib.SMTPResponseException as error:
            if error.smtp_code == 421:
                # "Service not available, closing": smtplib has closed the connection.
                self._server = None
            raise (PermanentRefusal if error.smtp_code >= 500 else DeliveryError)(
                f"{self.where} refused it: {_reply(error.smtp_code, error.smtp_error)}"
            ) from None
        except smtplib.SMTPException as error:
            raise DeliveryError(f"{self.where}: {error}") from None
        except UnicodeError:
            # An address with accents, to a server that does not take SMTPUTF8.
            raise DeliveryError(
                f"{self.where} cannot take an address that is not plain ASCII"
            ) from None
        except OSError as error:
            self._server = None
            raise DeliveryError(_network_reason(error, self.where)) from None
        return sorted(refused)

    def _note_refusals(self, refused: dict[str, tuple[int, bytes]]) -> None:
        """Keep the recipients refused for good, with the reply, password hidden."""
        self.permanent_refusals = {
            who: self._hide_secrets(_reply(code, text))
            for who, (code, text) in refused.items()
            if code >= 500
        }

    def close(self) -> None:
        """Say goodbye to the server, if a connection is open."""
        server, self._server = self._server, None
        if server is not None:
            try:
                server.quit()
            except (smtplib.SMTPException, OSError):
                server.close()

    def _open(self) -> smtplib.SMTP:
        """The open connection, made (and logged in) on first use."""
        if self._failure is not None:
            raise self._failure
        if self._server is not None:
            return self._server
        try:
            self._server = self._connect_and_login()
        except SessionError as failure:
            # Kept for the next messages: hidden now, so no copy of the secret stays about.
            self._failure = SessionError(self._hide_secrets(str(failure)))
            raise self._failure from None
        return self._server

    def _connect_and_login(self) -> smtplib.SMTP:
        """Connect, encrypt as ``security`` says, and log in when a username is set."""
        where = self.where
        try:
            server = _connect(self.settings)
        except smtplib.SMTPResponseException as error:
            raise SessionError(
                f"{where} refused the connection: {_reply(error.smtp_code, error.smtp_error)}"
            ) from None
        except smtplib.SMTPException as error:
            raise SessionError(f"{where}: {error}") from None
        except OSError as error:
            raise SessionError(_network_reason(error, where)) from None
        if not self.settings.username:
            return server
        try:
            password = read_password(self.settings)
            self._secrets = _auth_forms(self.settings.username, password)
            server.login(self.settings.username, password)
        except DeliveryError as error:
            server.close()
            raise SessionError(str(error)) from None
        except smtplib.SMTPAuthenticationError as error:
            server.close()
            raise SessionError(
                f"{where} refused the login: {_reply(error.smtp_code, error.smtp_error)}"
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            server.close()
            raise SessionError(f"{where}: cannot log in: {error}") from None
        return server


def _auth_forms(username: str, password: str) -> tuple[str, ...]:
    """The password as a server could echo it: plain, and as AUTH LOGIN and PLAIN send it."""
    if not password:
        return ()
    encoded = (
        base64.b64encode(password.encode("utf-8")).decode("ascii"),
        base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii"),
        base64.b64encode(f"{username}\0{username}\0{password}".encode()).decode("ascii"),
    )
    # Longest first, so a form that holds another is hidden whole.
    return tuple(sorted({password, *encoded}, key=len, reverse=True))


def _network_reason(error: OSError, where: str) -> str:
    """Why the network let us down, in words."""
    if isinstance(error, ssl.SSLError):
        return f"TLS with {where} failed: {error.reason or error}"
    if isinstance(error, TimeoutError):
        return f"{where} did not answer in time"
    return f"cannot reach {where}: {error.strerror or error}"


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open session, encrypted as ``security`` says, certificates checked."""
    context = ssl.create_default_context()
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=CONNECT_TIMEOUT_SECONDS, context=context
        )
    server = smtplib.SMTP(settings.host, settings.port, timeout=CONNECT_TIMEOUT_SECONDS)
    try:
        if settings.security == "starttls":
            server.ehlo()
            server.starttls(context=context)
            server.ehlo()
    except BaseException:
        server.close()
        raise
    return server


def _reply(code: int, text: bytes | str) -> str:
    """A server reply as one readable line: ``550 mailbox unavailable``."""
    words = text.decode("utf-8", errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}"


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    """Each refused recipient with the server's reply."""
    return "; ".join(f"{who}: {_reply(code, text)}" for who, (code, text) in refused.items())
