"""Clauses and events in a parsed sentence: which heads are events, their kind, tense, hedges and dates.

An *event unit* is a verbal head with the non-finite clauses that belong to its
event ("was set to begin yesterday", "Speaking to the BBC in 1995, Mr Lowe
said"): xcomp children and participial adverbial clauses without their own
subject.  A unit is a candidate when it is finite (or dated on its own), not
negated, and, unless it carries its own date, neither hedged ("could", "may",
a question, an "if" clause) nor the reported content of a statement.  A noun
with a date of its own ("the Feb. 27 truce", "a June 3 hearing") is a nominal
event; its date dates the clause it is an argument of, unless that clause is a
statement (an announced summit happens later than the announcement).

Kind: a statement when the head's lemma is a speech act (``SPEECH_ACTS``) or
the head takes a clausal complement with a subject of its own ("estimated that
..."); an action otherwise.  Everything is read from the tagger's morphology
and the dependency relations of UD English EWT (``nsubj:pass``, ``obl:agent``,
``obl:unmarked``, ``ccomp`` ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from timeline.extract.dates import DateMention

# Speech-act lemmas -> event type; strength 0.1 for hedged reporting ("claimed"), else 0.2.
SPEECH_ACTS: dict[str, tuple[str, float]] = {}
for _type, _strength, _lemmas in [
    ("claim", 0.2, "say tell state add reiterate insist note write tweet comment explain describe reply respond "
                   "stress emphasise emphasize remark quote"),
    ("claim", 0.1, "claim suggest indicate argue allege predict estimate believe expect hope think fear"),
    ("disclosure", 0.2, "reveal disclose confirm report"),
    ("announcement", 0.2, "announce declare unveil"),
    ("warning", 0.2, "warn threaten caution"),
    ("denial", 0.2, "deny dismiss refute"),
    ("accusation", 0.2, "accuse blame condemn criticise criticize denounce"),
    ("acknowledgement", 0.2, "acknowledge admit concede"),
    ("proposal", 0.2, "propose recommend"),
    ("pledge", 0.2, "vow pledge promise"),
    ("demand", 0.2, "urge demand call ask appeal"),
    ("praise", 0.2, "praise welcome thank"),
]:
    for _lemma in _lemmas.split():
        SPEECH_ACTS[_lemma] = (_type, _strength)

# Verbs that take a "that" clause without being acts of saying.
_NOT_SPEECH = frozenset("be mean ensure require make see show prove find know realise realize determine decide "
                        "guarantee assume seem appear happen add".split())
_HEDGES = frozenset("could may might would should can must ought cannot".split())
_FUTURE = frozenset("will shall 'll wo".split())
_CONDITIONS = frozenset("if unless whether lest".split())
_NEGATIONS = frozenset("not n't never no".split())
_CLAUSE_RELATIONS = frozenset("ROOT ccomp advcl conj parataxis acl:relcl advcl:relcl csubj csubj:pass xcomp acl "
                              "dep list".split())
_RELATIONS_WITH_DATE_OF_GOVERNOR = frozenset("conj advcl".split())
_ARGUMENTS = frozenset("nsubj nsubj:pass obj iobj obl csubj nsubj:outer".split())


@dataclass
class Unit:
    """One event: a verbal head (or an event noun) and what the parse says about it."""

    head: object  # spaCy Token
    nominal: bool = False
    members: list = field(default_factory=list)  # the head and the xcomp/participle heads absorbed into it
    kind: str = "action"
    event_type: str = ""
    strength: float = 0.2
    finite: bool = True
    tense: str | None = None  # "past", "future", "present" or None
    passive: bool = False
    negated: bool = False
    hedged: bool = False
    reported: bool = False  # the content of a statement ("X said that ...")
    pluperfect: bool = False  # "had been killed": before another past event
    lemma: str = ""
    relation: str = ""  # how it hangs on its governor: conj, advcl, acl:relcl, ccomp ...
    mark: str = ""  # its subordinator: after, before, when, if, to ...
    governor: Unit | None = None
    dates: list[tuple[DateMention, bool]] = field(default_factory=list)  # (mention, read with the clause's tense)

    @property
    def own_date(self) -> bool:
        return bool(self.dates)


def is_predicate(token) -> bool:
    """A verbal clause head: a verb (or a verb-tagged word the parser left as an adjective) heading a clause."""
    if token.pos_ == "AUX" or token.dep_ in ("aux", "aux:pass", "cop", "amod", "compound", "case", "mark"):
        return False
    verbal = token.pos_ == "VERB" or (token.tag_.startswith("VB") and token.pos_ in ("ADJ", "NOUN")) or (
        _participle_adjective(token))
    if not verbal:
        return False
    return token.dep_ in _CLAUSE_RELATIONS or token.dep_.split(":")[0] in ("advcl", "acl", "ccomp", "conj")


def units_of(doc, mentions: list[DateMention]) -> list[Unit]:
    """Every event unit of a parsed sentence (candidates and not), governors before their clauses."""
    units: dict[int, Unit] = {}
    absorbed: dict[int, int] = {}
    for token in doc:
        if not is_predicate(token):
            continue
        owner = _absorber(token)
        if owner is not None:
            absorbed[token.i] = owner.i
            continue
        units[token.i] = _describe(token)
    for index, owner in list(absorbed.items()):
        while owner in absorbed:
            owner = absorbed[owner]
        absorbed[index] = owner
        if owner in units:
            units[owner].members.append(doc[index])
    for unit in units.values():
        unit.governor = _governor(unit.head, units, absorbed)
    ordered = sorted(units.values(), key=lambda u: _depth(u.head))
    for unit in ordered:
        if unit.kind == "statement":  # what a statement reports: its clausal complement and what is quoted
            for child in unit.head.children:
                if child.dep_ in ("ccomp", "parataxis", "csubj") or (child.dep_ == "obj" and _quoted(child)):
                    for token in child.subtree:
                        if token.i in units and units[token.i] is not unit:
                            units[token.i].reported = True
        governor = unit.governor
        if governor is None:
            continue
        if governor.hedged and unit.relation in ("ccomp", "conj"):
            unit.hedged = True
        if unit.tense is None:
            unit.tense = governor.tense
    _attach_dates(doc, mentions, units, absorbed)
    return sorted(units.values(), key=lambda u: u.head.i)


def _main_clause_read_as_noun(token) -> bool:
    """ "Russian airstrikes continued in Homs": the parser made the subject the root and the verb its modifier."""
    head = token.head
    if token.dep_ != "acl" or head.dep_ != "ROOT" or head.pos_ not in ("NOUN", "PROPN") or head.i > token.i:
        return False
    between = token.doc[head.i + 1:token.i]
    return (token.tag_ in ("VBD", "VBN") and not any(c.dep_ in ("aux", "aux:pass") for c in token.children)
            and all(t.pos_ == "PUNCT" or t.dep_ in ("conj", "appos", "flat", "compound") for t in between))


def _participle_adjective(token) -> bool:
    """A participle the tagger took for an adjective: "as Jubeir reiterated on Friday", "was set to begin"."""
    if token.pos_ != "ADJ" or token.dep_ not in _CLAUSE_RELATIONS:
        return False
    children = [c.dep_ for c in token.children]
    if any(d == "xcomp" for d in children) and any(d in ("cop", "aux", "aux:pass") for d in children):
        return True
    return token.lower_.endswith("ed") and any(d.startswith("nsubj") for d in children)


def _absorber(token):
    """The head a non-finite clause belongs to: "set to begin" (xcomp), "Speaking ..., X said" (participle)."""
    if token.dep_ == "xcomp" and is_predicate(token.head):
        return token.head
    if token.dep_ == "advcl" and is_predicate(token.head) and not _finite(token):
        has_subject = any(c.dep_.startswith("nsubj") for c in token.children)
        marks = [c.lower_ for c in token.children if c.dep_ == "mark"]
        if not has_subject and not marks and token.tag_ in ("VBG", "VBN"):
            return token.head
    return None


def _describe(token) -> Unit:
    children = list(token.children)
    auxes = [c for c in children if c.dep_ in ("aux", "aux:pass")]
    modals = [a.lower_ for a in auxes if a.tag_ == "MD"]
    marks = [c.lower_ for c in children if c.dep_ == "mark"]
    unit = Unit(token, members=[token], relation=token.dep_, mark=marks[0] if marks else "")
    unit.finite = _finite(token) or (token.pos_ == "ADJ" and token.lower_.endswith("ed") and not auxes) or (
        _main_clause_read_as_noun(token))
    unit.passive = token.tag_ == "VBN" and any(c.dep_ in ("aux:pass", "nsubj:pass") for c in children)
    unit.negated = any(c.dep_ in ("advmod", "neg", "det") and c.lower_ in _NEGATIONS and c.i < token.i + 2
                       for c in children)
    unit.hedged = (any(m in _HEDGES for m in modals) or any(m in _CONDITIONS for m in marks)
                   or _question(token))
    unit.tense = _tense(token, auxes, modals, marks)
    unit.pluperfect = token.tag_ == "VBN" and any(_have(a) and a.tag_ == "VBD" for a in auxes)
    lemma = verb_lemma(token)
    particles = [c.lower_ for c in children if c.dep_ == "compound:prt"]
    speech = known(lemma, SPEECH_ACTS)
    if lemma == "call" and particles:  # "called off", "called up": deeds
        speech = None
    has_clause = any(c.dep_ == "ccomp" and any(g.dep_.startswith("nsubj") for g in c.children) for c in children)
    if speech is not None:
        unit.kind, (unit.event_type, unit.strength) = "statement", speech
    elif has_clause and lemma not in _NOT_SPEECH and not unit.passive:
        unit.kind, unit.event_type, unit.strength = "statement", "claim", 0.1
    else:
        unit.kind, unit.event_type, unit.strength = "action", lemma, 0.2
    unit.lemma = lemma
    return unit


def verb_lemma(token) -> str:
    """The lemma of a clause head read as a verb ("reiterated" tagged as an adjective -> "reiterat", which
    ``known`` then finds as "reiterate")."""
    if token.pos_ != "VERB" and token.lower_.endswith("ed"):
        return token.lower_[:-2]
    return token.lemma_.lower()


def known(lemma: str, table: dict):
    """``table[lemma]``, forgiving the lemmatizer's lost or extra final letters ("reiterat", "shelle")."""
    for form in (lemma, lemma + "e", lemma[:-1] if lemma.endswith("e") else None,
                 lemma[:-1] if len(lemma) > 3 and lemma[-1] == lemma[-2] else None):
        if form and form in table:
            return table[form]
    return None


