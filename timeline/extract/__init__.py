"""From article text to candidate events: statements and actions with actor, date, quote and place.

A pipeline over a statistical parse (a spaCy tagger, lemmatizer and dependency
parser trained on UD English EWT and shipped in ``timeline/extract/model/``),
one module per stage: ``text`` (sentences), ``parse``, ``clauses`` (event
units), ``actors``, ``dates``, ``fields`` and ``pipeline`` (``extract()``).
Nothing here is final: candidates are for a person to review.  Importing this
package does not load the model; the first ``extract()`` does.

>>> from timeline.extract import extract_events
>>> [c.actor for c in extract_events("On Thursday, Assad said it would take time.", published="2016-02-13")]
['Assad']
"""

from timeline.extract.actors import PLACEHOLDER
from timeline.extract.candidates import EXTRA_COLUMNS, OUTPUT_COLUMNS, Candidate, Extraction, append_candidates
from timeline.extract.dates import APPROXIMATE_DAYS
from timeline.extract.pipeline import NO_DATE_NOTE, extract, extract_events
from timeline.extract.text import ExtractError, find_published, parse_published, read_article, split_sentences

__all__ = [
    "APPROXIMATE_DAYS",
    "EXTRA_COLUMNS",
    "NO_DATE_NOTE",
    "OUTPUT_COLUMNS",
    "PLACEHOLDER",
    "Candidate",
    "ExtractError",
    "Extraction",
    "append_candidates",
    "extract",
    "extract_events",
    "find_published",
    "parse_published",
    "read_article",
    "split_sentences",
]
