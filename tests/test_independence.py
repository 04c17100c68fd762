"""Rule 1: numerics never imports theory and theory never imports numerics, read from the source."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_top_levels(path: Path, package: str) -> set[str]:
    """Top-level package names a module imports, resolving relative imports inside ``package``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: fine while it stays inside the package
                depth = len(path.relative_to(ROOT / package).parts) - 1
                names.add(package if node.level <= depth + 1 else "<outside>")
            elif node.module:
                names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names.add(str(node.args[0].value).split(".")[0])
    return names


@pytest.mark.parametrize("package, forbidden", [("numerics", "theory"), ("theory", "numerics")])
def test_layers_do_not_import_each_other(package, forbidden):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no modules found in {package}/"
    offenders = {str(f.relative_to(ROOT)): sorted(imported_top_levels(f, package) & {forbidden, "verify", "<outside>"})
                 for f in files}
    offenders = {f: bad for f, bad in offenders.items() if bad}
    assert not offenders, f"{package}/ must not import {forbidden} (or verify): {offenders}"


def test_the_import_reader_sees_every_form(tmp_path):
    pkg = ROOT / "numerics"
    probe = pkg / "_probe_for_independence_test.py"
    probe.write_text("import theory.claims\nfrom theory import CLAIMS\nimport importlib\n"
                     "importlib.import_module('theory')\nfrom .. import theory\nfrom . import spiked\n")
    try:
        seen = imported_top_levels(probe, "numerics")
    finally:
        probe.unlink()
    assert {"theory", "<outside>", "numerics"} <= seen


def test_relative_imports_inside_the_package_are_allowed(tmp_path):
    probe = ROOT / "numerics" / "_probe_for_independence_test.py"
    probe.write_text("from . import spiked\nfrom .spiked import appendix_a\n")
    try:
        assert imported_top_levels(probe, "numerics") == {"numerics"}
    finally:
        probe.unlink()
