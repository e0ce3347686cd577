"""The local images a post references (Markdown, reference-style and `<img src>`), as files."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

URL = r"(<[^>\n]+>|(?:\{\{[^}\n]*\}\}|[^)\s])+)"  # <with spaces>, or up to a space ({{ }} kept)
INLINE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*" + URL)
REFERENCE_USE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\[([^\]]*)\]")
REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*" + URL, re.MULTILINE)
HTML_SRC = re.compile(r"<(?:img|source)\b[^>]*?\bsrc\s*=\s*([\"'])(.*?)\1", re.IGNORECASE)
LIQUID_URL = re.compile(r"\{\{\s*[\"']([^\"']+)[\"']\s*\|\s*(?:relative|absolute)_url\s*\}\}")
LIQUID_PREFIX = re.compile(r"^(?:\{\{\s*site\.(?:url|baseurl)\s*\}\})+")
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def references(text: str) -> list[str]:
    """The image URLs of a post, in order of appearance, without repeats."""
    found = [(m.start(), m[1]) for m in INLINE.finditer(text)]
    found += [(m.start(), m[2]) for m in HTML_SRC.finditer(text)]
    definitions = {_label(m[1]): m[2] for m in REFERENCE_DEF.finditer(text)}
    for use in REFERENCE_USE.finditer(text):
        label = _label(use[2] or use[1])
        if label in definitions:
            found.append((use.start(), definitions[label]))
    return list(dict.fromkeys(url.strip("<>") for _, url in sorted(found)))


def local_files(text: str, blog: Path, post: Path) -> list[Path]:
    """The files under the blog that the post's images point at (missing ones are skipped)."""
    found: list[Path] = []
    for url in references(text):
        path = _resolve(url, blog, post)
        if path is not None and path not in found:
            found.append(path)
    return found


def _label(label: str) -> str:
    return " ".join(label.lower().split())


def _resolve(url: str, blog: Path, post: Path) -> Path | None:
    url = LIQUID_PREFIX.sub("", LIQUID_URL.sub(r"\1", url.strip()))
    if not url or EXTERNAL.match(url):
        return None
    local = unquote(url.split("#", 1)[0].split("?", 1)[0])
    bases = [blog] if local.startswith("/") else [post.parent, blog]
    root = blog.resolve()
    for base in bases:
        candidate = (base / local.lstrip("/")).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None
