"""Reading OFX 1.x SGML (leaf tags left open) into an element tree, lines remembered."""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET

from relance.importing.bank.errors import StatementError

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9.]*)>([^<]*)")
# The only entities OFX 1.x defines.
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&nbsp;": "\u00a0"}
_ENTITY = re.compile("|".join(_ENTITIES))
# Where each element started, kept as an attribute that no OFX tag has.
LINE = "line"


def parse_sgml(body: str, first_line: int) -> ET.Element:
    """The <OFX> element of an SGML body that starts on ``first_line`` of the file.

    An aggregate is a tag that is closed somewhere in the file; a tag with a value and no
    close of its own is a leaf, as OFX 1.x writes them. Anything left open at the end, or a
    close that matches nothing open, is refused with its line.
    """
    newlines = [index for index, char in enumerate(body) if char == "\n"]

    def line_of(offset: int) -> int:
        return first_line + bisect.bisect_right(newlines, offset - 1)

    tokens = list(_TAG.finditer(body))
    if not tokens:
        raise StatementError(f"line {first_line}: no OFX tag after the header")
    closed_somewhere = {token[2].upper() for token in tokens if token[1]}
    root = ET.Element("document")
    stack: list[ET.Element] = [root]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        closing, name, text = token[1], token[2].upper(), token[3]
        line = line_of(token.start())
        index += 1
        if closing:
            _close(stack, name, line)
            continue
        following = tokens[index] if index < len(tokens) else None
        closes_itself = following is not None and following[1] and following[2].upper() == name
        element = ET.SubElement(stack[-1], name, {LINE: str(line)})
        if text.strip() or closes_itself or name not in closed_somewhere:
            element.text = _ENTITY.sub(lambda entity: _ENTITIES[entity[0]], text.strip())
            if closes_itself:
                index += 1
        else:
            stack.append(element)
    if len(stack) > 1:
        open_element = stack[-1]
        raise StatementError(
            f"line {line_of(len(body))}: the file ends inside <{open_element.tag}>"
            f" (opened on line {open_element.get(LINE)}); it may be cut short"
        )
    ofx = root.find("OFX")
    if ofx is None:
        raise StatementError(f"line {first_line}: no <OFX> element after the header")
    return ofx


def _close(stack: list[ET.Element], name: str, line: int) -> None:
    """Close the innermost open aggregate, which must be ``name``."""
    if len(stack) > 1 and stack[-1].tag == name:
        stack.pop()
        return
    if len(stack) > 1:
        innermost = stack[-1]
        raise StatementError(
            f"line {line}: </{name}> while <{innermost.tag}> (opened on line"
            f" {innermost.get(LINE)}) is still open"
        )
    raise StatementError(f"line {line}: </{name}> closes no open element")
