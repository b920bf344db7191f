"""The tree shows the architecture: every engine package says what it holds and is described in
docs/architecture.md; the engine keeps only a few top-level modules; no module grows past ~400 lines."""
from __future__ import annotations

import ast

from tests.factories import ROOT

ENGINE = ROOT / "engine"
TOP_LEVEL = {"__init__.py", "clock.py", "errors.py", "settings.py"}
MAX_LINES = 400


def _packages() -> list[str]:
    return sorted(p.name for p in ENGINE.iterdir() if (p / "__init__.py").exists())


def test_every_engine_package_is_described_in_the_architecture() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    missing = [name for name in _packages() if f"`engine/{name}/`" not in text]
    assert not missing, f"docs/architecture.md does not describe: {missing}"


def test_every_engine_package_has_a_docstring() -> None:
    bare = [name for name in _packages() if not ast.get_docstring(ast.parse((ENGINE / name / "__init__.py").read_text("utf-8")))]
    assert not bare, f"packages without a docstring saying what lives there: {bare}"


def test_the_engine_keeps_only_its_few_top_level_modules() -> None:
    modules = {p.name for p in ENGINE.glob("*.py")}
    assert modules <= TOP_LEVEL, f"put these in a package: {sorted(modules - TOP_LEVEL)}"


def test_no_module_grows_past_the_limit() -> None:
    long = [f"{p.relative_to(ROOT)} ({n})" for folder in ("engine", "web") for p in (ROOT / folder).rglob("*.py")
            if "migrations" not in p.parts and (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES]
    assert not long, f"split these modules: {long}"
