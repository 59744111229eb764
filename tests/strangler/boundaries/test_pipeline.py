"""Django dynamic loading (analyzers/frameworks/django_loading.py): get_class / get_model by app label."""

from __future__ import annotations

from pathlib import Path

import analyzers
from analyzers.options import AnalysisOptions

FILES = {
    "shop/__init__.py": "",
    "shop/apps/__init__.py": "",
    "shop/apps/catalogue/__init__.py": 'default_app_config = "shop.apps.catalogue.apps.CatalogueConfig"\n',
    "shop/apps/catalogue/apps.py": (
        "from django.apps import AppConfig\n\n"
        "class CatalogueConfig(AppConfig):\n"
        '    label = "catalogue"\n'
        '    name = "shop.apps.catalogue"\n'
    ),
    "shop/apps/catalogue/models.py": "class Product:\n    pass\n",
    "shop/apps/catalogue/forms.py": "class ProductForm:\n    pass\n",
    "shop/apps/basket/__init__.py": "",
    "shop/apps/basket/views.py": (
        "from shop.loading import get_class, get_classes, get_model\n\n"
        'ProductForm = get_class("catalogue.forms", "ProductForm")\n'
        'Product = get_model("catalogue", "Product")\n\n'
        "def add(pk):\n"
        "    Product.objects.create(pk=pk)\n"
        "    return Product.objects.filter(pk=pk)\n"
    ),
    "shop/loading.py": "def get_class(a, b): ...\ndef get_classes(a, b): ...\ndef get_model(a, b): ...\n",
}


def _analyze(tmp_path: Path) -> analyzers.Codebase:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return analyzers.analyze(tmp_path, AnalysisOptions(history=False, cache=False))


def test_get_class_and_get_model_become_string_edges(tmp_path: Path) -> None:
    cb = _analyze(tmp_path)
    strings = {(e.source, e.target) for e in cb.imports if "string" in e.markers}
    assert ("shop.apps.basket.views", "shop.apps.catalogue.forms") in strings
    assert ("shop.apps.basket.views", "shop.apps.catalogue.models") in strings
    assert ("shop.apps.catalogue", "shop.apps.catalogue.apps") in strings


def test_objects_through_a_get_model_binding_are_accesses(tmp_path: Path) -> None:
    cb = _analyze(tmp_path)
    modes = {(a.module, a.table, a.mode) for a in cb.accesses}
    assert ("shop.apps.basket.views", "catalogue_product", "write") in modes
    assert ("shop.apps.basket.views", "catalogue_product", "read") in modes
