"""Long answers in the user's editor: a temp file, the editor on it, the text read back."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from studylog.errors import PostError
from studylog.post.parse import decode


@dataclass(frozen=True, slots=True)
class Edited:
    """The file's text after the editor ran; `error` says why it failed ("" when it did not)."""

    text: str
    path: Path
    error: str = ""


def command(configured: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """The editor: the `editor` setting, else $VISUAL, $EDITOR, vi (split like a shell)."""
    environ = os.environ if environ is None else environ
    for value in (configured, environ.get("VISUAL", ""), environ.get("EDITOR", "")):
        if value.strip():
            return shlex.split(value)
    return ["vi"]


def edit(text: str, editor: list[str], folder: Path, prefix: str = "answer-") -> Edited:
    """Open `text` in the editor; the file stays in `folder` (the caller removes it on success).

    The text comes back as studylog writes text: LF line ends, no byte-order mark."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".md", dir=folder)
    path = Path(name)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    try:
        with sigint_to_child():
            code = subprocess.run([*editor, str(path)], check=False).returncode
    except OSError as exc:
        return Edited(text, path, f"the editor {editor[0]!r} could not start: {exc.strerror}")
    try:
        after = decode(path.read_bytes(), path)  # an editor's BOM or CRLF never gets further
    except OSError as exc:
        return Edited(text, path, f"the editor's file cannot be read back: {exc}")
    except PostError as exc:
        return Edited(text, path, f"the editor's file cannot be read back: {exc.reason}")
    if code != 0:
        return Edited(after, path, f"the editor {editor[0]!r} exited with status {code}")
    return Edited(after, path)


@contextmanager
def sigint_to_child() -> Iterator[None]:
    """Ctrl-C belongs to the editor (as in git): studylog ignores it while the editor runs.

    A Python handler, not SIG_IGN, so that the editor starts with the default disposition.
    """
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: None)
    except ValueError:  # not the main thread: nothing to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
