"""Every artefact strangler writes for a tree, in one directory, to compare two versions byte for byte.

A refactoring that must not change behaviour (moving modules, one walker instead of two) is checked by
running this before and after on the same trees and comparing:

    python benchmarks/identity/outputs.py write examples/monolith_app /tmp/before/example
    python benchmarks/identity/outputs.py write django /tmp/before/django   # the installed Django package
    ... change the code ...
    python benchmarks/identity/outputs.py write examples/monolith_app /tmp/after/example
    python benchmarks/identity/outputs.py compare /tmp/before/example /tmp/after/example

`write` runs the command line in subprocesses (`python -m strangler`, no history, no cache): analyze
(text and JSON), boundaries (text and JSON), graph (DOT, Mermaid, HTML, module-level DOT), export
(import-linter and tach), check (JSON) and plan (every file of the plan directory, JSON summary).
`compare` lists files that differ or exist on one side only and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _tree(name: str, work: Path) -> Path:
    """A path as given, or `django`: a copy of the installed package (clean paths, no cache beside it)."""
    if name != "django":
        return Path(name).resolve()
    spec = importlib.util.find_spec("django")
    if spec is None or spec.origin is None:
        raise SystemExit("django is not installed: pip install django (the version the benchmarks pin)")
    target = work / "src" / "django"
    shutil.copytree(Path(spec.origin).parent, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _run(args: list[str], out: Path, root: Path) -> None:
    """Run one command; its output (paths of the tree and the output folder masked) goes to `out`."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "strangler", *args], capture_output=True, text=True, env=env, check=False
    )
    text = (
        (done.stdout + done.stderr + f"\n[exit {done.returncode}]\n")
        .replace(str(root), "<TREE>")
        .replace(str(out.parent), "<OUT>")
    )
    out.write_text(re.sub(r"\b\d+(\.\d+)? ?(s|ms)\b", "<time>", text), encoding="utf-8")


def write(tree_name: str, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        tree = _tree(tree_name, work)
        options = ["--no-history", "--no-cache", "--quiet"]
        common = [str(tree), *options]
        _run(["analyze", *common], out / "analyze.txt", tree)
        _run(["analyze", *common, "--format", "json"], out / "analyze.json", tree)
        _run(["boundaries", *common], out / "boundaries.txt", tree)
        _run(["boundaries", *common, "--format", "json"], out / "boundaries.json", tree)
        for name in ("graph.dot", "graph.mmd", "graph.html"):
            _run(["graph", *common, "-o", str(out / name)], out / f"{name}.stdout", tree)
        _run(
            ["graph", *common, "--level", "module", "-o", str(out / "modules.dot")],
            out / "modules.stdout",
            tree,
        )
        cut = out / "decomposition.json"
        _run(["boundaries", *common, "--format", "json"], cut, tree)
        cut.write_text(cut.read_text().replace("<TREE>", str(tree)).rsplit("\n[exit", 1)[0])
        for kind in ("import-linter", "tach"):
            _run(
                [
                    "export",
                    *options,
                    "--to",
                    kind,
                    "--boundaries",
                    str(cut),
                    str(tree),
                    str(out / f"export-{kind}"),
                ],
                out / f"{kind}.stdout",
                tree,
            )
        _run(["check", *common, "--boundaries", str(cut), "--format", "json"], out / "check.json", tree)
        _run(["plan", *common, "-o", str(out / "plan"), "--format", "json"], out / "plan.json.stdout", tree)
        _mask_tree(out, tree)


def _mask_tree(out: Path, tree: Path) -> None:
    """The tree's path, written into files (plan.json's `root`), as `<TREE>`: a copy's path varies."""
    for path in sorted(out.rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        if str(tree) in text:
            path.write_text(text.replace(str(tree), "<TREE>"), encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    differ: list[str] = []
    for left in sorted(before.rglob("*")):
        rel = left.relative_to(before)
        right = after / rel
        if left.is_file() and (not right.is_file() or not filecmp.cmp(left, right, shallow=False)):
            differ.append(f"differs: {rel}" if right.exists() else f"only before: {rel}")
    differ += [
        f"only after: {p.relative_to(after)}"
        for p in sorted(after.rglob("*"))
        if not (before / p.relative_to(after)).exists()
    ]
    files = sum(1 for p in before.rglob("*") if p.is_file())
    print("\n".join(differ) if differ else f"identical: {files} files")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("tree")
    w.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        write(args.tree, args.out)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
