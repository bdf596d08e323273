"""Parsing statement XML safely (no DTD, no entities), with namespaces dropped from tags."""

from __future__ import annotations

import io
import pyexpat
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from relance.importing.bank.errors import StatementError


def local_name(tag: str) -> str:
    """A tag without its namespace: ``{urn:…camt.053.001.02}Ntry`` → ``Ntry``."""
    return tag.rsplit("}", 1)[-1]


def parse_xml(raw: bytes) -> ET.Element:
    """The document's root, every tag without namespace, so camt versions read alike.

    A DTD, an entity or an external reference is refused before anything is expanded (this is
    how "billion laughs" and file-reading attacks start); a broken document names the element
    it broke in.
    """
    try:
        _refuse_declarations(raw)
        # No DTD, so no entity but the five predefined ones: the C parser is safe, and about
        # three times as fast as defusedxml's, whose tree is built by Python callbacks.
        root = ET.fromstring(raw)
    except (DefusedXmlException, _Declared):
        raise StatementError(
            "the XML declares a DTD or entities (<!DOCTYPE>, <!ENTITY>), which no bank statement"
            " needs: refused unread"
        ) from None
    except ET.ParseError as error:
        # Read again event by event, only to say which element the document broke in.
        raise _broken_at(raw, error) from None
    # A statement repeats a few dozen tags: each is cut down once.
    local: dict[str, str] = {}
    for element in root.iter():
        tag = element.tag
        short = local.get(tag)
        if short is None:
            short = local[tag] = local_name(tag)
        element.tag = short
    return root


class _Declared(Exception):
    """The document declares a DTD or an entity."""


def _refuse_declarations(raw: bytes) -> None:
    """Scan the document with expat alone, stopping at the first DTD or entity declaration.

    Only declarations have a handler, so expat runs through the elements in C; a malformed
    document is left for the tree parser to report.
    """

    def declared(*_: object) -> None:
        raise _Declared

    scanner = pyexpat.ParserCreate()
    scanner.StartDoctypeDeclHandler = declared
    scanner.EntityDeclHandler = declared
    scanner.UnparsedEntityDeclHandler = declared
    scanner.ExternalEntityRefHandler = declared  # type: ignore[assignment]
    try:
        scanner.Parse(raw, True)
    except pyexpat.ExpatError:
        return


def _broken_at(raw: bytes, error: ET.ParseError) -> StatementError:
    """The error of a malformed document, naming the elements open where it broke."""
    open_elements: list[str] = []
    try:
        for event, element in SafeET.iterparse(
            io.BytesIO(raw), events=("start", "end"), forbid_dtd=True
        ):
            if event == "start":
                open_elements.append(local_name(element.tag))
            else:
                open_elements.pop()
    except ET.ParseError as again:
        error = again
    line, column = error.position
    reason = str(error).split(": line ")[0]
    inside = "/".join(open_elements)
    where = f"XML element <{inside}>" if inside else "XML document"
    return StatementError(f"{where}: {reason} (line {line}, column {column})")
