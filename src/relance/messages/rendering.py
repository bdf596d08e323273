"""Rendering a message template in a sandbox: shipped templates, the user's overrides, errors.

A template is a plain-text file ``<language>/<name>.txt``. An e-mail template starts with a
line ``Subject: …``; the rest, after an optional blank line, is the body. Templates whose
first line is not a subject line (the call script, the SMS) give a body only. Files whose
name starts with ``_`` are pieces the others include.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError
from jinja2 import TemplateError as JinjaTemplateError

from relance.config import ConfigError
from relance.messages.bounded_sandbox import BoundedSandbox, TemplateTooBig, render_bounded

SHIPPED_TEMPLATES = Path(__file__).parent / "templates"
SUBJECT_PREFIX = "Subject:"
_BLANK_RUNS = re.compile(r"\n{3,}")


class TemplateError(ConfigError):
    """A template cannot be used: missing, not valid Jinja, or failing as it renders."""


@dataclass(frozen=True)
class RenderedMessage:
    """A rendered template: the subject ("" without a subject line) and the body."""

    subject: str
    body: str


def user_templates(config_dir: Path) -> Path:
    """Where the user's own templates live: ``templates/`` beside the config file."""
    return config_dir / "templates"


def shipped_names(language: str) -> list[str]:
    """The names of the shipped templates in one language, pieces left out."""
    folder = SHIPPED_TEMPLATES / language
    return sorted(p.stem for p in folder.glob("*.txt") if not p.stem.startswith("_"))


def _environment(user_dir: Path, language: str) -> BoundedSandbox:
    """The sandbox for one language; the user's folder is searched before the shipped one.

    Kept while the user's folder lists the same files with the same times, so compiled
    templates are reused, yet a template the user adds or edits counts at once.
    """
    return _cached_environment(str(user_dir / language), language, _listing(user_dir / language))


def _listing(folder: Path) -> tuple[tuple[str, int], ...]:
    """The user's template files in one folder, with their modification times."""
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()))
    except OSError:
        return ()


@lru_cache(maxsize=16)
def _cached_environment(
    user_folder: str, language: str, listing: tuple[tuple[str, int], ...]
) -> BoundedSandbox:
    """Build a sandbox; ``listing`` is only part of the cache key."""
    return BoundedSandbox(
        loader=FileSystemLoader([user_folder, str(SHIPPED_TEMPLATES / language)]),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(
    name: str, language: str, variables: dict[str, Any], config_dir: Path
) -> RenderedMessage:
    """Render ``<language>/<name>.txt``, the user's copy if there is one, else the shipped one.

    The client's data only ever arrives as variables: nothing it contains is compiled.
    """
    user_dir = user_templates(config_dir)
    environment = _environment(user_dir, language)
    file_name = f"{name}.txt"
    try:
        template = environment.get_template(file_name)
    except TemplateNotFound as missing:
        if missing.name != file_name:
            # An include inside an existing template names a file that is not there.
            raise _located(missing, environment, file_name) from None
        raise TemplateError(
            f"no template {name!r} in {language}: write it as {user_dir / language / file_name}"
        ) from None
    except TemplateSyntaxError as error:
        raise _syntax_error(error) from None
    try:
        text = render_bounded(template, environment, variables)
    except TemplateSyntaxError as error:
        raise _syntax_error(error) from None
    except (JinjaTemplateError, TemplateTooBig, OverflowError, MemoryError) as error:
        raise _located(error, environment, file_name, template.filename) from None
    # Template tests and loops can leave stray blank lines; one blank line is a paragraph.
    return _split(text)


def _split(text: str) -> RenderedMessage:
    """Take the subject line off the top; tidy blank lines and trailing spaces."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    subject = ""
    if lines and lines[0].startswith(SUBJECT_PREFIX):
        subject = " ".join(lines.pop(0)[len(SUBJECT_PREFIX) :].split())
    body = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    return RenderedMessage(subject, body + "\n")


def _syntax_error(error: TemplateSyntaxError) -> TemplateError:
    """A template that is not valid Jinja, with its file and line."""
    return TemplateError(_where(error.filename, error.lineno, error.message or "invalid syntax"))


def _located(
    error: Exception,
    environment: BoundedSandbox,
    file_name: str,
    filename: str | None = None,
) -> TemplateError:
    """A rendering error with the file and line it came from, found in the traceback."""
    template_files = {filename} if filename else set()
    loader = environment.loader
    assert isinstance(loader, FileSystemLoader)
    for folder in loader.searchpath:
        template_files.update(str(p) for p in Path(folder).glob("*.txt"))
    where_file, where_line = filename or file_name, None
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename in template_files:
            where_file, where_line = frame.filename, frame.lineno
            break
    message = str(error) or type(error).__name__
    if isinstance(error, TemplateNotFound):
        message = f"includes {error.name!r}, which does not exist"
    return TemplateError(_where(where_file, where_line, message))


def _where(filename: str | None, line: int | None, message: str) -> str:
    """``…/templates/fr/firm.txt, line 4: unexpected '}'``."""
    place = filename or "template"
    if line:
        place += f", line {line}"
    return f"{place}: {message}"
