"""Import rewriting with libcst: moved, vendored and remote names; formatting and comments survive."""

from __future__ import annotations

from strangler.skeleton.moving import ModuleSource, Relocation, relocate_module, remote_map

KNOWN = frozenset(
    {
        "shop",
        "shop.orders",
        "shop.orders.service",
        "shop.orders.models",
        "shop.core",
        "shop.core.db",
        "shop.accounts",
        "shop.accounts.auth",
        "shop.stock",
        "shop.stock.service",
    }
)
LOCAL = {
    "shop.orders": "orders",
    "shop.orders.service": "orders.service",
    "shop.orders.models": "orders.models",
    "shop.core": "orders.vendored.shop.core",
    "shop.core.db": "orders.vendored.shop.core.db",
}
REMOTE, SPACES = remote_map(
    [("shop.accounts.auth", "require_user"), ("shop.stock.service", "reserve")],
    ["shop.stock.service"],
    "orders.clients.monolith",
)
RELOCATION = Relocation(local=LOCAL, remote=REMOTE, remote_modules=SPACES, known=KNOWN)


def _move(text: str, name: str = "shop.orders.service", header: tuple[str, ...] = ()) -> str:
    return relocate_module(ModuleSource(name, False, text, header=header), RELOCATION)


def test_moved_and_vendored_modules_keep_the_statement_formatting() -> None:
    text = (
        "from shop.orders.models import (  # the models\n"
        "    Order,\n"
        "    OrderLine,\n"
        ")\n"
        "from shop.core import db\n"
    )
    assert _move(text) == (
        "from orders.models import (  # the models\n"
        "    Order,\n"
        "    OrderLine,\n"
        ")\n"
        "from orders.vendored.shop.core import db\n"
    )


def test_relative_imports_become_absolute_new_names() -> None:
    assert _move("from .models import Order\nfrom ..core import db\n") == (
        "from orders.models import Order\nfrom orders.vendored.shop.core import db\n"
    )


def test_remote_functions_come_from_the_client_under_the_bound_name() -> None:
    text = "from shop.accounts.auth import require_user\n\n\ndef f():\n    return require_user()\n"
    out = _move(text)
    assert out.startswith(
        "from orders.clients.monolith import shop_accounts_auth__require_user as require_user\n"
    )
    assert out.endswith("    return require_user()\n")


def test_module_objects_become_client_namespaces_even_inside_functions() -> None:
    text = (
        "def place():\n"
        "    # reserve stock first\n"
        "    from shop.stock import service as stock_service\n"
        "    return stock_service.reserve(1)\n"
    )
    assert _move(text) == (
        "def place():\n"
        "    # reserve stock first\n"
        "    from orders.clients.monolith import shop_stock_service as stock_service\n"
        "    return stock_service.reserve(1)\n"
    )


def test_mixed_statement_is_split_per_destination() -> None:
    out = _move("from shop.orders import models, service\nfrom shop import core\n")
    assert out == "from orders import models, service\nfrom orders.vendored.shop import core\n"


def test_plain_dotted_import_and_its_uses_are_renamed() -> None:
    out = _move("import shop.core.db\n\nshop.core.db.session.commit()\n")
    assert out == ("import orders.vendored.shop.core.db\n\norders.vendored.shop.core.db.session.commit()\n")


def test_strings_naming_a_relocated_module_are_rewritten_and_others_kept() -> None:
    text = 'APPS = ["shop.orders", "shop.orders.models:Order", "shop", "shop.unknown"]\n'
    assert _move(text, name="shop.settings") == (
        'APPS = ["orders", "orders.models:Order", "shop", "shop.unknown"]\n'
    )


def test_app_factory_loses_the_blueprints_that_stay() -> None:
    text = (
        "from shop.orders.views import bp as orders_bp\n"
        "from shop.accounts.views import bp as accounts_bp\n"
        "\n"
        "def create_app(app):\n"
        "    app.register_blueprint(accounts_bp)\n"
        "    if True:\n"
        "        app.register_blueprint(accounts_bp, url_prefix='/a')\n"
        "    app.register_blueprint(orders_bp)\n"
        "    return app\n"
    )
    out = relocate_module(
        ModuleSource("shop.app", False, text, drop_bound=frozenset({"accounts_bp"})), RELOCATION
    )
    assert "accounts" not in out
    assert "    if True:\n        pass\n" in out
    assert "    app.register_blueprint(orders_bp)\n" in out


