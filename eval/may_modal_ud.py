"""How often ``timeline.resolve.tense`` tells the modal "may" from the month, scored on the UD English treebank.

Every token "may" (any case) of the chosen split is judged as the tense cues
judge it (a future cue or not) and compared with its gold part of speech:
the modal (AUX) is a future cue unless "have" follows it ("may have been": a
guess about the past), the month or a name (PROPN, NOUN) never is. The data
(UD English-EWT, CC BY-SA 4.0) is read from ../shared/data next to the
repository and never copied into it.

    python eval/may_modal_ud.py [--split train|dev] [--misses]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared/data/ud-english-ewt"
_HAVE_AFTER = re.compile(r"\s+(?:not\s+)?have\b", re.I)


def may_tokens(path: Path):
    """(sentence text, start, end, gold is the modal) of every token "may" in a CoNLL-U file."""
    text, position = "", 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# text = "):
            text, position = line[len("# text = "):], 0
            continue
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if "-" in cells[0] or "." in cells[0]:  # multi-word tokens and empty nodes carry no offsets of their own
            continue
        at = text.find(cells[1], position)
        if at < 0:
            continue
        position = at + len(cells[1])
        if cells[1].lower() == "may":
            yield text, at, position, cells[3] == "AUX"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("train", "dev"), default="train")
    parser.add_argument("--misses", action="store_true", help="print every token judged wrong")
    args = parser.parse_args(argv)
    path = DATA / f"en_ewt-ud-{args.split}.conllu"
    if not path.exists():
        print(f"{path}: not found (the treebank is read from ../shared/data)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from timeline.resolve.tense import TenseCues

    scores, misses = Counter(), []
    for text, start, end, modal in may_tokens(path):
        cue = any(low == start and high == end for low, high, tense in TenseCues(text).cues if tense == "future")
        past = modal and _HAVE_AFTER.match(text, end)
        gold = "modal 'may have'" if past else "modal" if modal else "month or name"
        expected = modal and not past
        scores[gold, cue == expected] += 1
        if cue != expected:
            misses.append(f"{gold}: {text}")
    print(f"UD English-EWT {args.split}: tokens 'may' judged right (a future cue for the modal but 'may have')")
    for gold in ("modal", "modal 'may have'", "month or name"):
        right, total = scores[gold, True], scores[gold, True] + scores[gold, False]
        print(f"- {gold}: {right}/{total}")
    if args.misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
