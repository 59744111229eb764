"""Constraint groups: the node a group is contracted into behaves as its text does in a graph."""

from __future__ import annotations

import pytest

from strangler.boundaries.constraints import GroupNode, groups, pinned_service
from strangler.boundaries.settings import BoundaryOptions
from strangler.exceptions import ConfigError


def test_a_group_node_says_what_it_is() -> None:
    assert GroupNode.pin("billing").service == "billing"
    assert GroupNode.together(0).service is None
    assert pinned_service(GroupNode.pin("billing")) == "billing"
    assert pinned_service("app.billing") is None
    assert pinned_service(None) is None


def test_a_group_node_sorts_and_hashes_as_a_name_before_every_module() -> None:
    """Clustering sorts and hashes nodes: a group must not move relative to the module names."""
    pin, together = GroupNode.pin("b"), GroupNode.together(3)
    assert sorted(["app.a", pin, "_private", together]) == [pin, together, "_private", "app.a"]
    assert pin == GroupNode.pin("b") and hash(pin) == hash(str(pin))
    assert {pin: 1}[GroupNode.pin("b")] == 1


def test_a_together_group_joins_the_pin_it_touches() -> None:
    options = BoundaryOptions(
        pins=(("money", ("app.billing",)),), together=(("app.billing", "app.invoices"),)
    )
    found = groups(["app.billing", "app.invoices", "app.users"], options)
    assert found == {"app.billing": GroupNode.pin("money"), "app.invoices": GroupNode.pin("money")}


def test_a_together_group_spanning_two_pins_is_an_error() -> None:
    options = BoundaryOptions(
        pins=(("a", ("app.one",)), ("b", ("app.two",))), together=(("app.one", "app.two"),)
    )
    with pytest.raises(ConfigError, match="spans pinned services a, b"):
        groups(["app.one", "app.two"], options)
