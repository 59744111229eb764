"""Strangler-fig routing: the plan's routes as nginx, Kubernetes Gateway API and Envoy configuration."""

from strangler.plan.extraction_plan import ExtractionPlan
from strangler.proxy.phases import ProxyOptions


def render_proxy(plan: ExtractionPlan, options: ProxyOptions | None = None) -> dict[str, str]:
    """Every proxy file of every phase: relative path (under the output dir, `proxy/...`) to text."""
    from strangler.proxy import envoy, gateway, nginx

    options = options or ProxyOptions()
    files: dict[str, str] = {}
    for renderer in (nginx.render, gateway.render, envoy.render):
        files.update((f"proxy/{path}", text) for path, text in renderer(plan, options).items())
    return dict(sorted(files.items()))


__all__ = ["ProxyOptions", "render_proxy"]