def _finite(token) -> bool:
    if "VerbForm=Fin" in str(token.morph) or token.tag_ in ("VBD", "VBZ", "VBP"):
        return True
    return any(c.dep_ in ("aux", "aux:pass") and ("VerbForm=Fin" in str(c.morph) or c.tag_ == "MD")
               for c in token.children)


def _tense(token, auxes, modals, marks) -> str | None:
    if any(m in _FUTURE for m in modals) or any(a.lower_ in _FUTURE for a in auxes):
        return "future"
    if modals:  # "may be signed on September 12", "should be completed in October"; "could have been" is past
        if any(_have(a) for a in auxes):
            return "past"
        return "future"  # "would arrive in May": the future of a reported statement
    if token.tag_ == "VBD" or any("Tense=Past" in str(a.morph) and a.tag_ != "VBN" for a in auxes):
        return "past"
    if (token.pos_ == "ADJ" and token.lower_.endswith("ed") and not auxes) or _main_clause_read_as_noun(token):
        return "past"  # a participle tagged as an adjective, or a main verb read as a modifier
    if any(_have(a) for a in auxes) and token.tag_ == "VBN":
        return "past"  # present perfect: "has won"
    if "to" in marks or (token.tag_ == "VB" and not auxes):
        return "future"  # "to be held on October 12", "plans to shut down"
    if token.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


