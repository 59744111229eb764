"""`strangler plan --verify`: every generated nginx phase run live, every route and probe checked.

For each phase and canary variant the phase's nginx.conf is rendered by the same generator with
loopback addresses (`listen 127.0.0.1:PORT`, one stub upstream per upstream, each answering with
its own name), started in a temporary prefix, and sent a request per route of the plan and the
negative probes of `probes`. Each answer is compared with what the plan says (`expect`, worked out
from the plan's routes and owners, not from the route table the config was made from). nginx is
stopped after each phase whatever happens, the stubs and the temporary directory at the end.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from strangler.plan.extraction_plan import MONOLITH, ExtractionPlan
from strangler.proxy import nginx
from strangler.proxy.matches import route_label
from strangler.proxy.phases import Phase, ProxyOptions, internal_prefix, phases, reserved_prefixes, upstreams
from strangler.verify import live
from strangler.verify.expect import DENIED, Oracle, expected, oracle
from strangler.verify.probes import Probe, RouteSample, probes, route_samples
from strangler.verify.verdict import Mismatch, MismatchError, PhaseResult, VerifyReport, render_text

#: Attempts to start nginx on a fresh port when another process takes the one it was given.
START_ATTEMPTS = 3
#: Requests in flight at once.
CONCURRENCY = 4


@dataclasses.dataclass(frozen=True, slots=True)
class _Run:
    """What every phase of one verification shares."""

    plan: ExtractionPlan
    options: ProxyOptions  # loopback addresses of the stubs
    tokens: Mapping[str, str]  # stub name → owner
    root: Path
    nginx: str
    samples: tuple[RouteSample, ...]


def _stub_names(plan: ExtractionPlan, options: ProxyOptions) -> dict[str, str]:
    """A stub name per upstream (`u0` the monolith, then the services): name → owner."""
    owners = sorted(upstreams(plan, options), key=lambda o: (o != MONOLITH, o))
    return {f"u{i}": owner for i, owner in enumerate(owners)}


def _loopback(options: ProxyOptions, ports: Mapping[str, int], tokens: Mapping[str, str]) -> ProxyOptions:
    address = {owner: f"{live.LOOPBACK}:{ports[name]}" for name, owner in tokens.items()}
    services = tuple(sorted((o, a) for o, a in address.items() if o != MONOLITH))
    return dataclasses.replace(
        options,
        listen_address=live.LOOPBACK,
        monolith_upstream=address[MONOLITH],
        service_upstreams=services,
        runtime_dir="",
    )


def _answer(status: int, stub: str, tokens: Mapping[str, str]) -> str:
    if stub in tokens:
        return tokens[stub]
    return DENIED if status == 404 else f"HTTP {status or 'no answer'}"


def _ask(port: int, tokens: Mapping[str, str], probe: Probe) -> str:
    return _answer(*live.fetch(port, probe.target), tokens)


def _send(port: int, tokens: Mapping[str, str], targets: tuple[Probe, ...]) -> list[str]:
    """Every probe's answer, in order, a few requests at a time (on an interrupt, the requests not
    yet sent are dropped)."""
    pool = ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="verify")
    try:
        return list(pool.map(functools.partial(_ask, port, tokens), targets))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fetch_all(run: _Run, phase: Phase, targets: tuple[Probe, ...]) -> list[str]:
    """Start the phase's nginx on a fresh port (again when the port is taken) and send every probe."""
    prefix = run.root / phase.name
    for attempt in range(START_ATTEMPTS):
        port = live.free_port()
        options = dataclasses.replace(run.options, listen=port)
        conf = live.write_conf(prefix, f"{phase.name}.conf", nginx.full_conf(run.plan, phase, options))
        try:
            with live.running_nginx(conf, prefix, port, run.nginx):
                return _send(port, run.tokens, targets)
        except live.PortTaken:
            if attempt + 1 == START_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _mismatch(phase: Phase, probe: Probe, allowed: frozenset[str], got: str) -> Mismatch:
    return Mismatch(phase.name, probe.target, probe.kind, probe.route, tuple(sorted(allowed)), got)


def _check(
    phase: Phase, facts: Oracle, targets: tuple[Probe, ...], answers: list[str]
) -> tuple[set[str], list[Mismatch]]:
    """The request targets that reached an expected upstream, and the mismatches."""
    passed, wrong = set(), []
    for probe, got in zip(targets, answers):
        allowed = expected(facts, probe.path, negative=probe.kind == "negative")
        if got in allowed:
            passed.add(probe.target)
        else:
            wrong.append(_mismatch(phase, probe, allowed, got))
    return passed, wrong


def _verify_phase(run: _Run, phase: Phase) -> PhaseResult:
    internal, reserved = internal_prefix(run.options), reserved_prefixes(run.options)
    targets = probes(run.samples, internal, reserved)
    facts = oracle(run.plan, phase, internal, reserved)
    passed, wrong = _check(phase, facts, targets, _fetch_all(run, phase, targets))
    verified = sum(1 for s in run.samples if s.path and s.path in passed)
    unverified = tuple(sorted({route_label(s.route) for s in run.samples if not s.path}))
    return PhaseResult(phase.name, verified, len(targets), tuple(wrong), unverified, len(phase.table.held))


def verify_plan(plan: ExtractionPlan, options: ProxyOptions | None = None) -> VerifyReport:
    """Run every phase of the plan's proxy in nginx on loopback and check every answer."""
    options = options or ProxyOptions()
    binary = live.find_nginx()
    tokens = _stub_names(plan, options)
    samples = route_samples(plan.route_owner())
    with live.stubs(sorted(tokens)) as ports, tempfile.TemporaryDirectory(prefix="strangler-verify-") as tmp:
        run = _Run(plan, _loopback(options, ports, tokens), tokens, Path(tmp), binary, samples)
        return VerifyReport(tuple(_verify_phase(run, phase) for phase in phases(plan, run.options)))


__all__ = ["MismatchError", "VerifyReport", "render_text", "verify_plan"]
