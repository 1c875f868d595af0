"""Word lists for ``timeline extract``: reporting verbs, deed verbs, event nouns, titles.

Each verb form maps to ``(event_type, strength)``; a strength of 0.2 is a
plain reporting or deed verb, 0.1 a hedged one ("claimed", "indicated").
"""

from __future__ import annotations

import re


def _forms(table: dict[str, tuple[str, float]], spec: str, event_type: str, strength: float) -> None:
    for form in spec.split():
        table[form] = (event_type, strength)


# Finite forms only (past, present); base forms are read after a modal (see BASE_FORMS).
REPORTING: dict[str, tuple[str, float]] = {}
_forms(REPORTING, "said says told tells stated states added adds reiterated reiterates insisted insists "
       "noted notes wrote writes tweeted", "claim", 0.2)
_forms(REPORTING, "claimed claims suggested suggests indicated indicates argued argues alleged alleges "
       "predicted predicts", "claim", 0.1)
_forms(REPORTING, "revealed reveals disclosed discloses confirmed confirms", "disclosure", 0.2)
_forms(REPORTING, "announced announces declared declares", "announcement", 0.2)
_forms(REPORTING, "warned warns threatened threatens", "warning", 0.2)
_forms(REPORTING, "denied denies rejected rejects dismissed dismisses", "denial", 0.2)
_forms(REPORTING, "accused accuses blamed blames condemned condemns", "accusation", 0.2)
_forms(REPORTING, "acknowledged acknowledges admitted admits", "acknowledgement", 0.2)
_forms(REPORTING, "proposed proposes offered offers", "proposal", 0.2)
_forms(REPORTING, "vowed vows pledged pledges promised promises", "pledge", 0.2)
_forms(REPORTING, "urged urges demanded demands", "demand", 0.2)

DEEDS: dict[str, tuple[str, float]] = {}
_forms(DEEDS, "bombed bombarded struck", "airstrike", 0.2)
_forms(DEEDS, "shelled shelling", "shelling", 0.2)
_forms(DEEDS, "fought fighting battled battling clashed clashing attacked attacking assaulted stormed "
       "advanced advancing collaborating besieged crushed counter-attacked counterattacked", "ground fighting", 0.2)
_forms(DEEDS, "captured seized retook recaptured overran", "capture", 0.2)
_forms(DEEDS, "killed wounded executed massacred", "attack", 0.2)
_forms(DEEDS, "signed agreed", "agreement", 0.2)
_forms(DEEDS, "deployed dispatched sent sending", "deployment", 0.2)
_forms(DEEDS, "entered", "intervention", 0.2)
_forms(DEEDS, "withdrew withdrawn withdrawing", "withdrawal", 0.2)
_forms(DEEDS, "launched began continued continues continuing resumed completed", "operation", 0.1)
_forms(DEEDS, "imposed froze", "sanctions", 0.2)
_forms(DEEDS, "met meeting held handed delivered submitted visited travelled traveled", "diplomacy", 0.1)
_forms(DEEDS, "exchanged swapped released freed", "prisoner exchange", 0.1)
_forms(DEEDS, "backed backing supported supporting", "military support", 0.1)

# Base forms count only after a modal, "to" or a plural subject pronoun: "will resume", "they meet".
BASE_FORMS: dict[str, tuple[str, float]] = {}
_forms(BASE_FORMS, "bomb strike", "airstrike", 0.2)
_forms(BASE_FORMS, "shell", "shelling", 0.2)
_forms(BASE_FORMS, "fight attack storm advance", "ground fighting", 0.2)
_forms(BASE_FORMS, "capture seize retake", "capture", 0.2)
_forms(BASE_FORMS, "sign agree", "agreement", 0.2)
_forms(BASE_FORMS, "deploy send enter", "deployment", 0.2)
_forms(BASE_FORMS, "withdraw", "withdrawal", 0.2)
_forms(BASE_FORMS, "launch begin resume impose", "operation", 0.1)
_forms(BASE_FORMS, "meet visit travel hold", "diplomacy", 0.1)
_forms(BASE_FORMS, "release free exchange", "prisoner exchange", 0.1)
_BASE_TRIGGER = re.compile(
    r"(?:\b(?:will|shall|they|we|(?:set|due|scheduled|expected|going|is|are)\s+to)|'ll)\s+(?:\w+ly\s+)?$", re.I)

# -ing forms are deeds only after a form of "to be": "are now actively collaborating".
_BE = re.compile(r"\b(?:is|are|was|were|be|been|being|'re)\s+(?:(?:now|still|also|reportedly|actively|already|"
                 r"previously|currently|increasingly|heavily)\s+){0,3}$", re.I)

