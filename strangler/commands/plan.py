"""`strangler plan PATH -o DIR`: the extraction plan (plan.md, plan.json) and strangler-fig proxy configs.

Every output file is collected in one dict {relative path: text} and written once at the end, so
other generators (service skeletons) add their files with one `files.update(...)` and the documents
(plan.json lists the skeleton directories) are built from the final set.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from strangler.commands.common import (
    analysis_options,
    load_codebase,
    output_options,
    path_argument,
    warn_unparsed,
)
from strangler.errors import ConfigError
from strangler.writing import check_output_directory, write_plan_tree

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from strangler.decomposition import Decomposition
    from strangler.plan.model import ExtractionPlan
    from strangler.proxy.phases import ProxyOptions


def proxy_options(
    table: Mapping[str, Any],
    *,
    monolith_upstream: str | None,
    service_upstreams: tuple[str, ...],
    canary: str | None,
    listen: int | None,
    source: str,
) -> ProxyOptions:
    """ProxyOptions from `[tool.strangler.upstreams]` (monolith = "H:P", <service> = "H:P"), overridden
    by the command line."""
    from strangler.proxy.phases import ProxyOptions, check_canary

    configured = table.get("upstreams", {})
    if not isinstance(configured, dict) or not all(isinstance(v, str) for v in configured.values()):
        raise ConfigError('[tool.strangler.upstreams] must map names to "HOST:PORT" strings', path=source)
    upstreams = dict(configured)
    for item in service_upstreams:
        name, sep, address = item.partition("=")
        if not sep or not name or not address:
            raise ConfigError(
                f"--service-upstream {item!r} is not NAME=HOST:PORT", hint="e.g. orders=127.0.0.1:8001"
            )
        upstreams[name] = address
    monolith = monolith_upstream or upstreams.pop("monolith", "127.0.0.1:8000")
    upstreams.pop("monolith", None)
    check_upstreams(monolith, upstreams, source)
    weights: tuple[int, ...] = (10, 50, 100)
    if canary is not None:
        try:
            weights = tuple(int(v) for v in canary.split(",") if v.strip())
        except ValueError:
            raise ConfigError(
                f"--canary {canary!r} is not a list of percentages", hint="e.g. --canary 10,50,100"
            ) from None
    return ProxyOptions(
        listen=listen if listen is not None else 8080,
        monolith_upstream=monolith,
        service_upstreams=tuple(sorted(upstreams.items())),
        canary=check_canary(weights),
    )


def check_upstreams(monolith: str, services: Mapping[str, str], source: str) -> None:
    """Every upstream is HOST:PORT and every service name an acceptable one (ConfigError, exit 2)."""
    from strangler.names import SERVICE_NAME_HINT, service_name_problem, upstream_problem

    problem = upstream_problem(monolith)
    if problem is not None:
        raise ConfigError(f"monolith {problem}", path=source, hint="e.g. 127.0.0.1:8000")
    for name, address in sorted(services.items()):
        problem = service_name_problem(name)
        if problem is not None:
            raise ConfigError(f"upstreams: {problem}", path=source, hint=SERVICE_NAME_HINT)
        problem = upstream_problem(address)
        if problem is not None:
            raise ConfigError(f"upstream of {name!r}: {problem}", path=source, hint="e.g. 127.0.0.1:8001")


def _skeletons(
    codebase: Codebase,
    decomposition: Decomposition,
    waves: list[str],
    path: Path,
    apply_patch: bool,
    no_cache: bool,
    quiet: bool,
) -> dict[str, str]:
    """The skeletons of every wave, with the skeleton cache (unless --no-cache) and progress."""
    from analyzers.cache import cache_directory
    from strangler.progress import Progress
    from strangler.skeleton import plan_skeletons

    progress = Progress(quiet=quiet)
    try:
        return plan_skeletons(
            codebase,
            decomposition,
            waves,
            path,
            apply=apply_patch,
            cache_dir=None if no_cache else cache_directory(None),
            progress=progress,
        )
    finally:
        progress.close()


def documents(
    plan: ExtractionPlan, files: Mapping[str, str], options: ProxyOptions | None = None
) -> dict[str, str]:
    """plan.md and plan.json, built last so they list every other file (proxy, skeletons); with a
    `routing` section when the proxy holds routes back with the monolith."""
    from strangler.jsonio import dumps
    from strangler.plan import document, markdown
    from strangler.proxy.heldback import routing_markdown, routing_section
    from strangler.proxy.phases import ProxyOptions
    from strangler.skeleton.stats import read_stats, skeleton_markdown

    options = options or ProxyOptions()
    proxy = {p: t for p, t in files.items() if p.startswith("proxy/")}
    services = {
        w.service: f"services/{w.service}"
        for w in plan.waves
        if any(p.startswith(f"services/{w.service}/") for p in files)
    }
    doc = document.to_document(plan, proxy, services)
    skeletons = read_stats(files)
    if skeletons:  # (an extension of strangler.plan/1: what each skeleton moves, vendors, generates)
        doc["skeletons"] = skeletons
    routing = routing_section(plan, options)
    if routing is not None:
        doc["routing"] = routing
    held = routing_markdown(plan, options)
    sizes = skeleton_markdown(skeletons)
    return {
        "plan.md": markdown.render(plan, proxy)
        + (f"\n{sizes}" if sizes else "")
        + (f"\n{held}" if held else ""),
        "plan.json": dumps(doc),
    }


def render_text(plan: ExtractionPlan, out: Path, files: Mapping[str, str]) -> str:
    lines = [
        f"{len(plan.waves)} waves (least entangled first); shared kernel: {len(plan.shared_kernel)} modules"
    ]
    for w in plan.waves:
        e = w.entanglement
        pre = sum(1 for s in w.steps if s.prerequisite)
        lines.append(
            f"  {w.order:>2}. {w.service:<20} score {e.score:>7g}  inbound {e.inbound_call_sites:>3}  "
            f"shared tables {e.shared_tables:>2}  cycle partners {e.cycle_partners:>2}  "
            f"routes {len(w.routes):>3}  "
            f"prerequisites {pre}  hazards {len(w.hazards)}"
        )
    groups: dict[str, int] = {}
    for rel in files:
        top = rel.split("/")[0] if "/" in rel else rel
        key = (
            "/".join(rel.split("/")[:2]) + "/"
            if rel.startswith("proxy/")
            else (top + "/" if "/" in rel else top)
        )
        groups[key] = groups.get(key, 0) + 1
    lines.append(f"wrote {len(files)} files to {out}:")
    lines += [
        f"  {key} ({count})" if key.endswith("/") else f"  {key}" for key, count in sorted(groups.items())
    ]
    return "\n".join(lines) + "\n"


@click.command("plan")
@path_argument
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write plan.md, plan.json, proxy/ (and services/) into.",
)
@click.option(
    "--boundaries",
    "boundaries_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An edited decomposition (from `strangler boundaries --format json`) to plan.",
)
@click.option("--force", is_flag=True, help="Write into a non-empty directory strangler did not create.")
@click.option(
    "--monolith-upstream", metavar="HOST:PORT", help="Where the monolith listens (default 127.0.0.1:8000)."
)
@click.option(
    "--service-upstream",
    "service_upstreams",
    multiple=True,
    metavar="NAME=HOST:PORT",
    help="Where a service listens (repeatable; default 127.0.0.1:8000+wave).",
)
@click.option("--canary", metavar="LIST", help="Canary weights in percent (default 10,50,100).")
@click.option(
    "--listen", type=click.IntRange(1, 65535), help="Port the generated proxies listen on (default 8080)."
)
@click.option(
    "--apply",
    "apply_patch",
    is_flag=True,
    help="Also write the first wave's monolith patch into PATH (default: only into DIR/monolith_patch).",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Run every nginx phase on 127.0.0.1 with stub upstreams and check every route and probe "
    "reaches the upstream the plan says (needs nginx; exit 1 on a mismatch).",
)
@analysis_options
@output_options
def command(
    path: Path,
    out: Path,
    boundaries_file: Path | None,
    force: bool,
    monolith_upstream: str | None,
    service_upstreams: tuple[str, ...],
    canary: str | None,
    listen: int | None,
    no_history: bool,
    no_cache: bool,
    exclude: tuple[str, ...],
    fmt: str,
    quiet: bool,
    apply_patch: bool = False,
    verify: bool = False,
) -> None:
    """Plan the extraction of the services of PATH and write the strangler-fig routing."""
    from analyzers.config import load_project_config
    from strangler.config import boundary_options
    from strangler.pipeline import decomposition_for
    from strangler.plan import PlanOptions, make_plan
    from strangler.proxy import render_proxy

    check_output_directory(out, force)
    table = load_project_config(path)
    source = str(path / "pyproject.toml")
    options = proxy_options(
        table,
        monolith_upstream=monolith_upstream,
        service_upstreams=service_upstreams,
        canary=canary,
        listen=listen,
        source=source,
    )
    codebase = load_codebase(path, no_history=no_history, no_cache=no_cache, exclude=exclude, quiet=quiet)
    warn_unparsed(codebase, quiet)
    decomposition = decomposition_for(codebase, boundaries_file, boundary_options(table, source=source))
    plan = make_plan(codebase, decomposition, PlanOptions())
    files: dict[str, str] = dict(render_proxy(plan, options))
    waves = [w.service for w in plan.waves]
    files.update(_skeletons(codebase, decomposition, waves, path, apply_patch, no_cache, quiet))
    files.update(documents(plan, files, options))
    write_plan_tree(out, files, force=force)
    if fmt == "json":
        click.echo(files["plan.json"], nl=False)
    else:
        click.echo(render_text(plan, out, files), nl=False)
    if verify:
        run_verify(plan, options, to_stderr=fmt == "json")


def run_verify(plan: ExtractionPlan, options: ProxyOptions, *, to_stderr: bool) -> None:
    """`--verify`: the report (on stderr beside JSON output); MismatchError (exit 1) on a mismatch."""
    from strangler.verify import MismatchError, verify_plan
    from strangler.verify import render_text as verify_text

    report = verify_plan(plan, options)
    click.echo(verify_text(report), nl=False, err=to_stderr)
    if not report.ok:
        raise MismatchError(
            f"--verify: {len(report.mismatches())} request(s) reached another upstream than the plan says",
            hint="see the table above; the files are written, but do not deploy these configs",
        )
