"""The layering of ARCHITECTURE.md, as import-linter's contracts in pyproject.toml state it:
a new import that points outward (core importing an app, one domain app importing another)
fails here."""

import contextlib
import io
import subprocess
import sys
from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "config",
    "core",
    "directory",
    "stories",
    "communities",
    "volunteers",
    "insight",
    "search",
)


def _lint(config):
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        status = lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    return status == EXIT_STATUS_SUCCESS, output.getvalue()


def test_the_project_keeps_its_import_contracts():
    passed, report = _lint(ROOT / "pyproject.toml")
    assert "2 kept, 0 broken" in report, report
    assert passed, report


def test_an_import_against_the_layers_breaks_a_contract(tmp_path):
    # A skeleton of the project in which core imports a domain app, checked against the
    # project's own contracts (in a separate process, so that it finds the skeleton's
    # packages, not the project's): the checker fails and names the import.
    for name in PACKAGES:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / "directory" / "search.py").write_text("import core\n")
    (tmp_path / "core" / "shortcut.py").write_text("import directory.search\n")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(no_cache=True, no_logo=True))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0, run.stdout
    assert "Core imports no app BROKEN" in run.stdout, run.stdout
    assert "core.shortcut -> directory.search" in run.stdout, run.stdout


def test_every_layer_is_a_regular_package():
    # A folder without __init__.py imports as a namespace package, which import-linter,
    # coverage and packaging tools each treat in their own way: every app is a plain package.
    missing = [name for name in PACKAGES if not (ROOT / name / "__init__.py").is_file()]
    assert missing == []
