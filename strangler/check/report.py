"""`strangler check` output: text, JSON (`strangler.check/1`), SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from strangler import __version__
from strangler.check.findings import CheckReport, Finding, FindingKind

SCHEMA = "strangler.check/1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_KEY_FIELDS = ("kind", "source", "caller", "target", "symbol")
_RULE_TEXT = {
    FindingKind.IMPORT: "import of a module of another service",
    FindingKind.CALL: "call of a symbol of another service",
    FindingKind.ATTRIBUTE: "attribute of a symbol of another service",
    FindingKind.BASE: "base class from another service",
    FindingKind.DECORATOR: "decorator from another service",
    FindingKind.ANNOTATION: "type annotation naming another service's symbol",
    FindingKind.NAME: "use of a name of another service",
    FindingKind.TABLE_READ: "read of a table another service owns",
    FindingKind.TABLE_WRITE: "write of a table another service owns",
    FindingKind.ROUTE: "route under a path prefix another service owns",
    FindingKind.UNASSIGNED: "module the decomposition does not place",
}


def _shown(path: str, prefix: str) -> str:
    return f"{prefix.rstrip('/')}/{path}" if prefix and prefix != "." else path


def _where(finding: Finding) -> str:
    return f" (in {finding.caller})" if finding.caller and finding.caller != "<module>" else ""


def render_text(report: CheckReport, prefix: str = "") -> str:
    """New findings grouped by service pair with counts, then a summary line."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.new:
        groups[(finding.source_service, finding.target_service)].append(finding)
    lines: list[str] = []
    for (ours, theirs), found in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"{ours} -> {theirs or '?'} ({len(found)})")
        for f in found:
            what = f"{f.target}.{f.symbol}" if f.symbol else f.target or f.source
            lines.append(f"  {_shown(f.path, prefix)}:{f.line}: {f.kind.value} {what}{_where(f)}")
    for key in report.gone:
        lines.append("gone from the baseline: " + " ".join(part or "-" for part in key))
    summary = f"{len(report.new)} new cross-boundary dependencies"
    if report.baseline:
        summary += f", {len(report.known)} in the baseline, {len(report.gone)} baseline entries gone"
    lines.append(summary if report.new or report.baseline else "no cross-boundary dependencies")
    return "\n".join(lines) + "\n"


def _finding_document(finding: Finding, known: bool, prefix: str) -> dict[str, Any]:
    return {
        "path": _shown(finding.path, prefix),
        "line": finding.line,
        **dict(zip(_KEY_FIELDS, finding.key(), strict=True)),
        "source_service": finding.source_service,
        "target_service": finding.target_service,
        "in_baseline": known,
        "message": finding.message(),
    }


def to_document(report: CheckReport, prefix: str = "") -> dict[str, Any]:
    """The `strangler.check/1` document (docs/schemas/check.md)."""
    findings = [_finding_document(f, False, prefix) for f in report.new]
    findings += [_finding_document(f, True, prefix) for f in report.known]
    findings.sort(key=lambda d: (d["path"], d["line"], *(d[k] for k in _KEY_FIELDS)))
    return {
        "schema": SCHEMA,
        "boundaries": report.boundaries,
        "baseline": report.baseline or None,
        "summary": {"new": len(report.new), "in_baseline": len(report.known), "gone": len(report.gone)},
        "findings": findings,
        "gone": [dict(zip(_KEY_FIELDS, key, strict=True)) for key in report.gone],
    }


def fingerprint(finding: Finding) -> str:
    """A hash of the finding's key: stable across line moves (SARIF partialFingerprints)."""
    return hashlib.sha256("\0".join(finding.key()).encode("utf-8")).hexdigest()


def _sarif_result(finding: Finding, known: bool, prefix: str) -> dict[str, Any]:
    return {
        "ruleId": finding.kind.value,
        "level": "note" if known else "error",
        "baselineState": "unchanged" if known else "new",
        "message": {"text": finding.message() + _where(finding)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _shown(finding.path, prefix), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(1, finding.line)},
                }
            }
        ],
        "partialFingerprints": {"strangler/v1": fingerprint(finding)},
        "properties": {"sourceService": finding.source_service, "targetService": finding.target_service},
    }


def to_sarif(report: CheckReport, prefix: str = "") -> dict[str, Any]:
    """A SARIF 2.1.0 log: one run, one rule per finding kind, known findings as notes."""
    rules = [
        {"id": kind.value, "name": kind.name.title().replace("_", ""), "shortDescription": {"text": text}}
        for kind, text in _RULE_TEXT.items()
    ]
    results = [_sarif_result(f, False, prefix) for f in report.new]
    results += [_sarif_result(f, True, prefix) for f in report.known]
    driver = {
        "name": "strangler",
        "version": __version__,
        "informationUri": "https://pypi.org/project/strangler/",
        "rules": rules,
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def escape_data(text: str) -> str:
    """A workflow command's message, as GitHub requires: %, CR and LF encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: CheckReport, prefix: str = "") -> str:
    """`::error file=…,line=…,title=…::message` per new finding, `::notice` per gone entry."""
    lines = []
    for f in report.new:
        title = escape_property("strangler check: " + f.kind.value)
        props = f"file={escape_property(_shown(f.path, prefix))},line={f.line},title={title}"
        lines.append(f"::error {props}::{escape_data(f.message() + _where(f))}")
    for key in report.gone:
        lines.append("::notice::" + escape_data("gone from the baseline: " + " ".join(p or "-" for p in key)))
    return "".join(line + "\n" for line in lines)


def render_json(report: CheckReport, prefix: str = "") -> str:
    from strangler.jsonio import dumps

    return dumps(to_document(report, prefix))


def render_sarif(report: CheckReport, prefix: str = "") -> str:
    from strangler.jsonio import dumps

    return dumps(to_sarif(report, prefix))


RENDERERS: dict[str, Callable[[CheckReport, str], str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
}
