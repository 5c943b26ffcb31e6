"""Lint: views reach scoped models only through the access chokepoints (fazhi/*/access.py).

A view that writes `Unit.objects.filter(...)` would bypass the unit and region scoping; this test fails on it.
Prefetch(queryset=Model.objects...) is allowed: it only loads relations of rows fetched through access.
"""

from __future__ import annotations

import ast
from pathlib import Path

SCOPED = {"Region", "Unit", "UnitGroup", "Alias", "User", "RoleAssignment", "AuditEntry"}
ROOT = Path(__file__).resolve().parents[1]


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Prefetch"
        ):
            for keyword in node.keywords:
                allowed |= {id(inner) for inner in ast.walk(keyword.value)}
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_base_manager", "_default_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in SCOPED
            and id(node) not in allowed
        ):
            found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_no_view_queries_a_scoped_model_directly() -> None:
    view_files = [p for p in ROOT.rglob("views*.py") if "tests" not in p.parts]
    assert view_files, "no view modules found"
    problems = [problem for path in view_files for problem in offences(path)]
    assert problems == [], "use fazhi.orgs.access (or the app's access.py) instead:\n" + "\n".join(problems)


def test_the_lint_catches_a_direct_query(tmp_path: Path) -> None:
    sample = ROOT / "tests" / "_lint_sample_views.py"
    sample.write_text(
        "from x import Unit\n\ndef view(request):\n    return Unit.objects.all()\n", encoding="utf-8"
    )
    try:
        assert offences(sample) == ["fazhi/tests/_lint_sample_views.py:4 Unit.objects"]
    finally:
        sample.unlink()
