"""Article text for ``timeline extract``: paragraphs, the publication date line,
sentences, quotations and clause segments.

Everything here works on plain strings and character offsets; nothing
knows about actors, verbs or events (see ``timeline.extract``).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Mon|Tues|Tue|Wednes|Wed|Thurs|Thu|Fri|Satur|Sat|Sun)(?:day)?\.?,?"
_DATE_FORMS = [
    re.compile(rf"(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})(?:,\s*|\s+)(?P<y>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d>\d{2})\b"),
]
_PUBLISHED_LABEL = re.compile(
    r"^\s*(?:first\s+)?(?:published|posted|updated|date|dated|last\s+updated)(?:\s+on)?\s*[:\-–—]?\s*(?P<rest>.+)$",
    re.I,
)
_DATE_ONLY_LINE = re.compile(
    rf"^\s*(?:{_WEEKDAY}\s+)?(?P<date>.{{6,40}}?)\s*(?:(?:[,|·•]|\bat\b)?\s*\d{{1,2}}[:.]\d{{2}}.*)?$", re.I
)
_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’\- ]{{2,}}(?:,\s*[A-Z][A-Za-z.'’\- ]+)?)"
    rf"(?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"\s*(?:\((?P<agency>[^)]{1,40})\))?\s*(?:—|–|--|-)\s+"
)
_DATELINE_NO_YEAR = re.compile(rf"(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})\b", re.I)


@dataclass(frozen=True)
class PublishedDate:
    """The publication date found in an article, and the words it came from."""

    date: _dt.date | None
    text: str
    problem: str = ""  # why a date-like line could not be used, e.g. a dateline without a year


@dataclass
class Sentence:
    """One sentence: its text, paragraph number and quotation spans."""

    text: str
    paragraph: int
    index: int
    quotes: list[tuple[int, int]] = field(default_factory=list)  # spans of quoted text, without the marks
    block_quote: bool = False  # inside a paragraph that is one long quotation
    cited: str = ""  # for a block quotation: who the introducing sentence cites


def date_in(text: str) -> _dt.date | None:
    """The first full day (with year) written in ``text``: "13 February 2016", "Feb. 13, 2016", "2016-02-13"."""
    for pattern in _DATE_FORMS:
        match = pattern.search(text)
        if not match:
            continue
        month = int(match["mn"]) if "mn" in pattern.groupindex else _MONTHS[match["m"][:3].lower()]
        try:
            return _dt.date(int(match["y"]), month, int(match["d"]))
        except ValueError:
            continue
    return None


def find_published(text: str, lines: int = 8) -> PublishedDate:
    """Look for the publication date near the top: a "Published:" line, a line that is only a date, or a dateline."""
    head = [line.strip() for line in text.splitlines() if line.strip()][:lines]
    problem = ""
    for line in head:
        label = _PUBLISHED_LABEL.match(line)
        if label:
            day = date_in(label["rest"])
            if day:
                return PublishedDate(day, line)
        if len(line) <= 60:
            only = _DATE_ONLY_LINE.match(line)
            if only:
                day = date_in(only["date"])
                if day and len(re.sub(r"[\W\d_]", "", line)) <= 25:
                    return PublishedDate(day, line)
        dateline = _DATELINE.match(line)
        if dateline and dateline["date"]:
            day = date_in(dateline["date"])
            if day:
                return PublishedDate(day, dateline.group(0).strip(" —–-"))
            problem = (f"the dateline {dateline.group(0).strip(' —–-')!r} has no year; "
                       "relative dates left unresolved; pass --published")
    return PublishedDate(None, "", problem)


# ---------------------------------------------------------------- paragraphs and sentences

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen col lt sgt capt maj sen rep gov st ft jan feb mar apr jun jul aug sep sept oct nov dec "
    "no vs inc co corp ltd jr sr prof rev u.s u.n u.k e.u a.m p.m etc approx dept est".split()
)
_OPEN_QUOTES = "“\""
_CLOSERS = "”\"’')]"


def paragraphs(text: str) -> list[str]:
    """Body paragraphs: blank-line separated, lines joined, headline, byline, date lines and datelines removed."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    blocks = [block for block in blocks if block]
    body: list[str] = []
    for number, block in enumerate(blocks):
        if _is_furniture(block, first=number == 0):
            continue
        dateline = _DATELINE.match(block)
        if dateline and len(block) > len(dateline.group(0)) + 20:
            block = block[dateline.end():]
        body.append(block)
    return body