def _quoted(token) -> bool:
    before = token.doc[token.left_edge.i - 1].text if token.left_edge.i > 0 else ""
    return before in ("\"", "“", "‘", "'")


def _have(token) -> bool:
    return token.lemma_ == "have" or token.lower_ in ("has", "have", "had", "'ve", "'d")


def _question(token) -> bool:
    sentence = token.sent
    return sentence.text.rstrip(" \"'”’)").endswith("?")


def _governor(head, units, absorbed):
    """The unit of the nearest clause head above ``head``."""
    token = head
    for _ in range(200):
        if token.head is token:
            return None
        token = token.head
        if token.i in absorbed:
            return units.get(absorbed[token.i])
        if token.i in units:
            return units[token.i]
    return None


def _depth(token) -> int:
    depth = 0
    while token.head is not token and depth < 200:
        token, depth = token.head, depth + 1
    return depth


# ---------------------------------------------------------------- dates onto units


def date_tokens(doc, mention: DateMention) -> list:
    """The tokens of a date mention."""
    return [t for t in doc if t.idx < mention.end and t.idx + len(t.text) > mention.start]


def _attach_dates(doc, mentions, units, absorbed) -> None:
    """Each date goes to the unit it modifies: up the tree to the nearest clause head, or to a noun it modifies."""
    inside = set()
    for mention in mentions:
        inside.update(t.i for t in date_tokens(doc, mention))
    for mention in mentions:
        tokens = date_tokens(doc, mention)
        if not tokens:
            continue
        top = next((t for t in tokens if t.head.i not in {x.i for x in tokens} or t.head is t), tokens[0])
        if top.dep_.split(":")[0] in ("nsubj", "csubj", "expl") and not any(
                c.dep_.startswith("nsubj") and c.i not in inside for c in top.head.children):
            continue  # "Sunday was chosen as its date": a date as the subject is no temporal modifier
        owner, with_tense = _owner(top, units, absorbed, inside, through_nouns=mention.refers_to_event)
        speaker = _statement_just_before(tokens[0], units)
        modifies_noun = (top.head.pos_ in ("NOUN", "PROPN") and top.head.i > tokens[-1].i
                         and tokens[0].pos_ != "ADP")  # "announced the Feb. 27 truce"
        if speaker is not None and not modifies_noun:  # "said on Friday Assad must go": the saying's date
            owner, with_tense = speaker, True
        if owner is None:
            continue
        if owner.i in units and units[owner.i].kind == "statement" and not units[owner.i].nominal \
                and tokens[0].i > owner.i + _CLOSE_TO_SPEECH:
            owner = _content_noun(owner, tokens[0]) or owner  # "announced cuts ... during the fourth quarter"
            with_tense = False
        if owner.i in units:
            units[owner.i].dates.append((mention, with_tense))
            continue
        noun_unit = units.get(owner.i) or Unit(owner, nominal=True, members=[owner], relation=owner.dep_,
                                               event_type=owner.lemma_.lower(), tense=None)
        units[owner.i] = noun_unit
        noun_unit.dates.append((mention, False))


