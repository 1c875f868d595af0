"""``timeline.extract.text``: decoding, date lines, paragraphs and sentences (no parser needed)."""

import datetime as dt

import pytest

from timeline.extract.text import (
    MAX_ARTICLE_CHARS,
    MAX_SENTENCE_CHARS,
    ExtractError,
    bound_length,
    find_published,
    paragraphs,
    parse_published,
    quote_spans,
    read_article,
    split_sentences,
)

# (top of the article, expected publication day)
DATE_LINES = [
    ("Published: 13 February 2016\n\nText.", dt.date(2016, 2, 13)),
    ("Title\n\nFeb. 13, 2016\n\nText.", dt.date(2016, 2, 13)),
    ("Tuesday, January 4, 2022 10:30 GMT\n\nText.", dt.date(2022, 1, 4)),
    ("KIEV, Dec. 29, 2014 — Ukraine said on Sunday it was ready.", dt.date(2014, 12, 29)),
    ("Headline of the day\n\nMarch 01, 2008\n\nBody text.", dt.date(2008, 3, 1)),
    ("BEIRUT, Feb 13 (Reuters) - Assad said on Friday he would win.", None),
    ("Assad said on Friday he would win.", None),
]


@pytest.mark.parametrize("text, expected", DATE_LINES)
def test_date_line(text, expected):
    assert find_published(text).date == expected


def test_a_dateline_without_a_year_says_why():
    assert "has no year" in find_published("BEIRUT, Feb 13 (Reuters) - Assad said it.").problem


# (text, sentences)
SPLITS = [
    ("U.S. officials said the U.S. Army left on Dec. 3. “It is over. We are done,” he said. Then it rained.",
     ["U.S. officials said the U.S. Army left on Dec. 3.", "“It is over. We are done,” he said.", "Then it rained."]),
    ("At the moment, GM has 6,246 dealers in the U.S.. It intends to cut them.",
     ["At the moment, GM has 6,246 dealers in the U.S..", "It intends to cut them."]),
    ("Mr. Lowe left. No. 1 stayed.", ["Mr. Lowe left.", "No. 1 stayed."]),
    ('"We have reduced our effort," said Angers. Boeing agreed.',
     ['"We have reduced our effort," said Angers.', "Boeing agreed."]),
]


@pytest.mark.parametrize("text, expected", SPLITS)
def test_sentences(text, expected):
    assert [s.text for s in split_sentences(text)] == expected


def test_headline_and_date_line_are_not_sentences():
    text = "Airbus wins order\n\nJune 13, 2005\n\nAirbus has won an order. It is big."
    assert paragraphs(text) == ["Airbus has won an order. It is big."]


def test_paragraph_numbers_and_quotes():
    sentences = split_sentences("One said “yes”.\n\nTwo said no. Three left.")
    assert [(s.paragraph, s.index) for s in sentences] == [(0, 0), (1, 1), (1, 2)]
    assert sentences[0].quotes == [(10, 13)]


def test_an_unclosed_quotation_runs_to_the_end():
    assert quote_spans("He said: “we will go on") == [(10, 23)]


def test_over_long_sentences_are_cut_at_clause_boundaries():
    sentence = "; ".join(f"clause number {i} goes on for a while" for i in range(60)) + "."
    pieces = bound_length(sentence)
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert " ".join(pieces).replace(" ;", ";") == sentence
    assert all(p.endswith(";") for p in pieces[:-1])


def test_a_sentence_without_any_break_is_cut_hard():
    pieces = bound_length("x" * 1500)
    assert [len(p) for p in pieces] == [MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS, 300]


def test_split_sentences_bounds_every_sentence():
    text = "Officials said " + "that talks went on and " * 2000 + "ended."
    assert max(len(s.text) for s in split_sentences(text)) <= MAX_SENTENCE_CHARS


@pytest.mark.parametrize("data, message", [(b"  \n", "empty"), (b"\x00\x01", "binary"), (b"\xff\xfe x", "UTF-8")])
def test_read_article_errors(data, message):
    with pytest.raises(ExtractError, match=message):
        read_article(data, "a.txt")


def test_read_article_refuses_a_text_over_the_limit():
    with pytest.raises(ExtractError, match="over the limit"):
        read_article(b"word " * (MAX_ARTICLE_CHARS // 5 + 1), "big.txt")


@pytest.mark.parametrize("value, expected", [("2016-02-13", dt.date(2016, 2, 13)),
                                             ("13 February 2016", dt.date(2016, 2, 13)),
                                             ("Feb 13, 2016", dt.date(2016, 2, 13))])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["2016-02", "yesterday", ""])
def test_parse_published_rejects(value):
    with pytest.raises(ValueError):
        parse_published(value)
