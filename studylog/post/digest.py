"""SHA-256 without hashlib: its OpenSSL binding takes 3 ms to load on every start."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

# Python's own SHA-256 (as `random` takes _sha512): _sha2 from 3.12, _sha256 before; hashlib
# when the build has neither.
MODULES = ("_sha2", "_sha256", "hashlib")


@cache
def _sha256() -> Any:
    for name in MODULES:
        try:
            return importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
    raise ImportError("no SHA-256 implementation")  # hashlib always has one


def sha256_hex(text: str) -> str:
    """The SHA-256 of the UTF-8 text, as hex (what hashlib.sha256(...).hexdigest() gives)."""
    return str(_sha256()(text.encode("utf-8")).hexdigest())
