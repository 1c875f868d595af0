"""The statistical tagger, lemmatizer and dependency parser: loading the shipped model and parsing sentences.

The model (``timeline/extract/model/``, trained by ``scripts/train_parser.py``
on UD English EWT, CC BY-SA 4.0) loads from the installed package, never from
the network, and only on the first call: importing this module does not import
spaCy.  Each sentence from ``timeline.extract.text`` is parsed as one tree (the
rule-based splitter knows abbreviations and quotations; the parser may not cut
a sentence again), and no sentence is longer than ``MAX_SENTENCE_CHARS``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from timeline.extract.text import MAX_SENTENCE_CHARS, ExtractError

MODEL_PATH = Path(__file__).resolve().with_name("model")
BATCH_SIZE = 64

_lock = threading.Lock()
_loaded: dict[Path, object] = {}


def load_model(path: Path | None = None):
    """The spaCy pipeline at ``path`` (default: the one shipped in the package), loaded once per process."""
    path = Path(path or MODEL_PATH)
    with _lock:
        if path not in _loaded:
            if not (path / "config.cfg").exists():
                raise ExtractError(f"the parser model is missing ({path}); reinstall timeline, or train it with "
                                   "scripts/train_parser.py")
            try:
                import spacy
            except ImportError:
                raise ExtractError("timeline extract needs spaCy: pip install timeline (it is a dependency)") from None
            nlp = spacy.load(path)
            _split_quotes(nlp)
            _loaded[path] = nlp
        return _loaded[path]


def _split_quotes(nlp) -> None:
    """Curly quotes always stand alone: ``hesitation,”unnamed`` is four tokens (news copy often drops the space)."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes) + [r"[“”‘]", r"[,;:](?=[“”])", r"(?<=[,.;:!?])[\"’](?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def parse(sentences: list[str], path: Path | None = None) -> list:
    """One parsed spaCy ``Doc`` per sentence, each a single tree; sentences must be at most MAX_SENTENCE_CHARS long."""
    nlp = load_model(path)
    too_long = [s for s in sentences if len(s) > MAX_SENTENCE_CHARS]
    if too_long:
        raise ValueError(f"a sentence of {len(too_long[0])} characters: cut it with text.bound_length first")
    docs = []
    for doc in nlp.tokenizer.pipe(sentences, batch_size=BATCH_SIZE):
        for token in doc[1:]:
            token.is_sent_start = False  # the parser respects preset boundaries: one tree per sentence
        docs.append(doc)
    return list(nlp.pipe(docs, batch_size=BATCH_SIZE))
