"""docs/traceability.md cannot rot: every listed element exists, every listed test exists."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "traceability.md"


def rows() -> list[dict[str, str]]:
    found = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or cells[0] in ("Region", "---") or set(cells[0]) <= {"-"}:
            continue
        found.append(dict(zip(("region", "clause", "demand", "elements", "tests", "status"), cells, strict=True)))
    return found


def diagram(region: str) -> Path:
    """``bpmn/<region>.bpmn``; the municipal template lives in ``bpmn/templates/``."""
    path = ROOT / "bpmn" / f"{region}.bpmn"
    return path if path.exists() else ROOT / "bpmn" / "templates" / f"{region}.bpmn"


def element_ids(region: str) -> set[str]:
    tree = etree.parse(str(diagram(region)), etree.XMLParser(resolve_entities=False, no_network=True))
    return {e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def test_table_has_rows() -> None:
    assert len(rows()) >= 15


def test_every_procedure_has_its_clauses_listed() -> None:
    """Each diagram in bpmn/ (and the municipal template) is traced, with enforced rows."""
    diagrams = {p.stem for p in ROOT.glob("bpmn/**/*.bpmn")}
    assert diagrams >= {"orenburg", "smolensk", "kuzbass", "kaluga", "kalmanka", "municipal"}
    for region in diagrams:
        enforced = [r for r in rows() if r["region"] == region and r["status"].startswith("enforced")]
        assert enforced, f"bpmn: {region} has no enforced clause in docs/traceability.md"


@pytest.mark.parametrize("row", rows(), ids=lambda r: f"{r['region']}-{r['clause']}")
def test_row_points_at_real_elements_and_tests(row: dict[str, str]) -> None:
    if row["elements"] != "—":
        missing = {e.strip() for e in row["elements"].split(",")} - element_ids(row["region"])
        assert not missing, f"clause {row['clause']}: elements not in {diagram(row['region']).name}: {missing}"
    if row["tests"] != "—":
        for node in (t.strip() for t in row["tests"].split(",")):
            file, _, name = node.partition("::")
            assert (ROOT / file).is_file(), f"clause {row['clause']}: no file {file}"
            assert name in functions_in(ROOT / file), f"clause {row['clause']}: no test {node}"
    if row["status"].startswith("enforced"):
        assert row["elements"] != "—" and row["tests"] != "—", f"clause {row['clause']} is enforced without proof"
    else:
        assert re.match(r"(not enforceable|open)", row["status"]), row["status"]
