"""The vocabulary of a module: words of its top-level names and docstrings, with counts.

Identifiers are split at camel case and underscores; short words and stop words are dropped.
Used to name and compare candidate services (a module's `terms`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
_DOC_WORD = re.compile(r"[A-Za-z]{3,}")
_STOPWORD_TEXT = """the and for with that this from into are was were not but you your our its has have
had can will use used uses using get set all any one two def self cls none true false return returns
when then than also each which what who how why may must should would could there their them they
these those such only more most other some out via per see args kwargs param params init str int
bool float list dict tuple obj value values"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# The terms of an identifier, by identifier: the same names recur from file to file.
_WORD_TERMS: dict[str, tuple[str, ...]] = {}
_WORD_TERMS_MAX = 100_000


def identifier_terms(words: Iterable[str], docs: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """(term, count) sorted by term: `words` are identifiers, `docs` docstrings."""
    every: list[str] = []  # counted once at the end (Counter counts a list in C)
    known = _WORD_TERMS
    for word in words:
        parts = known.get(word)
        if parts is None:
            if len(known) >= _WORD_TERMS_MAX:
                known.clear()
            lowered = [part.lower() for part in _WORD.findall(word)]
            parts = known[word] = tuple(w for w in lowered if len(w) > 2 and w not in _STOPWORDS)
        every += parts
    for doc in docs:
        # (lowering first is the same only for ASCII: "K" (Kelvin) lowers to an ASCII "k")
        if doc.isascii():
            found = _DOC_WORD.findall(doc.lower())
        else:
            found = [w.lower() for w in _DOC_WORD.findall(doc)]
        every += [w for w in found if w not in _STOPWORDS]
    return tuple(sorted(Counter(every).items()))
