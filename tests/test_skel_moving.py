"""Import rewriting with libcst: moved, vendored and remote names; formatting and comments survive."""

from __future__ import annotations

from strangler.skeleton.moving import Relocation, relocate_module, remote_map

KNOWN = frozenset({"shop", "shop.orders", "shop.orders.service", "shop.orders.models",
                   "shop.core", "shop.core.db", "shop.accounts", "shop.accounts.auth",
                   "shop.stock", "shop.stock.service"})
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


def _move(text: str, name: str = "shop.orders.service", **kw: object) -> str:
    return relocate_module(name, False, text, RELOCATION, **kw)  # type: ignore[arg-type]


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
    assert out == (
        "import orders.vendored.shop.core.db\n\norders.vendored.shop.core.db.session.commit()\n"
    )


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
        "shop.app", False, text, RELOCATION, drop_bound=frozenset({"accounts_bp"})
    )
    assert "accounts" not in out
    assert "    if True:\n        pass\n" in out
    assert "    app.register_blueprint(orders_bp)\n" in out


def test_header_comment_and_unrelated_code_are_untouched() -> None:
    text = '"""Doc."""\n\nimport os\n\n\ndef f(x):  # keep me\n    return os.sep + x\n'
    out = _move(text, header=["strangler: moved"])
    assert out == "# strangler: moved\n" + text


def test_names_that_stay_keep_their_relative_form_when_others_move() -> None:
    # in shop/__init__.py: `orders` moved, `accounts` stays where it is
    out = relocate_module("shop", True, "from . import orders, accounts\n", RELOCATION)
    assert out == "import orders\nfrom . import accounts\n"