_CLOSE_TO_SPEECH = 4  # "told reporters on Monday": a statement's own date comes within a few words after it


def _content_noun(statement, first):
    """The noun a far date after a statement belongs to: the last noun of the statement's object before it."""
    doc = statement.doc
    objects = [c for c in statement.children if c.dep_ in ("obj", "ccomp", "xcomp") and c.i < first.i]
    span = {t.i for o in objects for t in o.subtree}
    nouns = [doc[i] for i in sorted(span) if doc[i].pos_ == "NOUN" and i < first.i]
    return nouns[-1] if nouns else None


def _statement_just_before(first, units):
    """The statement head right before a date ("told reporters on Monday" counts one object between)."""
    doc = first.doc
    i = first.i - 1
    if i >= 0 and doc[i].i in units and units[doc[i].i].kind == "statement":
        return doc[i]
    if i >= 1 and doc[i].dep_ in ("obj", "iobj") and doc[i].head.i == i - 1 and doc[i - 1].i in units \
            and units[doc[i - 1].i].kind == "statement":
        return doc[i - 1]
    return None


def _owner(top, units, absorbed, inside, through_nouns=False):
    """(the token a date modifies, whether the clause's tense reads it); the token is a unit head or a noun.

    ``through_nouns``: "shortly after negotiations" names the event it is relative to; it dates the clause.
    """
    token = top.head
    if token is top:
        return None, False
    if token.i in inside:
        return None, False
    steps = 0
    while steps < 60:
        steps += 1
        if token.i in absorbed:
            return token.doc[absorbed[token.i]], True
        if token.i in units and not units[token.i].nominal:  # a nominal unit is a noun like any other here
            return token, True
        if token.pos_ == "NOUN" and token.i not in inside and not through_nouns:
            if token.i < top.i and top.dep_ == "nmod" and any(c.dep_ == "case" for c in top.children):
                token = token.head  # "assets of officials in November": a prepositional date after a noun
                continue           # dates the clause (the parser's attachment of such phrases is unreliable)
            return _noun_owner(token, units, absorbed, attributive=top.dep_.split(":")[0] in _ATTRIBUTIVE)
        if token.head is token:
            return None, False
        token = token.head
    return None, False


_ATTRIBUTIVE = ("compound", "amod", "nmod:poss")  # "a New Year address", "Tuesday's attack": the noun's own date


def _noun_owner(noun, units, absorbed, attributive: bool = False):
    """A date on a noun dates the noun's clause when the noun is one of its arguments and the clause is no
    statement, or when the noun is a circumstance (``obl``) of a statement and the date is no attribute of it
    ("said in an address on Friday": the saying's date); otherwise the noun is a nominal event of its own.
    The date is read with the resolver's tense."""
    head = noun.head
    if noun.dep_.split(":")[0] in ("nsubj", "obj", "iobj", "obl") and noun.dep_ != "obl:agent":
        owner = absorbed.get(head.i, head.i)
        unit = units.get(owner)
        if unit is not None and not unit.nominal and unit.kind != "statement":
            return unit.head, False
        if unit is not None and not unit.nominal and unit.kind == "statement" and noun.dep_ == "obl" \
                and not attributive:
            return unit.head, True
    return noun, False