def _is_furniture(block: str, first: bool) -> bool:
    """Headlines, bylines, date lines and other lines that are not sentences."""
    if re.match(r"^by\s+[A-Z]", block, re.I) and len(block.split()) <= 8:
        return True
    if _PUBLISHED_LABEL.match(block) and date_in(block) and len(block) < 80:
        return True
    if date_in(block) and len(block) <= 60 and len(re.sub(r"[\W\d_]", "", block)) <= 25:
        return True
    ends_like_sentence = bool(re.search(r"[.!?][”\"’')\]]*$", block))
    if not ends_like_sentence and (first or len(block.split()) <= 15):
        return True  # a headline, a caption, "official MintPress sponsor"
    return False


def split_sentences(text: str) -> list[Sentence]:
    """The article's sentences, in order, with paragraph numbers and quotation spans."""
    sentences: list[Sentence] = []
    cited = ""
    for number, block in enumerate(paragraphs(text)):
        block_quote = _is_block_quote(block)
        if block_quote:
            block = block[1:-1].strip()
        for piece in _split_block(block):
            sentences.append(
                Sentence(piece, number, len(sentences), quote_spans(piece), block_quote, cited if block_quote else "")
            )
        if not block_quote:
            intro = re.search(r"according to (?:the )?([^,:;.]+?)\s*:\s*$", block, re.I)
            cited = intro.group(1) if intro else ""
    return sentences


def _is_block_quote(block: str) -> bool:
    if len(block) < 2 or block[0] not in _OPEN_QUOTES or block[-1] not in "”\"":
        return False
    spans = quote_spans(block)
    return bool(spans) and spans[0][0] == 1 and spans[0][1] == len(block) - 1 and len(block) > 120


def _split_block(block: str) -> list[str]:
    pieces = _split(block, quote_aware=True)
    if any(len(piece) > 800 for piece in pieces):
        pieces = _split(block, quote_aware=False)
    return [piece for piece in pieces if re.search(r"[A-Za-z]", piece)]


def _split(block: str, quote_aware: bool) -> list[str]:
    pieces, start, depth, straight_open = [], 0, 0, False
    i = 0
    while i < len(block):
        char = block[i]
        if char == "“":
            depth += 1
        elif char == "”":
            depth = max(0, depth - 1)
        elif char == '"':
            straight_open = not straight_open
        if char in ".!?":
            end = i + 1
            while end < len(block) and block[end] in _CLOSERS:
                if block[end] == "”":
                    depth = max(0, depth - 1)
                elif block[end] == '"':
                    straight_open = not straight_open
                end += 1
            rest = block[end:]
            inside = quote_aware and (depth > 0 or straight_open)
            if (not inside and re.match(r"\s+[“\"‘(]?[A-Z0-9]", rest) and not _is_abbreviation(block, i)):
                pieces.append(block[start:end].strip())
                start = end
            i = end
            continue
        i += 1
    tail = block[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def _is_abbreviation(block: str, dot: int) -> bool:
    if block[dot] != ".":
        return False
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", block[:dot])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or len(token) == 1


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted text (without the marks): “curly”, "straight" and ‘single curly’ quotes."""
    spans: list[tuple[int, int]] = []
    for pattern in (r"“([^”]*)”", r'"([^"]*)"', r"(?<![A-Za-z])‘([^’]+?)’(?![A-Za-z])"):
        for match in re.finditer(pattern, text):
            if any(s <= match.start(1) < e for s, e in spans):
                continue
            if match.group(1).strip():
                spans.append(match.span(1))
    unclosed = re.search(r"“[^”]*$", text)
    if unclosed and not any(s <= unclosed.start() + 1 < e for s, e in spans):
        spans.append((unclosed.start() + 1, len(text)))  # a quotation that runs on into the next sentence
    return sorted(spans)


def blank(text: str, spans) -> str:
    """``text`` with the characters of ``spans`` replaced by spaces (offsets are kept)."""
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    return "".join(chars)


def parentheticals(text: str) -> list[tuple[int, int]]:
    """Asides to ignore: ", who/which/whose ... ," clauses, paired dashes and brackets."""
    spans = []
    for match in re.finditer(r",\s+(?:who|whom|whose|which|where)\b[^,;:—–]*,", text):
        spans.append(match.span())
    for match in re.finditer(r"\s[—–]\s?[^—–]{1,160}?\s?[—–]\s", text):
        spans.append((match.start() + 1, match.end() - 1))
    for match in re.finditer(r"\([^()]{1,160}\)", text):
        spans.append(match.span())
    return spans
