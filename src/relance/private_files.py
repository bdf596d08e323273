"""The one way relance writes a file: private, complete under its final name or not there at all.

Every file is written to a temporary name in the same folder (created 0600, written, flushed to
disk), then renamed onto its final name; a failure removes the temporary file, so a reader never
finds a partial file under the name it asked for.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def unique_temporary(path: Path) -> Path:
    """A temporary name beside ``path`` that no other writer uses."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")


def reserved_temporary(path: Path) -> Path:
    """The one temporary name of ``path``: while it exists, the final name is taken."""
    return path.with_name(f".{path.name}.part")


def write_staged(temporary: Path, data: bytes, *, shown: Path, sync: bool = True) -> Path:
    """Create ``temporary`` (never an existing file) 0600 with these bytes; removed on failure.

    A write error (a full disk, a file size limit) names ``shown``, the file the user asked for.
    """
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    try:
        # The mode above is filtered by the umask; set it exactly.
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, FileExistsError):
            reason = f"{error.strerror or error}; nothing was written"
            raise OSError(error.errno, reason, str(shown)) from None
        raise
    return temporary


def publish(temporary: Path, path: Path, *, overwrite: bool = False) -> None:
    """Give a complete temporary file its final name; without ``overwrite`` never replace one."""
    try:
        if overwrite:
            os.replace(temporary, path)
        else:
            _link_new(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    sync_folder(path.parent)


def write_private(path: Path, data: bytes, *, overwrite: bool = False, sync: bool = True) -> None:
    """Write a private file in one piece: ``path`` holds all of ``data`` or nothing new.

    Without ``overwrite`` an existing file is never replaced (FileExistsError).
    """
    if not overwrite and (path.exists() or path.is_symlink()):
        raise FileExistsError(17, "File exists", str(path))
    temporary = write_staged(unique_temporary(path), data, shown=path, sync=sync)
    publish(temporary, path, overwrite=overwrite)


def write_private_folder(files: Mapping[str, bytes], target: Path) -> Path:
    """Write files (0600) into a new 0700 folder, built beside it and renamed into place.

    ``target`` may exist as an empty folder; it is then replaced by the finished one.
    """
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.partial")
    staging.mkdir(mode=FOLDER_MODE)
    os.chmod(staging, FOLDER_MODE)
    try:
        for name, data in files.items():
            write_staged(staging / name, data, shown=target / name)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    sync_folder(target.parent)
    return target


def sync_folder(folder: Path) -> None:
    """Make a rename durable; some platforms cannot open folders, which is harmless."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _link_new(temporary: Path, path: Path) -> None:
    """Rename without replacing: a hard link fails if the name is taken."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: the existence check is all there is.
        if path.exists():
            raise FileExistsError(17, "File exists", str(path)) from None
        os.replace(temporary, path)