# Nouns that are events in themselves: "a tentative agreement among ...", "a cessation of hostilities".
EVENT_NOUNS = [
    (re.compile(r"\b(?:cessation of hostilities|cease-?fire|truce)\b", re.I), "ceasefire"),
    (re.compile(r"\b(?:agreement|peace deal|accord)\b", re.I), "agreement"),
]

# Event type from the object of a general verb ("completed the largest prisoner exchange").
OBJECT_TYPES = [
    (re.compile(r"\bprisoner (?:exchange|swap)s?\b", re.I), "prisoner exchange"),
    (re.compile(r"\bwithdrawal\b", re.I), "withdrawal"),
    (re.compile(r"\b(?:offensive|assault|operation)\b", re.I), "offensive"),
    (re.compile(r"\b(?:talks|negotiations|summit|meeting)\b", re.I), "talks"),
    (re.compile(r"\b(?:air ?strikes?|bombing|bombardment)\b", re.I), "airstrike"),
]

# Event type from a noun in the actor's phrase ("Russian airstrikes continued").
SUBJECT_TYPES = [
    (re.compile(r"\b(?:air ?strikes?|warplanes?|jets?|air ?power|air force|bombers?|aircraft)\b", re.I), "airstrike"),
    (re.compile(r"\b(?:artillery|shelling)\b", re.I), "shelling"),
]

NEGATION = re.compile(r"\b(?:not|never|n't|failed to|refused to|declined to|no longer)\s+(?:\w+\s+)?$", re.I)

# "the U.S. stated purpose": a participle used as an adjective.
ADJECTIVAL_NOUNS = frozenset(
    "purpose purposes goal goals aim aims objective objectives policy policies intention intentions position "
    "mission reason reasons plan plans strategy cases deaths enemy target targets".split()
)

PREPOSITIONS = frozenset(
    "of in on at against with from for to by into onto over alongside including among between near around about "
    "through across toward towards under after before than like via within without behind beside besides upon "
    "amid despite during".split()
)

SUBORDINATORS = ("after", "before", "when", "because", "while", "whereas", "although", "though", "until", "unless",
                 "once", "since")

# Words that may open a sentence or clause without being part of a name.
LEADING_WORDS = frozenset(
    "the a an this that these those as though although while when after before of course meanwhile however but and "
    "or so yet still also telling reinforcing on in at last next earlier later then now today yesterday".split()
)

TITLES = frozenset(
    "president prime minister foreign defence defense interior finance secretary general gen gen. colonel col col. "
    "lt lt. lieutenant major maj captain capt sheikh king queen prince crown senator sen sen. rep rep. mr mr. mrs "
    "mrs. ms ms. dr dr. ambassador envoy spokesman spokeswoman spokesperson chairman chairwoman chief commander "
    "military vice deputy former supreme leader pope sir state u.n. un special representative mayor governor "
    "minister, separatist rebel opposition army marshal admiral brigadier sergeant".split()
)

# Head nouns of a group that may stand for an actor: "Russian airstrikes", "the Ukrainian military".
FORCE_NOUNS = (
    "forces|troops|army|military|soldiers|fighters|militias?|rebels|separatists|airstrikes|air strikes|"
    "warplanes|jets|aircraft|airpower|air force|navy|government|authorities|officials|ministry|police|artillery"
)

# Heads that pass a group through "of": "a unit of the Badr Brigade is fighting".
MEMBER_HEADS = frozenset(
    "unit units member members fighters commanders commander elements element brigade battalion division forces "
    "troops officials spokesman spokeswoman delegation envoy envoys leaders leader".split()
)

PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "group"}

NAME_PARTICLES = frozenset("de del della di da du la le van von der bin ibn al el abu".split())

MEDIA_WORDS = re.compile(r"\b(?:news|times|post|journal|press|reuters|agency|television|tv|radio|daily|herald|"
                         r"gazette|tribune|magazine|desk|wire|bbc|cnn|afp|ap|sana|tass|interfax|ria)\b", re.I)


def verb_info(word: str, before: str) -> tuple[str, str, float] | None:
    """``(kind, event_type, strength)`` for a word, given the text before it; None if it is no event verb."""
    lower = word.lower()
    if lower in REPORTING:
        event_type, strength = REPORTING[lower]
        return "statement", event_type, strength
    if lower in DEEDS:
        event_type, strength = DEEDS[lower]
        if lower.endswith("ing") and not _BE.search(before):
            return None
        return "action", event_type, strength
    if lower in BASE_FORMS and _BASE_TRIGGER.search(before):
        event_type, strength = BASE_FORMS[lower]
        return "action", event_type, strength
    return None
