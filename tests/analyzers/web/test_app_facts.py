"""The Flask/FastAPI facts of a file: typed values that the facts cache stores and reads back."""

from __future__ import annotations

import pytest

from analyzers.files import facts_codec
from analyzers.files.facts_codec import CodecError
from analyzers.web.app_facts import (
    UNREAD,
    AppFacts,
    HelperArgument,
    HelperCall,
    ModuleConstants,
    RouteDecl,
    RuleSource,
    join_paths,
)

FACTS = AppFacts(
    decls=(
        RouteDecl("", "bp", "/x", ("GET",), "view", True, 3, source=RuleSource("name", "settings.BASE")),
        RouteDecl("make", "bp", "", (), "view", False, 4, source=UNREAD),
        RouteDecl("", "app", "/y", (), "view", True, 5, source=RuleSource("call", "org_scoped_rule")),
    ),
    constants=ModuleConstants((("API", "/api"), ("Settings.BASE", "/v1")), (("settings", "Settings"),)),
    helper_calls=(
        HelperCall(
            "",
            "register_view",
            9,
            (
                HelperArgument(0, "", "name", ("bp",)),
                HelperArgument(None, "routes", "paths", ("/a", "/b")),
                HelperArgument(None, "view_func", "view", ("ForumView", "forum")),
            ),
        ),
    ),
)


def round_trip(facts: AppFacts) -> AppFacts:
    spec = facts_codec.schema(AppFacts)
    data = facts_codec.loads(facts_codec.dumps(facts_codec.encode(spec, [facts])))
    (decoded,) = facts_codec.decode(spec, data)
    assert isinstance(decoded, AppFacts)
    return decoded


def test_rule_sources_constants_and_helper_arguments_survive_the_cache() -> None:
    assert round_trip(FACTS) == FACTS
    assert round_trip(AppFacts()) == AppFacts()


def test_a_rule_source_of_no_known_kind_is_refused() -> None:
    wrong = AppFacts(decls=(RouteDecl("", "bp", "/x", (), "v", True, 1, source=RuleSource("guessed", "x")),))  # type: ignore[arg-type]
    with pytest.raises(CodecError):
        round_trip(wrong)


def test_module_constants_keep_texts_and_instances_apart() -> None:
    constants = FACTS.constants
    assert dict(constants.texts) == {"API": "/api", "Settings.BASE": "/v1"}
    assert ModuleConstants(instances=(("s", "S"),)).texts == ()


def test_join_paths_puts_one_slash_between() -> None:
    assert join_paths("/orders/", "/<int:id>") == "/orders/<int:id>"
    assert join_paths("", "x") == "/x"
    assert join_paths("api", "") == "/api"
