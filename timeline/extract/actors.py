"""Actors of clauses: the subject phrase from the parse, canonicalised through the registry, pronouns and
definite descriptions ("the airline") resolved to an actor named earlier.

A subject that names no one ("it" with nothing to refer to, "officials", "the
company" never introduced) gives ``PLACEHOLDER`` and a note, so the event is kept
for a person to complete rather than given a wrong or meaningless actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from timeline.actors import ActorRegistry

PLACEHOLDER = "(actor to review)"
_PARTICLES = frozenset("de del della di da du la le van von der bin ibn al el abu of and for the & y".split())
_PERSON_PRONOUNS = frozenset("he she him her his".split())
_GROUP_PRONOUNS = frozenset("they them their".split())
_THING_PRONOUNS = frozenset("it its".split())
_RELATIVE = frozenset("which who whom that whose".split())
_KEEP_IN_PHRASE = frozenset("det amod compound flat flat:name nmod nmod:poss case nummod cc conj fixed nmod:desc "
                            "compound:prt advmod:emph det:poss nmod:npmod nmod:unmarked".split())
_MAX_WORDS = 9
_HISTORY = 200  # actors remembered for surnames and descriptions: bounded, so long articles stay linear
_FORCE_HEADS = frozenset("forces troops army military soldiers fighters militia militias rebels separatists "
                         "airstrikes strikes warplanes jets aircraft airpower navy government authorities officials "
                         "ministry police artillery".split())


@dataclass
class Mention:
    """An actor as found in a clause."""

    name: str  # canonical through the registry, or the phrase as written
    registered: bool = False
    person: bool = False
    media: bool = False
    via: str = "subject"  # subject, agent, pronoun, description, antecedent, parties, placeholder
    phrase: str = ""  # the words in the text
    note: str = ""
    start: int = -1  # character offsets of the phrase in the sentence
    end: int = -1


@dataclass
class ActorReader:
    """Reads actor phrases; remembers the actors of the article so far for pronouns and descriptions."""

    registry: ActorRegistry
    names: frozenset = frozenset()  # words the article capitalises inside sentences ("Ford", "Smith")
    history: list[Mention] = field(default_factory=list)  # named actors, in order of mention
    descriptors: dict[str, str] = field(default_factory=dict)  # "airline" -> "Ryanair" (from "airline Ryanair")
    _aliases: re.Pattern | None = None
    _demonyms: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        labels = {label for actor in self.registry.actors.values() for label in (actor.name, *actor.aliases)}
        if labels:
            parts = []
            for label in sorted(labels, key=len, reverse=True):
                exact = not re.search(r"[a-z]", label) or len(label) <= 3
                escaped = re.escape(label.replace("’", "'"))
                parts.append(escaped if exact else f"(?i:{escaped})")
            self._aliases = re.compile(rf"(?<![\w\-])(?:{'|'.join(parts)})(?![\w])")
        for actor in self.registry.actors.values():
            if actor.type not in ("state", "country"):
                continue
            for alias in actor.aliases:
                match = re.fullmatch(r"([A-Z][a-z]+)\s+(?:forces|troops|regime|air force|airpower|army)", alias)
                if match:
                    self._demonyms.setdefault(match.group(1), actor.name)

    # ------------------------------------------------------------ registry

    def registry_actors(self, text: str, start: int = 0, end: int | None = None):
        """Registry actors named in ``text[start:end]``: ``[(start, end, Actor)]``, longest alias first."""
        if self._aliases is None:
            return []
        found = []
        plain = text.replace("’", "'")
        for match in self._aliases.finditer(plain, start, len(plain) if end is None else end):
            actor = self.registry.lookup(match.group(0))
            if actor is not None:
                found.append((match.start(), match.end(), actor))
        return found

    def _registered(self, phrase: str, tokens) -> Mention | None:
        actor = self.registry.lookup(phrase)
        if actor is None:
            inside = self.registry_actors(phrase)
            if inside:
                actor = max(inside, key=lambda f: f[1] - f[0])[2]
        if actor is None:
            for token in tokens:  # "Russian airstrikes": a nationality with a force noun names the state
                if token.text in self._demonyms and token.head.lower_ in _FORCE_HEADS:
                    actor = self.registry.actors.get(self._demonyms[token.text])
                    break
        if actor is None:
            return None
        return Mention(actor.name, True, actor.type == "person", actor.type == "media", phrase=phrase)

    # ------------------------------------------------------------ phrases

    def of_token(self, head, via: str = "subject", remember: bool = True, skip=frozenset()) -> Mention:
        """The actor named by the noun phrase headed by ``head`` (a subject, an agent, a party).

        ``skip``: token indexes that cannot be part of the phrase (date words: "Tuesday's attack").
        ``remember``: keep the actor for later pronouns and descriptions.
        """
        if head.lower_ in _RELATIVE and head.dep_.startswith("nsubj"):
            antecedent = _antecedent(head)
            if antecedent is not None:
                found = self.of_token(antecedent, via, remember, skip)
                found.via = "antecedent" if found.via == via else found.via
                return found
        if head.pos_ == "PRON" or head.lower_ in _PERSON_PRONOUNS | _GROUP_PRONOUNS | _THING_PRONOUNS:
            return self._pronoun(head)
        described = head
        head = _named_apposition(head) or head
        if head.i in skip:
            return Mention(PLACEHOLDER, via="placeholder", phrase=head.text,
                           note=f"subject {head.text!r} is a date: actor to review")
        tokens = phrase_tokens(head, skip)
        phrase = _text(tokens)
        registered = self._registered(phrase, tokens)
        if registered is not None:
            registered.via, registered.start, registered.end = via, tokens[0].idx, _end(tokens[-1])
            if remember:
                self._remember(registered, tokens)
            return registered
        name_tokens = _name_run(head, tokens)
        if not name_tokens and head.i == head.sent.start and head.text in self.names and _capitalised(head):
            name_tokens = [head]  # "Smith announced": a name the article also writes mid-sentence
        if name_tokens:
            name = self._full_name(_text(name_tokens))
            mention = Mention(name, False, _looks_like_person(name_tokens), via=via, phrase=phrase,
                              start=name_tokens[0].idx, end=_end(name_tokens[-1]))
            if remember:
                self._remember(mention, tokens + ([described] if described is not head else []))
            return mention
        content = [t for t in tokens if t.pos_ in ("NOUN", "ADJ", "PROPN", "NUM") and t.dep_ != "det"]
        if head.tag_ in ("NNS", "NNPS") and len(content) >= 2:  # "Congressional lawmakers", "airport officials"
            return Mention(_strip_determiner(tokens), via=via, phrase=phrase, start=tokens[0].idx,
                           end=_end(tokens[-1]))
        described = self.descriptors.get(head.lemma_.lower()) if head.pos_ == "NOUN" else None
        if described and any(t.dep_ == "det" and t.lower_ in ("the", "this", "that") for t in head.children):
            found = next((m for m in reversed(self.history) if m.name == described), None)
            if found is not None:
                return Mention(found.name, found.registered, found.person, found.media, "description", phrase,
                               f"actor from {phrase!r} (the {head.lemma_} named earlier)")
        return Mention(PLACEHOLDER, via="placeholder", phrase=phrase,
                       note=f"subject {phrase!r} names no one: actor to review")

    def _full_name(self, name: str) -> str:
        """ "Mulally" after "Alan Mulally", "Taurus" after "Ford Taurus": the fuller name of the article."""
        longer = [m.name for m in self.history[-_HISTORY:] if not m.registered and m.name != name
                  and (m.name.endswith(" " + name) or m.name.startswith(name + " "))]
        return max(longer, key=len) if longer else name

    def _pronoun(self, token) -> Mention:
        lower = token.lower_
        wanted = ("person" if lower in _PERSON_PRONOUNS else "thing" if lower in _THING_PRONOUNS
                  else "group" if lower in _GROUP_PRONOUNS else "")
        for mention in reversed(self.history[-6:]):
            if wanted == "person" and mention.person or wanted == "thing" and not mention.person or (
                    wanted == "group" and not mention.person):
                return Mention(mention.name, mention.registered, mention.person, mention.media, "pronoun",
                               token.text, f"'{token.text}' taken as {mention.name}")
        return Mention(PLACEHOLDER, via="placeholder", phrase=token.text,
                       note=f"'{token.text}' refers to no actor named before: actor to review")

    def _remember(self, mention: Mention, tokens) -> None:
        if mention.media:
            return
        self.history.append(mention)
        if len(self.history) > 2 * _HISTORY:
            del self.history[:_HISTORY]
        for token in tokens:  # "American automobile manufacturer General Motors": GM is "the manufacturer" later
            if token.pos_ == "NOUN":
                self.descriptors[token.lemma_.lower()] = mention.name

    def note_descriptions(self, doc) -> None:
        """Learn "the <noun>" descriptions from appositions and compounds of names anywhere in a sentence."""
        for token in doc:
            if token.dep_ == "appos" and token.pos_ == "NOUN" and token.head.pos_ == "PROPN":
                name = _text(_name_run(token.head, phrase_tokens(token.head)) or [token.head])
                self.descriptors[token.lemma_.lower()] = self.registry.canonical(name)
            if token.dep_ == "appos" and token.pos_ == "PROPN" and token.head.pos_ == "NOUN":
                name = _text(_name_run(token, phrase_tokens(token)) or [token])
                self.descriptors[token.head.lemma_.lower()] = self.registry.canonical(name)


# ---------------------------------------------------------------- helpers on parsed tokens


def subject_token(head):
    """The subject of a clause head: of several (a parser's slip), the one nearest before the head."""
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubj:outer", "csubj", "csubj:pass")]
    if not subjects:
        return None
    before = [c for c in subjects if c.i < head.i]
    return max(before, key=lambda t: t.i) if before else subjects[0]


def phrase_tokens(head, skip=frozenset()) -> list:
    """The noun phrase of ``head`` without relative clauses, appositions, parentheses, other clauses or the
    tokens in ``skip``, in order."""
    keep = {head.i}
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            joins = child.dep_ in ("punct", "goeswith") and child.text in ("-", "–", "'", "’", ".", "&")
            if (child.dep_ in _KEEP_IN_PHRASE or joins) and not _in_brackets(child) and child.i not in skip:
                if child.dep_ == "conj" and child.pos_ not in ("PROPN", "NOUN"):
                    continue
                keep.add(child.i)
                stack.append(child)
    doc = head.doc
    for i in list(keep):  # "al - Assad": a hyphen between two words of the phrase belongs to it
        if i + 2 in keep and i + 1 not in keep and doc[i + 1].text in ("-", "–", "'s", "’s"):
            keep.add(i + 1)
    tokens = sorted((doc[i] for i in keep), key=lambda t: t.i)
    tokens = _contiguous(tokens, head)
    if len(tokens) > _MAX_WORDS:  # keep the words nearest the head
        before = [t for t in tokens if t.i <= head.i][-_MAX_WORDS:]
        tokens = before + [t for t in tokens if t.i > head.i][: max(0, _MAX_WORDS - len(before))]
    while tokens and (tokens[-1].pos_ in ("PUNCT", "CCONJ", "ADP", "PART", "DET") or tokens[-1].dep_ == "case"):
        tokens.pop()
    while tokens and tokens[0].pos_ in ("PUNCT", "CCONJ", "ADP"):
        tokens.pop(0)
    if head not in tokens:
        tokens = [head]
    return tokens


def _contiguous(tokens, head) -> list:
    """The run of ``tokens`` around ``head`` without gaps (a gap means a dropped clause or aside)."""
    index = tokens.index(head)
    start = end = index
    while start > 0 and tokens[start - 1].i == tokens[start].i - 1:
        start -= 1
    while end + 1 < len(tokens) and tokens[end + 1].i == tokens[end].i + 1:
        end += 1
    return tokens[start:end + 1]


def _in_brackets(token) -> bool:
    """True for a token right after "(": "General Motors Corporation (GM)"."""
    return token.i > 0 and token.doc[token.i - 1].text in ("(", "[")


def _named_apposition(head):
    """ "Irish low cost airline, Ryanair, announced": the proper name in apposition to a common noun."""
    if head.pos_ == "PROPN":
        return None
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and not _in_brackets(child):
            return child
        listed = child.dep_ == "conj" and child.i == head.i + 2 and head.doc[head.i + 1].text == ","
        if listed and child.pos_ == "PROPN":
            return child  # the parser's reading of "airline, Ryanair," as a list
    return None


def _name_run(head, tokens) -> list:
    """The proper name of a phrase: the run of capitalised words (joined by "of", "al-", "&" ...) that holds the
    head, or that follows a head used as a descriptor ("United States airframer Boeing").

    "JSA Research defence analyst Paul Nesbit" -> Paul Nesbit; "the Department of Health and Human
    Services" -> Department of Health and Human Services.  Empty when the phrase names no one.
    The run is read on the surface of the sentence, so a name the parser split ("Staffan" / "de
    Mistura") stays whole.
    """
    doc = head.doc
    first, last = tokens[0].i, tokens[-1].i
    while first > head.sent.start and _name_part(doc[first - 1]):  # the surface around the phrase
        first -= 1
    while last + 1 < head.sent.end and _name_part(doc[last + 1]) and doc[last + 1].pos_ != "VERB":
        last += 1
    runs, current = [], []
    for token in doc[first:last + 1]:
        if _capitalised(token) or (current and _joiner(token)):
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    runs = [_trim(run) for run in runs]
    runs = [run for run in runs if run]
    for run in runs:
        if run[0].i <= head.i <= run[-1].i:
            return _after_possessive(run, head)
    for run in runs:
        if run[0].i == head.i + 1 and head.pos_ == "NOUN":
            return run
    return []


def _name_part(token) -> bool:
    return (_capitalised(token) or _joiner(token)) and not _in_brackets(token)


def _joiner(token) -> bool:
    return token.lower_ in _PARTICLES or token.text in ("-", "&", "'s", "’s", ".")


def _trim(run: list) -> list:
    while run and (_joiner(run[0]) or run[0].tag_ in _FUNCTION_TAGS):
        run = run[1:]
    while run and _joiner(run[-1]):
        run = run[:-1]
    if len(run) == 1 and _sentence_initial_common(run[0]):
        return []  # "Officials said": capitalised only because it opens the sentence
    return run


def _after_possessive(run: list, head) -> list:
    """ "Japan's ANA": the name after the possessive."""
    possessive = [i for i, t in enumerate(run) if t.text in ("'s", "’s") and t.i < head.i]
    return run[possessive[-1] + 1:] if possessive else run


def _capitalised(token) -> bool:
    """A word that can be part of a name: capitalised and not a function word or verb ("Mulally" tagged as an
    adverb still counts)."""
    text = token.text
    if not text[:1].isupper() and not re.match(r"(?:al|el|ad|bin|ibn|abu)-[A-Z]", text):
        return False
    return token.pos_ not in ("DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "VERB", "PUNCT", "PART")


def _sentence_initial_common(token) -> bool:
    """ "Officials said", "The talks": a word capitalised only because it opens the sentence.

    The tagger decides: the sentence is tagged again with that word in lower case, and a common noun,
    adjective, determiner or pronoun there is no name.
    """
    if token.i != token.sent.start or not token.text[:1].isupper():
        return False
    if token.tag_ in _FUNCTION_TAGS:
        return True
    return _lowercase_tag(token.doc.text) in ("NN", "NNS", "JJ", "DT", "PRP", "RB", "VBG", "VBN")


_FUNCTION_TAGS = frozenset("DT PRP PRP$ IN CC WDT WP RB PDT EX".split())
_TAGS: dict[str, str] = {}


def _lowercase_tag(text: str) -> str:
    """The tag of the first word of ``text`` when it is written in lower case (cached per sentence)."""
    if text not in _TAGS:
        from timeline.extract.parse import load_model

        nlp = load_model()
        doc = nlp(text[:1].lower() + text[1:], disable=[p for p in nlp.pipe_names if p not in ("tok2vec", "tagger")])
        if len(_TAGS) > 10_000:
            _TAGS.clear()
        _TAGS[text] = doc[0].tag_ if len(doc) else ""
    return _TAGS[text]


def _looks_like_person(tokens) -> bool:
    words = [t for t in tokens if t.text[:1].isupper()]
    return 2 <= len(words) <= 4 and all(t.pos_ == "PROPN" for t in words) and not any(
        t.text.isupper() and len(t.text) > 1 for t in words)


def _antecedent(relative):
    """The noun a relative clause modifies ("GM, which filed ..." -> GM)."""
    clause = relative.head
    while clause.dep_ not in ("acl:relcl", "advcl:relcl") and clause.head is not clause:
        if clause.dep_ not in ("conj", "xcomp"):
            return None
        clause = clause.head
    return clause.head if clause.dep_ in ("acl:relcl", "advcl:relcl") else None


def _strip_determiner(tokens) -> str:
    if tokens and tokens[0].lower_ in ("the", "a", "an") and len(tokens) > 1 and tokens[1].text[:1].isupper():
        tokens = tokens[1:]
    return _text(tokens)


def _text(tokens) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i:tokens[-1].i + 1].text.strip()


def _end(token) -> int:
    return token.idx + len(token.text)
