"""Article text: decoding, the publication date line, body paragraphs, sentences and quotations.

Everything here works on plain strings and character offsets, in time linear in
the text: a sentence longer than ``MAX_SENTENCE_CHARS`` is cut at a clause
boundary before anything parses it, and an article longer than
``MAX_ARTICLE_CHARS`` is refused.  Nothing here knows about actors or events.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from timeline.dates import month_number, parse_bound
from timeline.errors import DateError, TimelineError

MAX_ARTICLE_CHARS = 1_000_000  # spaCy's own default limit for one text
MAX_SENTENCE_CHARS = 600  # longer "sentences" (lists, pasted tables) are cut into pieces of at most this size


class ExtractError(TimelineError, ValueError):
    """The article cannot be read: empty, not text, too long, or without a single sentence."""


@dataclass(frozen=True)
class PublishedDate:
    """The publication date found in an article, and the words it came from."""

    date: _dt.date | None
    text: str
    problem: str = ""  # why a date-like line could not be used, e.g. a dateline without a year


@dataclass
class Sentence:
    """One sentence: its text, paragraph number, position and quotation spans."""

    text: str
    paragraph: int
    index: int
    quotes: list[tuple[int, int]] = field(default_factory=list)  # spans of quoted text, without the marks
    block_quote: bool = False  # inside a paragraph that is one long quotation
    cited: str = ""  # for a block quotation: who the introducing sentence cites


def read_article(data: bytes, name: str = "article") -> str:
    """Article bytes as text; ExtractError for an empty, binary, non-UTF-8 or over-long file."""
    if not data.strip():
        raise ExtractError(f"{name}: the article is empty")
    if b"\x00" in data[:4096]:
        raise ExtractError(f"{name}: this is a binary file, not plain text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                           "save the article as UTF-8") from None
    check_length(text, name)
    return text


def check_length(text: str, name: str = "article") -> None:
    """ExtractError for a text over ``MAX_ARTICLE_CHARS`` characters."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise ExtractError(f"{name}: {len(text):,} characters is over the limit of {MAX_ARTICLE_CHARS:,} "
                           "for one article; split it")


def parse_published(value) -> _dt.date:
    """A publication date given by a user: ``2016-02-13``, ``13 February 2016``, ``Feb 13, 2016``; a whole day."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value or "").strip()
    first, last = parse_bound(text), parse_bound(text, end=True)
    if first != last:
        raise DateError(f"{text!r} is not a single day (give a day, e.g. 2016-02-13)")
    return first


# ---------------------------------------------------------------- the publication date line

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
_HEAD_CHARS = 200  # date lines and datelines are looked for in this many characters of a line or paragraph


def date_in(text: str) -> _dt.date | None:
    """The first full day (with year) written in ``text``: "13 February 2016", "Feb. 13, 2016", "2016-02-13"."""
    for pattern in _DATE_FORMS:
        match = pattern.search(text)
        if not match:
            continue
        month = int(match["mn"]) if "mn" in pattern.groupindex else month_number(match["m"][:3])
        try:
            return _dt.date(int(match["y"]), month, int(match["d"]))
        except ValueError:
            continue
    return None


def find_published(text: str, lines: int = 8) -> PublishedDate:
    """Look for the publication date near the top: a "Published:" line, a line that is only a date, or a dateline."""
    head = []
    for line in text[:20_000].splitlines():
        if line.strip():
            head.append(line.strip()[:_HEAD_CHARS])
        if len(head) == lines:
            break
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
_CLOSERS = "”\"’')]"
_SENTENCE_END = re.compile(r"[.!?][”\"’')\]]*")
_NEXT_STARTS = re.compile(r"\s+[“\"‘(]?[A-Z0-9]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def paragraphs(text: str) -> list[str]:
    """Body paragraphs: blank-line separated, lines joined, headline, byline, date lines and datelines removed."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n[^\S\n]*\n", text.replace("\r\n", "\n"))]
    blocks = [block for block in blocks if block]
    body: list[str] = []
    for number, block in enumerate(blocks):
        if _is_furniture(block, first=number == 0):
            continue
        dateline = _DATELINE.match(block[:_HEAD_CHARS])
        if dateline and len(block) > len(dateline.group(0)) + 20:
            block = block[dateline.end():]
        body.append(block)
    return body


