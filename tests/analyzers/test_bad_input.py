"""Every kind of bad input becomes a diagnostic, and the rest of the analysis is complete."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

import analyzers
from analyzers.files import reading
from analyzers.model import Codebase
from analyzers.options import AnalysisOptions

OPTIONS = AnalysisOptions(history=False, cache=False)


def tree(tmp_path: Path, extra: dict[str, bytes]) -> Path:
    """A package with one good module using another, plus the bad files of the test."""
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_bytes(b"")
    (root / "pkg" / "good.py").write_bytes(b"from pkg import other\n\ndef f():\n    return other.g()\n")
    (root / "pkg" / "other.py").write_bytes(b"def g():\n    return 1\n")
    for relpath, data in extra.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_bytes(data)
    return root


def kinds(codebase: Codebase) -> dict[str, str]:
    return {d.path: d.kind for d in codebase.diagnostics}


def assert_rest_complete(codebase: Codebase) -> None:
    assert {"pkg", "pkg.good", "pkg.other"} <= codebase.module_names()
    assert [(e.source, e.target) for e in codebase.imports if e.source == "pkg.good"] == [
        ("pkg.good", "pkg.other")
    ]
    assert any(r.target == "pkg.other" and r.symbol == "g" for r in codebase.references)


def test_syntax_error_and_python2(tmp_path: Path) -> None:
    root = tree(
        tmp_path, {"pkg/broken.py": b"def f(:\n    pass\n", "pkg/py2.py": b"import os\n\nprint 'hello'\n"}
    )
    cb = analyzers.analyze(root, OPTIONS)
    found = {d.path: d for d in cb.diagnostics}
    assert found["pkg/broken.py"].kind == "syntax-error" and found["pkg/broken.py"].line == 1
    assert found["pkg/py2.py"].kind == "syntax-error" and found["pkg/py2.py"].line == 3
    assert "Python 2" in found["pkg/py2.py"].message
    assert "pkg.py2" in cb.module_names()  # the module still exists for those importing it
    assert_rest_complete(cb)


def test_syntax_of_a_newer_python_is_not_called_python_2(tmp_path: Path) -> None:
    source = b"try:\n    pass\nexcept KeyError, ValueError:\n    pass\n"
    dotted = b"try:\n    pass\nexcept stripe.PermissionError, stripe.InvalidRequestError:\n    pass\n"
    old = b"try:\n    pass\nexcept KeyError, error:\n    pass\n"
    old_dotted = b"try:\n    pass\nexcept socket.error, e:\n    pass\n"
    files = {"pkg/new.py": source, "pkg/dotted.py": dotted, "pkg/old.py": old}
    files["pkg/old_dotted.py"] = old_dotted
    found = {d.path: d for d in analyzers.analyze(tree(tmp_path, files), OPTIONS).diagnostics}
    for path in ("pkg/new.py", "pkg/dotted.py"):  # polar writes the second
        if sys.version_info >= (3, 14):  # parsed there: no diagnostic for the new form
            assert path not in found
        else:
            assert "Python 3.14 syntax" in found[path].message, path
            assert "Python 2" not in found[path].message
    assert "Python 2" in found["pkg/old.py"].message
    assert "Python 2" in found["pkg/old_dotted.py"].message


def test_python_3_12_generics_and_type_aliases_are_named(tmp_path: Path) -> None:
    sources = {
        "pkg/generic.py": b"def first[T](items: list[T]) -> T:\n    return items[0]\n",
        "pkg/klass.py": b"class Box[T]:\n    pass\n",
        "pkg/alias.py": b"type Id = int\n",
        "pkg/fstring.py": b"names = {'a': 1}\nlabel = f'{names['a']}'\n",  # PEP 701 (netbox has it)
    }
    found = {d.path: d for d in analyzers.analyze(tree(tmp_path, sources), OPTIONS).diagnostics}
    if sys.version_info >= (3, 12):
        assert not found
    else:
        for path in sources:
            assert "Python 3.12 syntax" in found[path].message, path


def test_undecodable_bytes_and_unknown_cookie(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "pkg/latin.py": b"x = 1\nname = '\xe9t\xe9'\n",
            "pkg/cookie.py": b"# -*- coding: klingon -*-\nx = 1\n",
            "pkg/declared.py": b"# -*- coding: latin-1 -*-\nNAME = '\xe9t\xe9'\n",
        },
    )
    cb = analyzers.analyze(root, OPTIONS)
    found = {d.path: d for d in cb.diagnostics}
    assert found["pkg/latin.py"].kind == "encoding" and found["pkg/latin.py"].line == 2
    assert found["pkg/cookie.py"].kind == "encoding"
    assert "pkg/declared.py" not in found  # a declared latin-1 file is valid Python
    assert [s.name for s in cb.module("pkg.declared").symbols] == ["NAME"]
    assert_rest_complete(cb)


def test_bom_is_read_like_python_does(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "pkg/bom.py": b'\xef\xbb\xbf"""Doc."""\nfrom pkg import other\nVALUE = other.g()\n',
            "pkg/bom_conflict.py": b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
        },
    )
    cb = analyzers.analyze(root, OPTIONS)
    assert cb.module("pkg.bom").docstring == "Doc."
    assert ("pkg.bom", "pkg.other") in {(e.source, e.target) for e in cb.imports}
    assert kinds(cb) == {"pkg/bom_conflict.py": "encoding"}
    assert_rest_complete(cb)


def test_nul_bytes_are_binary(tmp_path: Path) -> None:
    root = tree(tmp_path, {"pkg/blob.py": b"x = 1\n\x00\x01\x02binary"})
    cb = analyzers.analyze(root, OPTIONS)
    assert kinds(cb) == {"pkg/blob.py": "binary"}
    assert_rest_complete(cb)


def test_fifty_megabyte_generated_file_is_too_large(tmp_path: Path) -> None:
    line = b"VALUE_%d = %d\n"
    big = b"".join(line % (i, i) for i in range(2_700_000))
    assert len(big) > 50_000_000
    root = tree(tmp_path, {"pkg/generated.py": big})
    cb = analyzers.analyze(root, OPTIONS)
    assert kinds(cb) == {"pkg/generated.py": "too-large"}
    assert_rest_complete(cb)


def test_symlink_loop(tmp_path: Path) -> None:
    root = tree(tmp_path, {})
    os.symlink(root / "pkg", root / "pkg" / "again")
    os.symlink(root / "missing.py", root / "pkg" / "dangling.py")
    cb = analyzers.analyze(root, OPTIONS)
    found = {d.path: d.kind for d in cb.diagnostics}
    assert found == {"pkg/again": "symlink-loop", "pkg/dangling.py": "unreadable"}
    assert_rest_complete(cb)


def test_unreadable_file_and_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(
        tmp_path, {"pkg/secret.py": b"x = 1\n", "pkg/locked/__init__.py": b"", "pkg/locked/m.py": b""}
    )
    if os.geteuid() == 0:
        # root reads chmod-000 files: simulate the operating system refusing instead
        real_open = open
        real_scandir = os.scandir

        def refusing_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            if str(file).endswith("secret.py"):
                raise PermissionError(13, "Permission denied")
            return real_open(file, *args, **kwargs)

        def refusing_scandir(path):  # type: ignore[no-untyped-def]
            if str(path).endswith("locked"):
                raise PermissionError(13, "Permission denied")
            return real_scandir(path)

        monkeypatch.setattr("builtins.open", refusing_open)
        monkeypatch.setattr(os, "scandir", refusing_scandir)
    else:
        (root / "pkg" / "secret.py").chmod(0)
        (root / "pkg" / "locked").chmod(0)
    try:
        cb = analyzers.analyze(root, OPTIONS)
    finally:
        (root / "pkg" / "secret.py").chmod(0o644)
        (root / "pkg" / "locked").chmod(0o755)
    assert kinds(cb) == {"pkg/secret.py": "unreadable", "pkg/locked": "unreadable"}
    assert "Permission denied" in {d.path: d.message for d in cb.diagnostics}["pkg/secret.py"]
    assert_rest_complete(cb)


def test_file_vanishing_mid_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path, {"pkg/ghost.py": b"x = 1\n"})
    real_read = reading.read_source

    def delete_then_read(abspath: str, relpath: str, max_bytes: int) -> reading.ReadResult:
        if relpath == "pkg/ghost.py":
            os.unlink(abspath)  # gone between discovery and reading
        return real_read(abspath, relpath, max_bytes)

    monkeypatch.setattr(reading, "read_source", delete_then_read)
    cb = analyzers.analyze(root, OPTIONS)
    assert kinds(cb) == {"pkg/ghost.py": "vanished"}
    assert "pkg.ghost" not in cb.module_names()
    assert_rest_complete(cb)


def test_analyzed_code_is_never_imported_or_executed(fixtures_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "never"
    shutil.copytree(fixtures_dir / "an_never", root)
    before = set(sys.modules)
    cb = analyzers.analyze(root, AnalysisOptions(history=False, cache=True, jobs=2))
    assert cb.module_names() == {"an_never_pkg", "an_never_pkg.payload"}
    assert ("an_never_pkg", "an_never_pkg.payload") in {(e.source, e.target) for e in cb.imports}
    assert not (root / "an_never_pkg" / "EXECUTED").exists()
    assert not (root / "an_never_pkg" / "EXECUTED_TOO").exists()
    assert not any(name.startswith("an_never_pkg") for name in set(sys.modules) - before)


def test_except_star_is_parsed_not_raised() -> None:
    from analyzers.python.parsing import parse_file

    source = b"try:\n    import fast_json\nexcept* ImportError:\n    pass\n"
    facts = parse_file(source, "m", "m.py")
    assert facts.parsed and [i.module for i in facts.imports] == ["fast_json"]
    assert "try_except" in facts.imports[0].markers
