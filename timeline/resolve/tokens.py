"""Tokens of running text with their character offsets: numbers, words and single punctuation marks."""

from __future__ import annotations

import re
from typing import NamedTuple

_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+(?:['\u2019][^\W\d_]+)*|['\u2019][sS](?![^\W_])|\S")


class Token(NamedTuple):
    """One token: its text, lower-cased form (curly apostrophes made straight), offsets and kind.

    ``glued`` is True when no space separates it from the token before
    (``Feb`` ``.``, ``2`` ``/`` ``15``, ``1990`` ``s``).
    """

    text: str
    low: str
    start: int
    end: int
    glued: bool
    kind: str  # "num", "word" or "punct"

    @property
    def number(self) -> int:
        return int(self.text)

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, in order; linear in its length."""
    tokens: list[Token] = []
    previous_end = -1
    for m in _TOKEN.finditer(text):
        word = m.group()
        if len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS" and word[0].isalpha():
            # the possessive is a token of its own: "Friday's vote", "next year's budget"
            stem_end = m.end() - 2
            tokens.append(Token(word[:-2], word[:-2].lower(), m.start(), stem_end, m.start() == previous_end, "word"))
            tokens.append(Token(word[-2:], "'s", stem_end, m.end(), True, "word"))
            previous_end = m.end()
            continue
        first = word[0]
        kind = "num" if "0" <= first <= "9" else "word" if first.isalnum() or len(word) == 2 else "punct"  # ¹ ½: words
        low = word.lower().replace("\u2019", "'") if kind != "num" else word
        tokens.append(Token(word, low, m.start(), m.end(), m.start() == previous_end, kind))
        previous_end = m.end()
    return tokens