def _is_furniture(block: str, first: bool) -> bool:
    """Headlines, bylines, date lines and other lines that are not sentences."""
    if len(block) > _HEAD_CHARS:
        return False
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
    """The article's sentences, in order, with paragraph numbers and quotation spans (linear in the text)."""
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
            intro = re.search(r"according to (?:the )?([^,:;.]{1,80}?)\s*:\s*$", block[-120:], re.I)
            cited = intro.group(1) if intro else ""
    return sentences


def _is_block_quote(block: str) -> bool:
    """A paragraph that is one quotation: its first quotation mark opens it and the one that closes it ends it."""
    if len(block) < 120:
        return False
    if block[0] == "“":
        return block.find("”") == len(block) - 1
    return block[0] == '"' and block[-1] == '"' and block.count('"') == 2


def _split_block(block: str) -> list[str]:
    pieces = _split(block, quote_aware=True)
    if any(len(piece) > 800 for piece in pieces):
        pieces = _split(block, quote_aware=False)
    bounded = [part for piece in pieces for part in bound_length(piece)]
    return [piece for piece in bounded if re.search(r"[A-Za-z]", piece)]


def _split(block: str, quote_aware: bool) -> list[str]:
    """Cut at . ! ? (and closing quotes) followed by a capital, unless inside a quotation or after an abbreviation."""
    pieces, start, depth, straight_open, scanned = [], 0, 0, False, 0
    for match in _SENTENCE_END.finditer(block):
        for char in block[scanned:match.end()]:  # quotation depth up to this end, each character once
            if char == "“":
                depth += 1
            elif char == "”":
                depth = max(0, depth - 1)
            elif char == '"':
                straight_open = not straight_open
        scanned = match.end()
        inside = quote_aware and (depth > 0 or straight_open)
        if inside or not _NEXT_STARTS.match(block, match.end()) or _is_abbreviation(block, match.start()):
            continue
        pieces.append(block[start:match.end()].strip())
        start = match.end()
    tail = block[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def _is_abbreviation(block: str, dot: int) -> bool:
    if block[dot] != "." or (dot > 0 and block[dot - 1] == "."):
        return False  # "in the U.S.." ends a sentence
    word = _WORD_BEFORE.search(block, max(0, dot - 24), dot)
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    if token == "no":  # "No. 1", but "they said no. Then ..."
        return bool(re.match(r"\s*\d", block[dot + 1:dot + 4]))
    return token in _ABBREVIATIONS or len(token) == 1


def bound_length(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> list[str]:
    """A sentence as pieces of at most ``limit`` characters, cut after ``;``, ``:``, ``,`` or else a space."""
    pieces, start = [], 0
    while len(sentence) - start > limit:
        end = start + limit
        cut = max(sentence.rfind("; ", start, end), sentence.rfind(": ", start, end))
        for fallback in (", ", " "):
            if cut < start + limit // 3:
                cut = sentence.rfind(fallback, start, end)
        if cut < start + limit // 3:
            cut = end - 1
        pieces.append(sentence[start:cut + 1].strip())
        start = cut + 1
    if sentence[start:].strip():
        pieces.append(sentence[start:].strip())
    return pieces


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted text (without the marks): “curly”, "straight" and ‘single curly’ quotes."""
    spans: list[tuple[int, int]] = []
    for pattern in (r"“([^”]*)”", r'"([^"]*)"', r"(?<![A-Za-z])‘([^’]+?)’(?![A-Za-z])"):
        for match in re.finditer(pattern, text):
            if any(s <= match.start(1) < e for s, e in spans):
                continue
            if match.group(1).strip():
                spans.append(match.span(1))
    last_open = text.rfind("“")
    if last_open >= 0 and "”" not in text[last_open:] and not any(s <= last_open + 1 < e for s, e in spans):
        spans.append((last_open + 1, len(text)))  # a quotation that runs on into the next sentence
    return sorted(spans)
