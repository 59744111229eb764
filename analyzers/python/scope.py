"""How per-file extractors ask about names bound by imports, without knowing how imports resolve.

Framework extractors (routes, data) see one file at a time; cross-file facts (a blueprint defined in
one module and registered with a prefix in another, a Django `include("app.urls")`) are resolved
after every file is parsed, through this protocol, implemented by the import resolver.
"""

from __future__ import annotations

from typing import Protocol


class Scope(Protocol):
    def resolve_module(self, dotted: str) -> str | None:
        """The codebase module named `dotted` (absolute), or None if it is not part of the codebase."""

    def resolve_name(self, module: str, dotted: str) -> tuple[str, str] | None:
        """Resolve a (possibly dotted) name as used at top level of `module` to where it is defined.

        Returns (defining module, symbol path inside it), e.g. in `shop.app`, with
        `from shop.orders import views`, "views.bp" resolves to ("shop.orders.views", "bp");
        a name defined in `module` itself resolves to (module, name); re-exports through
        `__init__` are followed to the defining module. A dotted name that is a module
        resolves to (module, ""). None when the name is external or unknown.
        """

    def is_external(self, module: str, dotted: str) -> bool:
        """Whether the first name of `dotted` is bound in `module` by an import of something outside
        the codebase (`TemplateView` after `from django.views.generic import TemplateView`)."""
