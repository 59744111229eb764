"""A hostile facts cache or run snapshot never runs code, hangs or crashes a run (issue #12, item 4).

The cache directory (~/.cache/strangler, $XDG_CACHE_HOME/strangler) can be shared, or restored from a
CI cache that another job filled, and its file names are predictable. Whatever sits there — a pickle
that would run code, a crafted marshal stream, garbage, a wrong-shaped document, a FIFO, a symlink,
a huge file — the run completes with the output of a cold run; damage to the facts cache is reported
as one `cache-corrupt` line and the file rewritten, a bad snapshot is silently not used.
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import analyzers
from analyzers.files import cache, snapshot
from analyzers.options import AnalysisOptions
from strangler.graph.analysis_report import analysis_document
from strangler.jsonio import dumps
from tests.builders import write_tree
from tests.conftest import REPO

#: A small tree with something for every extractor: imports of every kind, references, Flask routes,
#: SQLAlchemy and Django models, raw SQL, a Django urlconf, a syntax error and a bad encoding.
TREE = {
    "shop/__init__.py": '"""The shop."""\n__all__ = ["orders"]\n',
    "shop/models.py": (
        "from sqlalchemy.orm import declarative_base\nfrom sqlalchemy import Column, Integer\n"
        "Base = declarative_base()\n\n\nclass Order(Base):\n    __tablename__ = 'orders'\n"
        "    id = Column(Integer, primary_key=True)\n"
    ),
    "shop/orders.py": (
        "from flask import Blueprint\nfrom typing import TYPE_CHECKING\nfrom . import stock\n"
        "from .models import Order\nif TYPE_CHECKING:\n    from shop import billing\n"
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n\n"
        "bp = Blueprint('orders', __name__, url_prefix='/orders')\n\n\n"
        "@bp.route('/<int:order_id>', methods=['GET', 'POST'])\ndef show(order_id: int) -> str:\n"
        "    stock.take(order_id)\n    return json.dumps(session.query(Order).get(order_id))\n"
    ),
    "shop/stock.py": (
        '"""Stock."""\nimport importlib\nCACHE = {}\n\n\nasync def take(item):\n'
        "    importlib.import_module('shop.billing')\n"
        "    return db.execute('UPDATE stock_levels SET n = n - 1 WHERE item = ?', item)\n"
    ),
    "shop/billing.py": "from shop import orders\n\n\ndef bill(x):\n    return orders.show(x)\n",
    "shop/urls.py": (
        "from django.urls import include, path\nfrom shop import views\n\nurlpatterns = [\n"
        "    path('home/', views.home, name='home'),\n    path('api/', include('shop.api_urls')),\n]\n"
    ),
    "shop/api_urls.py": (
        "from django.urls import path\nfrom shop import views\n\nurlpatterns = [path('x/', views.home)]\n"
    ),
    "shop/views.py": (
        "from django.db import models\n\n\nclass Item(models.Model):\n    name = models.CharField()\n\n"
        "    class Meta:\n        db_table = 'items'\n\n\ndef home(request):\n    return Item.objects.all()\n"
    ),
    "shop/broken.py": "def broken(:\n",
}
#: marshal.loads of these bytes crashes CPython 3.11 (SIGSEGV): a tuple that refers to itself from
#: inside a frozenset is hashed before it is complete. The format of the old snapshot.
MARSHAL_CRASH = b"\xa9\x02\xbe\x01\x00\x00\x00)\x01r\x00\x00\x00\x00N"
#: Address space of a CLI run: a run that reads /dev/zero or a huge file fails instead of exhausting
#: the (shared) machine.
ADDRESS_SPACE = 3 << 30
TIMEOUT = 45
#: A run on the small tree takes under 100 MiB; one that read a huge file or /dev/zero takes more.
MAX_PEAK_MIB = 400
#: The parent of a CLI run: it runs the command (argv[2:]) and writes the largest resident set of
#: its children, in KiB, to the file argv[1]; it exits with the command's status.
MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[2:])\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(done.returncode if done.returncode >= 0 else 128 - done.returncode)\n"
)
#: More than any cache file is allowed to be (1 GiB): such a file is refused before it is read.
HUGE = (1 << 30) + 1


class Payload:
    """Pickles as a call to open(marker, "w"): loading it creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (self.marker, "w"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_tree(tmp_path_factory.mktemp("cache-hostile") / "proj", TREE)
    (root / "shop" / "latin.py").write_bytes(b"# -*- coding: utf-8 -*-\nNAME = '\xe9t\xe9'\n")
    time.sleep(snapshot.RACY_NANOSECONDS / 1e9 + 0.2)  # no file "racy": runs write the snapshot
    return root.resolve()


@pytest.fixture(scope="module")
def cold(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The JSON analysis of a run without any cache."""
    done = run_cli(tree, tmp_path_factory.mktemp("xdg-cold"), "--no-cache")
    assert done.returncode == 0, done.stderr
    assert '"syntax-error"' in done.stdout  # (the tree's diagnostics survive the caches too)
    return done.stdout


@pytest.fixture
def xdg(tmp_path: Path) -> Path:
    return tmp_path / "xdg"


def limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str
    peak_mib: float  # the largest resident set of the run


def start_cli(tree: Path, xdg: Path, *extra: str, form: str = "json") -> tuple[subprocess.Popen[str], Path]:
    """`strangler analyze TREE` as a user runs it, with its cache under `xdg`, in its own session,
    under a parent that writes the run's peak memory to the returned file."""
    handle, peak = tempfile.mkstemp(prefix="peak-")
    os.close(handle)
    command = [
        sys.executable,
        "-m",
        "strangler",
        "analyze",
        str(tree),
        "--no-history",
        "--format",
        form,
        *extra,
    ]
    process = subprocess.Popen(
        [sys.executable, "-c", MEASURE, peak, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "XDG_CACHE_HOME": str(xdg)},
        start_new_session=True,
        preexec_fn=limit_address_space,
    )
    return process, Path(peak)


def finish(process: subprocess.Popen[str], peak: Path) -> Run:
    """The run's outcome; a run that does not end in time is killed (its whole session) and fails."""
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the run hung (killed after {TIMEOUT} s)")
    finally:
        recorded = peak.read_text()
        peak.unlink()
    return Run(process.returncode, out, err, int(recorded or 0) / 1024)


def run_cli(tree: Path, xdg: Path, *extra: str, form: str = "json") -> Run:
    return finish(*start_cli(tree, xdg, *extra, form=form))


def store_of(xdg: Path, tree: Path) -> Path:
    return cache.cache_file(xdg / "strangler", tree)


def snapshot_of(xdg: Path, tree: Path) -> Path:
    return snapshot.snapshot_file(xdg / "strangler", tree)


def legacy_store_of(xdg: Path, tree: Path) -> Path:
    """Where the facts cache was a pickle (facts-KEY.pickle)."""
    return store_of(xdg, tree).with_suffix(".pickle")


def without_cache_diagnostics(output: str) -> dict[str, Any]:
    """The analysis document, its diagnostic count taken without the cache's own diagnostics."""
    document: dict[str, Any] = json.loads(output)
    document["stats"]["diagnostics"] = len(document["diagnostics"])
    return document


def assert_like_cold(done: Run, cold: str) -> None:
    """The run completed, without a traceback, in bounded memory, with the analysis of a cold run."""
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.peak_mib < MAX_PEAK_MIB, f"the run took {done.peak_mib:.0f} MiB"
    assert without_cache_diagnostics(done.stdout) == without_cache_diagnostics(cold)


def attack(
    tree: Path, xdg: Path, cold: str, plant: Callable[[], None], *, corrupt: bool, marker: Path | None = None
) -> None:
    """`plant` the attack, run (the result is a cold run's), plant it again and run with the text
    report (`cache-corrupt` is reported exactly when `corrupt`), then run once more (healed).
    After every run, `marker` (which the planted file would create if it ran) does not exist."""
    plant()
    done = run_cli(tree, xdg)
    assert marker is None or not marker.exists(), "the cache ran code"
    assert_like_cold(done, cold)
    plant()
    text = run_cli(tree, xdg, form="text")
    assert marker is None or not marker.exists(), "the cache ran code"
    assert text.returncode == 0, text.stderr[-2000:]
    assert text.peak_mib < MAX_PEAK_MIB, f"the run took {text.peak_mib:.0f} MiB"
    assert ("cache-corrupt" in text.stdout) is corrupt, text.stdout
    if corrupt:
        line = next(line for line in text.stdout.splitlines() if ": cache-corrupt: " in line)
        assert "facts cache ignored (" in line and "it will be rewritten" in line
    healed = run_cli(tree, xdg)
    assert healed.returncode == 0 and healed.stdout == cold


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_bytes(data)


def warm_cache(tree: Path, xdg: Path, cold: str) -> None:
    """A run that fills the facts cache and the snapshot of `tree` under `xdg`."""
    done = run_cli(tree, xdg)
    assert done.returncode == 0 and done.stdout == cold, done.stderr
    assert store_of(xdg, tree).is_file() and snapshot_of(xdg, tree).is_file()


# -- pickle: never read back -------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["legacy", "current"])
def test_a_pickle_in_the_cache_never_runs(
    tree: Path, xdg: Path, cold: str, tmp_path: Path, where: str
) -> None:
    marker = tmp_path / "pwned"
    target = legacy_store_of(xdg, tree) if where == "legacy" else store_of(xdg, tree)
    poison = pickle.dumps(Payload(marker), protocol=2)

    def plant() -> None:
        write(target, poison)

    # A file of the pickle era is never opened (no diagnostic); one at today's name is reported.
    attack(tree, xdg, cold, plant, corrupt=where == "current", marker=marker)


def test_a_pickle_in_place_of_the_snapshot_never_runs(
    tree: Path, xdg: Path, cold: str, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    poison = pickle.dumps(Payload(marker), protocol=2)
    for name in (snapshot_of(xdg, tree), snapshot_of(xdg, tree).with_suffix(".marshal")):
        write(name, poison)
    done = run_cli(tree, xdg)
    assert not marker.exists(), "the snapshot ran code"
    assert_like_cold(done, cold)


# -- damaged or crafted content ----------------------------------------------------------------------


def random_bytes() -> bytes:
    return random.Random(12).randbytes(4096)


def marshal_code() -> bytes:
    return marshal.dumps(compile("open('pwned', 'w')", "<cache>", "exec"))


CONTENT: dict[str, Callable[[], bytes]] = {
    "random bytes": random_bytes,
    "marshal crash": lambda: MARSHAL_CRASH,
    "marshal code object": marshal_code,
    "marshal of plain tuples": lambda: marshal.dumps(("x", {"a": (1, 2.5, None)})),
    "json of another shape": lambda: b'{"layout": "strangler.facts/3", "entries": [1, 2, 3]}',
    "json nested deeply": lambda: b"[" * 100_000 + b"]" * 100_000,
    "empty": lambda: b"",
}


@pytest.mark.parametrize("content", sorted(CONTENT))
def test_garbage_in_the_facts_cache_is_reported_and_rewritten(
    tree: Path, xdg: Path, cold: str, content: str
) -> None:
    data = CONTENT[content]()
    target = store_of(xdg, tree)
    attack(tree, xdg, cold, lambda: write(target, data), corrupt=True)


@pytest.mark.parametrize("content", sorted(CONTENT))
def test_garbage_in_place_of_the_snapshot_means_no_snapshot(
    tree: Path, xdg: Path, cold: str, content: str
) -> None:
    warm_cache(tree, xdg, cold)
    write(snapshot_of(xdg, tree), CONTENT[content]())
    assert_like_cold(run_cli(tree, xdg), cold)
    assert snapshot_of(xdg, tree).is_file()
    assert_like_cold(run_cli(tree, xdg), cold)


def test_a_truncated_cache_is_reported_and_rewritten(tree: Path, xdg: Path, cold: str) -> None:
    warm_cache(tree, xdg, cold)
    whole = store_of(xdg, tree).read_bytes()
    target = store_of(xdg, tree)
    attack(tree, xdg, cold, lambda: write(target, whole[: len(whole) // 2]), corrupt=True)


@pytest.mark.parametrize("cut", ["in the first line", "in the second line"])
def test_a_truncated_snapshot_is_not_used(tree: Path, xdg: Path, cold: str, cut: str) -> None:
    warm_cache(tree, xdg, cold)
    whole = snapshot_of(xdg, tree).read_bytes()
    end = whole.index(b"\n") // 2 if cut == "in the first line" else len(whole) - 10
    write(snapshot_of(xdg, tree), whole[:end])
    assert_like_cold(run_cli(tree, xdg), cold)


def written_snapshot(tree: Path, directory: Path) -> tuple[Path, str, list[Any]]:
    """The snapshot of a run on `tree` (its path, its run key) and its two lines, parsed."""
    options = AnalysisOptions(history=False, cache_dir=str(directory))
    analyzers.analyze(tree, options)
    whole = snapshot.snapshot_file(directory, tree)
    key = snapshot.run_key(cache.fingerprint(), tree, options, cache.cache_file(directory, tree))
    return whole, key, [json.loads(line) for line in whole.read_bytes().split(b"\n")]


def rewrite(whole: Path, lines: list[Any]) -> None:
    whole.write_bytes(b"\n".join(json.dumps(line).encode() for line in lines))


@pytest.mark.parametrize("path", ["../outside.py", "/etc/x.py", "shop//x.py", "shop/./x.py", "shop/x.txt"])
def test_a_snapshot_listing_a_path_out_of_the_tree_is_not_used(tree: Path, tmp_path: Path, path: str) -> None:
    whole, key, (header, body) = written_snapshot(tree, tmp_path / "c")
    found = snapshot.read(whole, key)
    assert found is not None and snapshot.discovery(found) is not None
    header["files"][1][1][0] = path  # the first file's path (SourceFile columns: module, path, ...)
    rewrite(whole, [header, body])
    found = snapshot.read(whole, key)
    assert found is not None and snapshot.discovery(found) is None


def test_a_snapshot_whose_modules_are_not_the_files_is_not_used(tree: Path, tmp_path: Path) -> None:
    whole, key, (header, body) = written_snapshot(tree, tmp_path / "c")
    found = snapshot.read(whole, key)
    current = snapshot.stamps(tree, [(row[0], row[1]) for row in zip(*header["stamps"][1])])
    assert found is not None and current is not None
    assert snapshot.load(found, current) is not None
    body["modules"][1][1][0] = "elsewhere.py"  # the first module's path
    rewrite(whole, [header, body])
    found = snapshot.read(whole, key)
    assert found is not None and snapshot.load(found, current) is None


# -- special files: FIFO, symlinks, devices, huge files -----------------------------------------------


@pytest.mark.parametrize("which", ["facts", "snapshot"])
def test_a_fifo_does_not_hang_the_run(tree: Path, xdg: Path, cold: str, which: str) -> None:
    target = store_of(xdg, tree) if which == "facts" else snapshot_of(xdg, tree)

    def plant() -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        os.mkfifo(target)

    attack(tree, xdg, cold, plant, corrupt=which == "facts")


def test_a_symlinked_facts_cache_is_never_followed(tree: Path, xdg: Path, cold: str, tmp_path: Path) -> None:
    # A valid cache of this very tree, outside the cache directory: still not read through a link.
    warm_cache(tree, xdg, cold)
    outside = tmp_path / "outside.json"
    shutil.move(store_of(xdg, tree), outside)
    before = outside.read_bytes()
    store_of(xdg, tree).symlink_to(outside)
    text = run_cli(tree, xdg, form="text")
    assert text.returncode == 0, text.stderr
    assert "cache-corrupt" in text.stdout and "not a regular file" in text.stdout
    assert outside.read_bytes() == before  # the rewrite replaced the link, not what it points to
    assert store_of(xdg, tree).is_file() and not store_of(xdg, tree).is_symlink()
    assert run_cli(tree, xdg).stdout == cold


def test_a_symlinked_snapshot_is_never_followed(tree: Path, xdg: Path, cold: str, tmp_path: Path) -> None:
    warm_cache(tree, xdg, cold)
    outside = tmp_path / "outside-run"
    shutil.move(snapshot_of(xdg, tree), outside)
    before = outside.read_bytes()
    snapshot_of(xdg, tree).symlink_to(outside)
    assert_like_cold(run_cli(tree, xdg), cold)
    assert outside.read_bytes() == before
    # Not used, so written again: the link is replaced by a file.
    assert snapshot_of(xdg, tree).is_file() and not snapshot_of(xdg, tree).is_symlink()


@pytest.mark.parametrize("which", ["facts", "snapshot"])
def test_a_link_to_dev_zero_is_not_read(tree: Path, xdg: Path, cold: str, which: str) -> None:
    target = store_of(xdg, tree) if which == "facts" else snapshot_of(xdg, tree)

    def plant() -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        target.symlink_to("/dev/zero")

    started = time.monotonic()
    attack(tree, xdg, cold, plant, corrupt=which == "facts")
    assert time.monotonic() - started < TIMEOUT


@pytest.mark.parametrize("which", ["facts", "snapshot"])
def test_a_huge_file_is_not_read(tree: Path, xdg: Path, cold: str, which: str) -> None:
    target = store_of(xdg, tree) if which == "facts" else snapshot_of(xdg, tree)

    def plant() -> None:
        write(target, b"")
        os.truncate(target, HUGE)  # sparse: no disk used

    attack(tree, xdg, cold, plant, corrupt=which == "facts")


def test_a_directory_in_place_of_the_cache_is_no_crash(tree: Path, xdg: Path, cold: str) -> None:
    store_of(xdg, tree).mkdir(parents=True)
    snapshot_of(xdg, tree).mkdir(parents=True)
    done = run_cli(tree, xdg, form="text")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "cache-corrupt" in done.stdout and "cache-unwritable" in done.stdout
    assert_like_cold(run_cli(tree, xdg), cold)


# -- the loader itself: every wrong type, shape or size is CodecError -> cache-corrupt ------------------


def fill(tree: Path, directory: Path) -> tuple[Path, str]:
    options = AnalysisOptions(history=False, cache_dir=str(directory))
    analyzers.analyze(tree, options)
    return cache.cache_file(directory, tree), cache.fingerprint()


def leaves(node: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(path, value) of every scalar of a JSON document."""
    if type(node) is list:
        for index, item in enumerate(node):
            yield from leaves(item, (*at, index))
    elif type(node) is dict:
        for key, item in node.items():
            yield from leaves(item, (*at, key))
    else:
        yield at, node


def replaced(document: Any, at: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(document))
    node = copy
    for step in at[:-1]:
        node = node[step]
    node[at[-1]] = value
    return copy


#: A value of every other JSON type for one of each type the columns hold.
WRONG: dict[type, list[Any]] = {
    str: [1, None, True, 1.5, [], {}],
    int: ["1", None, True, 1.0, [], {}],
    bool: [1, 0, None, "true", [], {}],
}


def test_a_value_of_the_wrong_type_anywhere_is_corrupt(tree: Path, tmp_path: Path) -> None:
    store, stamp = fill(tree, tmp_path / "c")
    document = json.loads(store.read_bytes())
    assert cache.load(store, stamp).diagnostic is None
    found = [(at, value) for at, value in leaves(document["entries"]) if type(value) in WRONG]
    assert len(found) > 200
    picked = random.Random(4).sample(found, 150)
    for at, value in picked:
        for wrong in WRONG[type(value)]:
            store.write_bytes(json.dumps(replaced(document, ("entries", *at), wrong)).encode())
            loaded = cache.load(store, stamp)
            assert loaded.diagnostic is not None and loaded.diagnostic.kind == "cache-corrupt", (at, wrong)
            assert not loaded.entries


SHAPES: dict[str, Callable[[Any], Any]] = {
    "count too large": lambda d: {**d, "entries": [d["entries"][0] + 1, d["entries"][1]]},
    "count negative": lambda d: {**d, "entries": [-1, d["entries"][1]]},
    "count a bool": lambda d: {**d, "entries": [True, d["entries"][1]]},
    "huge count": lambda d: {**d, "entries": [10**18, d["entries"][1]]},
    "a column missing": lambda d: {**d, "entries": [d["entries"][0], d["entries"][1][:-1]]},
    "a column more": lambda d: {**d, "entries": [d["entries"][0], [*d["entries"][1], []]]},
    "an object for a column": lambda d: {**d, "entries": [d["entries"][0], {"0": 1}]},
    "a member more": lambda d: {**d, "extra": 1},
    "a member missing": lambda d: {k: v for k, v in d.items() if k != "entries"},
    "another layout": lambda d: {**d, "layout": "pickle"},
    "a list, not an object": lambda d: list(d.values()),
    "a digest that is no hex": lambda d: replaced(d, ("entries", 1, 1, 0), "zz" * 16),
    "a short digest": lambda d: replaced(d, ("entries", 1, 1, 0), "00"),
    "a Literal value outside it": lambda d: replaced(d, first_symbol_kind(d), "module"),
}


def first_symbol_kind(document: Any) -> tuple[Any, ...]:
    """Where the `kind` of the first symbol is: entries / FileFacts column / symbols / Symbol / kind."""
    facts = document["entries"][1][3]
    symbols = facts[2]  # FileFacts.symbols: [lengths, Symbol columns]
    assert symbols[1], "the tree has symbols"
    return ("entries", 1, 3, 2, 1, 1, 0)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_document_of_another_shape_is_corrupt(tree: Path, tmp_path: Path, shape: str) -> None:
    store, stamp = fill(tree, tmp_path / "c")
    document = json.loads(store.read_bytes())
    store.write_bytes(json.dumps(SHAPES[shape](document)).encode())
    loaded = cache.load(store, stamp)
    assert loaded.diagnostic is not None and loaded.diagnostic.kind == "cache-corrupt"
    assert "\n" not in loaded.diagnostic.message
    assert not loaded.entries


def test_a_stale_document_is_ignored_silently(tree: Path, tmp_path: Path) -> None:
    store, stamp = fill(tree, tmp_path / "c")
    document = json.loads(store.read_bytes())
    store.write_bytes(json.dumps({**document, "fingerprint": "another version", "entries": 0}).encode())
    assert cache.load(store, stamp) == cache.LoadedCache({})


def test_the_size_bound_is_checked_before_reading(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cache.MAX_BYTES < HUGE and snapshot.MAX_BYTES < HUGE
    store, stamp = fill(tree, tmp_path / "c")
    monkeypatch.setattr(cache, "MAX_BYTES", store.stat().st_size - 1)
    loaded = cache.load(store, stamp)
    assert loaded.diagnostic is not None and "larger than" in loaded.diagnostic.message
    monkeypatch.setattr(cache, "MAX_BYTES", store.stat().st_size)
    assert cache.load(store, stamp).diagnostic is None


def test_the_codec_builds_only_the_schema_classes() -> None:
    """No type name is read from the file: a record column builds its own class, nothing else."""
    from analyzers.files import facts_codec
    from analyzers.model import Diagnostic

    spec = facts_codec.schema(Diagnostic)
    values = [Diagnostic("a.py", 1, "k", "m"), Diagnostic("b.py", 0, "k", "n")]
    plain = facts_codec.encode(spec, values)
    assert plain == [2, [["a.py", "b.py"], [1, 0], ["k", "k"], ["m", "n"]]]
    assert facts_codec.decode(spec, facts_codec.loads(facts_codec.dumps(plain))) == values
    for bad in (
        [2, [["a.py", "b.py"], [1, 0], ["k", "k"]]],
        [1, [["a.py"], [False], ["k"], ["m"]]],
        [0, [[]]],
    ):
        with pytest.raises(facts_codec.CodecError):
            facts_codec.decode(spec, bad)
    with pytest.raises(facts_codec.CodecError):
        facts_codec.encode(spec, [("a.py", 1, "k", "m")])  # a tuple is no Diagnostic
    with pytest.raises(TypeError):
        facts_codec.schema(dict)


def test_the_facts_of_every_fixture_survive_the_cache(tmp_path: Path) -> None:
    """Whatever the extractors produce fits the schema (no value outside a Literal, no list for a
    tuple): saved and loaded again, every file's facts are equal, with no diagnostic."""
    from analyzers.frameworks.joining import scan_file
    from analyzers.python.parsing import parse_file

    entries: dict[str, cache.Entry] = {}
    for path in sorted([*(REPO / "tests" / "fixtures").rglob("*.py"), *(REPO / "examples").rglob("*.py")]):
        relpath = path.relative_to(REPO).as_posix()
        data = path.read_bytes()
        facts = parse_file(data, relpath[:-3].replace("/", "."), relpath, scan_file)
        entries[relpath] = (cache.digest(data), relpath, facts)
    assert len(entries) > 100 and any(e[2].frameworks is not None for e in entries.values())
    store = tmp_path / "facts.json"
    assert cache.save(store, "stamp", entries) is None
    loaded = cache.load(store, "stamp")
    assert loaded.diagnostic is None
    assert loaded.entries == entries


# -- concurrent runs -------------------------------------------------------------------------------------


def test_concurrent_runs_on_one_cache(tree: Path, xdg: Path, cold: str) -> None:
    """Writers replace whole files (temporary file, rename): no run sees a part, none fails."""
    for _ in range(2):
        started = [start_cli(tree, xdg) for _ in range(4)]
        runs = [finish(*pair) for pair in started]
        for done in runs:
            assert_like_cold(done, cold)
            assert done.stdout == cold  # (not even a cache diagnostic)
    directory = store_of(xdg, tree).parent
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        [store_of(xdg, tree).name, snapshot_of(xdg, tree).name]
    )  # no temporary file left


# -- the same analysis, whichever cache served it --------------------------------------------------------


def test_the_analysis_is_byte_identical_cold_warm_and_from_the_snapshot(
    tree: Path, xdg: Path, cold: str, tmp_path: Path
) -> None:
    options = AnalysisOptions(history=False, cache_dir=str(tmp_path / "in-process"))
    runs = {}
    runs["no cache"] = analyzers.analyze(tree, AnalysisOptions(history=False, cache=False))
    runs["cache cold"] = analyzers.analyze(tree, options)
    runs["snapshot"] = analyzers.analyze(tree, options)
    snapshot.discard(snapshot.snapshot_file(tmp_path / "in-process", tree))
    runs["per-file cache"] = analyzers.analyze(tree, options)
    stats = {name: dict(codebase.stats) for name, codebase in runs.items()}
    assert stats["cache cold"]["files_cached"] == 0 and stats["cache cold"]["files_parsed"] > 0
    assert "seconds_snapshot" in stats["snapshot"] and stats["snapshot"]["files_parsed"] == 0
    assert "seconds_snapshot" not in stats["per-file cache"]
    assert stats["per-file cache"]["files_parsed"] == 0 and stats["per-file cache"]["files_cached"] > 0
    texts = {name: dumps(analysis_document(codebase)) for name, codebase in runs.items()}
    assert len(set(texts.values())) == 1, texts.keys()
    assert texts["no cache"] == cold
    # The command line, as users run it: cold, warm from the snapshot, warm from the per-file cache.
    outputs = [run_cli(tree, xdg).stdout, run_cli(tree, xdg).stdout]
    snapshot.discard(snapshot_of(xdg, tree))
    outputs.append(run_cli(tree, xdg).stdout)
    assert outputs == [cold] * 3
