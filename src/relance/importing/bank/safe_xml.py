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
    open_elements: list[str] = []
    root: ET.Element | None = None
    try:
        for event, element in SafeET.iterparse(
            io.BytesIO(raw), events=("start", "end"), forbid_dtd=True
        ):
            if event == "start":
                element.tag = local_name(element.tag)
                open_elements.append(element.tag)
                if root is None:
                    root = element
            else:
                open_elements.pop()
    except DefusedXmlException:
        raise StatementError(
            "the XML declares a DTD or entities (<!DOCTYPE>, <!ENTITY>), which no bank statement"
            " needs: refused unread"
        ) from None
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(": line ")[0]
        inside = "/".join(open_elements)
        where = f"XML element <{inside}>" if inside else "XML document"
        raise StatementError(f"{where}: {reason} (line {line}, column {column})") from None
    if root is None:
        raise StatementError("XML document: no element")
    return root
