"""The build cache: a run from the very same inputs reuses the files an earlier build gave, any
change of an input builds again, the key does not depend on the hash seed, and a damaged or foreign
document is a miss."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from strangler.skeleton import SkeletonOptions, buildcache, generate_skeletons
from strangler.skeleton.generate import BuildInputs, load_sources, wire_source
from tests.skel_support import FIXTURE, minishop_codebase, minishop_decomposition

REPO = Path(__file__).resolve().parents[3]


def _inputs(**changes: Any) -> BuildInputs:
    codebase = minishop_codebase()
    given = BuildInputs(
        codebase,
        minishop_decomposition(codebase),
        load_sources(FIXTURE, codebase),
        ["stock"],
        SkeletonOptions(),
        wire_source(),
    )
    return dataclasses.replace(given, **changes)


def _raise(*_: object) -> dict[str, str]:
    raise AssertionError("built again")


def test_the_same_inputs_reuse_the_files_without_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codebase = minishop_codebase()
    decomposition = minishop_decomposition(codebase)
    cache = tmp_path / "cache"
    cold = generate_skeletons(codebase, decomposition, FIXTURE, ["stock"], SkeletonOptions(), cache_dir=cache)
    assert buildcache.cache_path(cache, FIXTURE).is_file()
    monkeypatch.setattr("strangler.skeleton.generate.build", _raise)
    warm = generate_skeletons(codebase, decomposition, FIXTURE, ["stock"], SkeletonOptions(), cache_dir=cache)
    assert warm == cold and list(warm) == list(cold)
    with pytest.raises(AssertionError, match="built again"):  # other options: another key
        generate_skeletons(
            codebase, decomposition, FIXTURE, ["stock"], SkeletonOptions(default_port=9001), cache_dir=cache
        )


def test_a_changed_option_builds_what_a_build_without_cache_gives(tmp_path: Path) -> None:
    codebase = minishop_codebase()
    decomposition = minishop_decomposition(codebase)
    cache = tmp_path / "cache"
    generate_skeletons(codebase, decomposition, FIXTURE, ["stock"], SkeletonOptions(), cache_dir=cache)
    other = SkeletonOptions(default_port=9001)
    warm = generate_skeletons(codebase, decomposition, FIXTURE, ["stock"], other, cache_dir=cache)
    assert warm == generate_skeletons(codebase, decomposition, FIXTURE, ["stock"], other)


def test_every_input_is_part_of_the_key() -> None:
    given = _inputs()
    key = buildcache.build_key(given)
    assert buildcache.build_key(_inputs()) == key
    name = sorted(given.sources)[0]
    changed = [
        _inputs(sources={**given.sources, name: given.sources[name] + "\n# edited\n"}),
        _inputs(codebase=dataclasses.replace(given.codebase, routes=given.codebase.routes[1:])),
        _inputs(services=["stock", "catalog"]),
        _inputs(patch_for=[]),
        _inputs(wire=given.wire + "\n"),
        _inputs(project_files={"pyproject.toml": "[project]\nname = 'x'\n"}),
        _inputs(options=SkeletonOptions(god_share=0.5)),
    ]
    keys = [buildcache.build_key(c) for c in changed]
    assert key not in keys and len(set(keys)) == len(keys)


def test_the_key_is_the_same_whatever_the_hash_seed() -> None:
    code = (
        "from tests.strangler.skeleton.test_buildcache import _inputs\n"
        "from strangler.skeleton import buildcache\n"
        "print(buildcache.build_key(_inputs()))\n"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(keys) == 1 and keys != {""}


def test_a_damaged_foreign_or_linked_document_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "files.json"
    assert buildcache.save(path, "k", {"a.py": "x = 1\n"})
    assert buildcache.load(path, "k") == {"a.py": "x = 1\n"}
    assert buildcache.load(path, "other") is None
    path.write_text('{"layout": "strangler.skeleton-files/1", "key": "k", "files": [["a.py", 1]]}')
    assert buildcache.load(path, "k") is None
    path.write_text("{not json")
    assert buildcache.load(path, "k") is None
    target = tmp_path / "elsewhere.json"
    assert buildcache.save(target, "k", {"a.py": ""})
    path.unlink()
    path.symlink_to(target)  # never followed
    assert buildcache.load(path, "k") is None
    assert buildcache.load(tmp_path / "missing.json", "k") is None


def test_the_code_fingerprint_covers_the_code_a_build_imports() -> None:
    """Every module of strangler or the analyzers that building imports is in CODE (an edit of any
    of them must change the key); the entries of CODE exist."""
    code = (
        "import sys\n"
        "import strangler.skeleton.assembly, strangler.skeleton.generate\n"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items()\n"
        "    if n.split('.')[0] in ('strangler', 'analyzers') and getattr(m, '__file__', None)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    covered = {line.split("=")[0] for line in buildcache.code_fingerprint().splitlines()}
    assert all((REPO / entry).exists() for entry in buildcache.CODE)
    # (package __init__ modules run on import but build nothing: the boundaries and graph packages)
    missing = sorted(
        rel
        for rel in (str(Path(f).relative_to(REPO)) for f in loaded)
        if rel not in covered
        and not rel.startswith(("strangler/boundaries/", "strangler/graph/"))
        and rel not in ("strangler/__init__.py", "strangler/names.py", "strangler/progress.py")
    )
    assert missing == []
