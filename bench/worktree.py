"""An older commit of this repository checked out beside it, for side-by-side benchmarks."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(args, cwd):
    done = subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def worktree(path, commit):
    """A detached git worktree of `commit` at `path` (made once, then reused); returns the
    short hash of what it holds."""
    path = Path(path)
    if not (path / "manage.py").exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _git(["worktree", "prune"], ROOT)
        _git(["worktree", "add", "--detach", str(path), commit], ROOT)
    return _git(["rev-parse", "--short", "HEAD"], path).strip()
