"""The architecture holds: imports run one way, cli -> git -> blog -> post, and no module grows
past what a newcomer reads at once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "studylog"
LAYERS = ["post", "blog", "git", "cli"]  # each may import the ones before it
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def layer_of(module: str) -> str | None:
    """The layer of `studylog.X...` (None for the shared top-level modules and outside ones)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "studylog" and len(parts) > 1 and parts[1] in LAYERS else None


def imported(path: Path) -> set[str]:
    """Every studylog module `path` imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if name.startswith("studylog.")}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path) -> None:
    own = LAYERS.index(path.relative_to(PACKAGE).parts[0])
    for name in imported(path):
        layer = layer_of(name)
        assert layer is None or LAYERS.index(layer) <= own, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_is_over_420_lines(path: Path) -> None:
    assert len(path.read_text("utf-8").splitlines()) <= 420
