"""Parsing statement XML safely (no DTD, no entities), with namespaces dropped from tags."""

from __future__ import annotations

import io
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
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException:
        raise StatementError(
            "the XML declares a DTD or entities (<!DOCTYPE>, <!ENTITY>), which no bank statement"
            " needs: refused unread"
        ) from None
    except ET.ParseError as error:
        # Read again event by event, only to say which element the document broke in.
        raise _broken_at(raw, error) from None
    for element in root.iter():
        element.tag = local_name(element.tag)
    return root


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