def test_header_comment_and_unrelated_code_are_untouched() -> None:
    text = '"""Doc."""\n\nimport os\n\n\ndef f(x):  # keep me\n    return os.sep + x\n'
    out = _move(text, header=("strangler: moved",))
    assert out == "# strangler: moved\n" + text


def test_names_that_stay_keep_their_relative_form_when_others_move() -> None:
    # in shop/__init__.py: `orders` moved, `accounts` stays where it is
    out = relocate_module(ModuleSource("shop", True, "from . import orders, accounts\n"), RELOCATION)
    assert out == "import orders\nfrom . import accounts\n"


def test_relative_import_above_the_top_level_package_is_kept_and_noted() -> None:
    """`from .. import x` in `shop/orders/service.py` climbs to the root, `from ... import y`
    above it: Python refuses both; the rewrite keeps them as written instead of failing."""
    text = "from ... import settings\nfrom .... import *\nfrom .models import Order\n"
    out = _move(text, "shop.orders.service", header=("moved",))
    assert out.splitlines()[:3] == [
        "# moved",
        "# strangler: `from ... import settings` climbs above the top-level package: kept as written",
        "# strangler: `from .... import *` climbs above the top-level package: kept as written",
    ]
    assert out.endswith("from ... import settings\nfrom .... import *\nfrom orders.models import Order\n")
    top = relocate_module(ModuleSource("shop", True, "from .. import x\n"), RELOCATION)
    assert top.endswith("from .. import x\n")


def test_resolve_relative_never_slices_past_the_root() -> None:
    from strangler.skeleton.sources import resolve_relative

    assert resolve_relative("a.b.c", False, 2, "d") == "a.d"
    assert resolve_relative("a.b.c", False, 3, "d") == ""
    assert resolve_relative("a.b.c", False, 5, None) == ""
    assert resolve_relative("a", False, 1, None) == ""
    assert resolve_relative("a", True, 1, "m") == "a.m"


def test_rewrites_reused_across_services_equal_fresh_ones() -> None:
    """The memo (one rewrite per text, replayed for other services) gives the bytes of a fresh run."""
    from strangler.skeleton.moving import rewrite_memos

    text = (
        "import shop.core.db\nfrom shop.core import db\nfrom shop.accounts.auth import require_user\n"
        "X = 'shop.core.db'\n\n\nclass A:\n    def f(self):\n        from shop.orders import models\n"
        "        return shop.core.db, models\n"
    )
    for package in ("orders", "billing", "orders"):
        local = {k: v.replace("orders", package, 1) for k, v in LOCAL.items()}
        remote, spaces = remote_map(
            [("shop.accounts.auth", "require_user")], [], f"{package}.clients.monolith"
        )
        relocation = Relocation(local=local, remote=remote, remote_modules=spaces, known=KNOWN)
        source = ModuleSource("shop.core.util", False, text)
        fresh = relocate_module(source, relocation)
        assert relocate_module(source, relocation, package=package) == fresh
        assert f"{package}.vendored.shop.core.db" in fresh
    assert len(next(iter(rewrite_memos(text).values())).runs) == 1


def test_service_packages_never_shadow_a_module_the_code_imports() -> None:
    from strangler.skeleton.layout import package_name

    assert package_name("order-history") == "order_history"
    assert package_name("email") == "email_service"  # the standard library's `email`
    assert package_name("redis", frozenset({"redis", "flask"})) == "redis_service"  # third party
    assert package_name("class") == "svc_class"
    assert package_name("2fa") == "svc_2fa"


def test_a_plain_import_of_a_package_does_not_move_its_moved_submodule() -> None:
    # prefect: `import prefect.settings` (vendored) beside `from prefect.settings.legacy import`
    # (moved): the second statement went to the package's vendored place, a module that is not there
    local = {
        "prefect.settings": "settings.vendored.prefect.settings",
        "prefect.settings.legacy": "settings.legacy",
    }
    relocation = Relocation(local=local, remote={}, remote_modules={}, known=frozenset(local))
    text = "import prefect.settings\nfrom prefect.settings.legacy import Setting\n\nx = prefect.settings.X\n"
    assert relocate_module(ModuleSource("prefect.context", False, text), relocation) == (
        "import settings.vendored.prefect.settings\n"
        "from settings.legacy import Setting\n\n"
        "x = settings.vendored.prefect.settings.X\n"
    )
