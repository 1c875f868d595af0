"""Train the tagger, lemmatizer and dependency parser that ``timeline extract`` ships, from UD English EWT.

Run by hand (never in CI), on CPU: about half an hour to an hour (spaCy trains on one thread):

    nice python scripts/train_parser.py > build/train_parser.log 2>&1 &

Steps: convert the treebank's CoNLL-U files with ``spacy convert`` (ten sentences per
document, so the parser learns sentence boundaries), train with the pinned config
``scripts/parser.cfg`` (seed 0), evaluate the best model on the treebank's test
file, then replace ``timeline/extract/model/`` with it, its accuracy
(``accuracy.json``) and its licence note (``LICENSE.md``: CC BY-SA 4.0, with the
treebank's attribution).  The treebank is read from ``../shared/data/ud-english-ewt``
(or ``--data``); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPACY_VERSION = "3.8.18"  # also pinned in setup.cfg; a model is only guaranteed to load in the spaCy it was made with
CONFIG = ROOT / "scripts" / "parser.cfg"
MODEL = ROOT / "timeline" / "extract" / "model"
MAX_BYTES = 20 * 1024 * 1024
SPLITS = ("train", "dev", "test")
REPORTED = ("tag_acc", "pos_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f", "speed")

LICENSE = """\
# The parser model in this folder

A spaCy {spacy} pipeline (tok2vec, tagger, morphologizer, trainable_lemmatizer, parser) trained by
`scripts/train_parser.py` with the config `scripts/parser.cfg` (seed 0) on the Universal Dependencies
English Web Treebank v2.15 (train split; dev split for model selection). Accuracy on the treebank's
test file is in `accuracy.json`.

The model is a derivative of the treebank and is licensed, like it, under the Creative Commons
Attribution-ShareAlike 4.0 International License (CC BY-SA 4.0,
<https://creativecommons.org/licenses/by-sa/4.0/>). The rest of `timeline` is MIT-licensed.

Attribution: Universal Dependencies English Web Treebank annotations (c) 2013-2021 by The Board of
Trustees of The Leland Stanford Junior University. All Rights Reserved. Licensed under CC BY-SA 4.0.
The underlying texts come from the LDC English Web Treebank (LDC2012T13); some parts are in the
public domain, portions may be (c) 2012 Google Inc., (c) 2011 Yahoo! Inc., (c) 2012 Trustees of the
University of Pennsylvania and/or (c) other original authors.
Source: https://github.com/UniversalDependencies/UD_English-EWT (v2.15).

Silveira, N., Dozat, T., de Marneffe, M.-C., Bowman, S., Connor, M., Bauer, J. and Manning, C. D. (2014).
A Gold Standard Dependency Corpus for English. Proceedings of LREC 2014.
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ud-english-ewt",
                        help="folder with en_ewt-ud-{train,dev,test}.conllu")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "parser", help="scratch folder (git-ignored)")
    parser.add_argument("--no-install", action="store_true", help="train and evaluate, but leave the shipped model")
    args = parser.parse_args(argv)

    import spacy

    if spacy.__version__ != SPACY_VERSION:
        sys.exit(f"error: spaCy {SPACY_VERSION} is pinned, this is {spacy.__version__}: "
                 f"pip install spacy=={SPACY_VERSION}")
    missing = [s for s in SPLITS if not (args.data / f"en_ewt-ud-{s}.conllu").exists()]
    if missing:
        sys.exit(f"error: {args.data}: no en_ewt-ud-{missing[0]}.conllu (see ../shared/data/README-ud-english-ewt.md)")
    corpus = args.work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        _say(f"converting {split}")
        _run("convert", str(args.data / f"en_ewt-ud-{split}.conllu"), str(corpus), "--converter", "conllu",
             "--n-sents", "10")
    output = args.work / "output"
    _say(f"training with {CONFIG.relative_to(ROOT)} (progress every 500 steps)")
    _run("train", str(CONFIG), "--output", str(output), "--paths.train", str(corpus / "en_ewt-ud-train.spacy"),
         "--paths.dev", str(corpus / "en_ewt-ud-dev.spacy"), "--gpu-id", "-1")
    best = output / "model-best"
    scores = {}
    for split in ("dev", "test"):
        _say(f"evaluating on {split}")
        metrics = args.work / f"metrics-{split}.json"
        _run("evaluate", str(best), str(corpus / f"en_ewt-ud-{split}.spacy"), "--output", str(metrics))
        result = json.loads(metrics.read_text())
        scores[split] = {key: round(result[key], 4) for key in REPORTED if result.get(key) is not None}
    print(json.dumps(scores, indent=2))
    if args.no_install:
        return 0
    _install(best, scores)
    return 0


def _install(best: Path, scores: dict) -> None:
    import spacy

    if MODEL.exists():
        shutil.rmtree(MODEL)
    shutil.copytree(best, MODEL)
    meta_path = MODEL / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update(name="timeline_ewt", version="1.0.0", license="CC BY-SA 4.0",
                description="Tagger, lemmatizer and dependency parser for timeline extract, trained on UD English EWT",
                sources=[{"name": "Universal Dependencies English Web Treebank", "version": "2.15",
                          "url": "https://github.com/UniversalDependencies/UD_English-EWT",
                          "license": "CC BY-SA 4.0"}])
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    (MODEL / "accuracy.json").write_text(json.dumps({"spacy": spacy.__version__, "treebank": "UD English EWT v2.15",
                                                     **scores}, indent=2) + "\n")
    (MODEL / "LICENSE.md").write_text(LICENSE.format(spacy=spacy.__version__))
    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    _say(f"installed {MODEL.relative_to(ROOT)} ({size / 1e6:.1f} MB)")
    if size > MAX_BYTES:
        sys.exit(f"error: the model is {size / 1e6:.1f} MB, over the 20 MB limit: make scripts/parser.cfg smaller")


def _run(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "spacy", *args], check=True)


def _say(message: str) -> None:
    print(f"train_parser: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
