"""Reading regular expressions as text: where a route regex branches, without compiling it."""

from __future__ import annotations


def top_level_alternatives(regex: str) -> list[str]:
    """`regex` split at each `|` outside groups and character classes (one item when there is none).

    A `]` right after `[` or `[^` is a literal inside the class, as Python's `re` reads it.
    """
    parts: list[str] = []
    depth = 0
    escaped = False
    in_class = False
    class_start = 0
    start = 0
    for index, char in enumerate(regex):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            literal_bracket = index == class_start or (index == class_start + 1 and regex[class_start] == "^")
            in_class = char != "]" or literal_bracket
        elif char == "[":
            in_class, class_start = True, index + 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(regex[start:index])
            start = index + 1
    parts.append(regex[start:])
    return parts
