"""One synthetic resolution's body (preambular and operative paragraphs, footnotes) and its ground truth.

``compose`` writes the paragraphs the way UN drafters do (participles opening preambular paragraphs,
clause verbs opening numbered operative ones, footnotes carrying Treaty Series references and the
symbols of adopting resolutions) and records, while writing, what each paragraph cites and names.
The record *is* the ground truth: nothing is read back from the rendered text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from synth_vocab import (
    AGAIN,
    ANCHORS,
    OPERATIVE_FILLERS,
    OPERATIVE_VERBS,
    PREAMBULAR_FILLERS,
    PREAMBULAR_VERBS,
    SUBITEMS,
    Names,
    Topic,
    ordinal_words,
    printed_date,
)

ORGAN_NAMES = {"general-assembly": "General Assembly", "ecosoc": "Economic and Social Council",
               "hrc": "Human Rights Council", "security-council": "Security Council",
               "ccpcj": "Commission on Crime Prevention and Criminal Justice", "cnd": "Commission on Narcotic Drugs",
               "csw": "Commission on the Status of Women"}
# Instruments whose adopting resolution carries them in an annex ("Resolution 70/174, annex.").
_ANNEXED = {"doha-declaration", "paris-principles", "nelson-mandela-rules", "bangkok-rules", "tokyo-rules",
            "addis-ababa-action-agenda", "declaration-violence-against-women", "declaration-human-rights-defenders",
            "declaration-rights-indigenous-peoples", "kyoto-declaration", "recommended-principles-guidelines"}


@dataclass(frozen=True, slots=True)
class Target:
    """A resolution or decision cited by number: its symbol, whose number it is, and how it is printed."""

    symbol: str
    owner: str
    number: str
    date: str | None
    title: str | None = None
    decision: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    """A document cited by its printed symbol ('A/71/119', 'S/2016/1123 and Add.1')."""

    printed: str
    symbols: tuple[str, ...]
    author: str  # body key of who submitted it


@dataclass(slots=True)
class Footnote:
    text: str                  # with *italics* markup; the ODS renderer strips it
    cites: list[tuple[str, str]]  # (target, surface)
    treaty: tuple[int, int, str] | None = None


@dataclass(slots=True)
class Paragraph:
    pid: str
    verb: str
    parts: list[str | int]     # text, and footnote numbers where a marker stands
    subitems: list[str] = field(default_factory=list)


@dataclass
class Doc:
    """The body of one document as it is composed, with everything it cites and names."""

    names: Names
    speaker: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    cites: list[dict[str, str | None]] = field(default_factory=list)
    entities: dict[tuple[str, str], None] = field(default_factory=dict)
    events: list[dict[str, str]] = field(default_factory=list)
    _by_key: dict[str, int] = field(default_factory=dict)
    _seen: set[tuple[str, str]] = field(default_factory=set)
    _current: Paragraph | None = None
    preambular: int = 0
    operative: int = 0

    # --- recording -----------------------------------------------------------------------------
    def name(self, key: str) -> str:
        """The printed name of an authority entry; the entry and every name nested in it are recorded."""
        printed = self.names.name(key)
        self.entities[(self.names.entry(key).kind, key)] = None
        self.phrase(printed)
        return printed

    def phrase(self, text: str) -> str:
        """A fixed phrase of the vocabulary; any authority name inside it is recorded."""
        for found in self.names.named(text):
            self.entities[found] = None
        return text

    def cite(self, target: str, surface: str, date: str | None, pid: str | None = None) -> None:
        pid = pid or (self._current.pid if self._current else "header")
        if (target, pid) in self._seen:
            return
        self._seen.add((target, pid))
        self.cites.append({"target": target, "surface": surface, "paragraph": pid, "target_date": date})

    # --- paragraphs ----------------------------------------------------------------------------
    def open(self, kind: str, verb: str) -> Paragraph:
        if kind == "P":
            self.preambular += 1
            pid = f"P{self.preambular}"
        else:
            self.operative += 1
            pid = f"O{self.operative}"
        self._current = Paragraph(pid, verb, [])
        self.paragraphs.append(self._current)
        self.phrase(verb)
        return self._current

    def write(self, *parts: str | int) -> None:
        assert self._current is not None
        self._current.parts.extend(parts)

    def marker(self, key: str | None, footnote: Footnote) -> int:
        """Put a footnote marker in the current paragraph; a footnote keyed once is reused, as the UN does."""
        assert self._current is not None
        number = self._by_key.get(key) if key else None
        if number is None:
            number = len(self.footnotes) + 1
            self.footnotes[number] = footnote
            if key:
                self._by_key[key] = number
        fn = self.footnotes[number]
        for target, surface in fn.cites:  # a footnote's citation belongs to each paragraph carrying its marker
            self.cite(target, surface, None)
        self._current.parts.append(number)
        return number

    def treaty_footnote(self, key: str) -> Footnote | None:
        entry = self.names.entry(key)
        if entry.unts:
            volume, number = entry.unts
            previous = self.footnotes.get(len(self.footnotes))
            if previous is not None and previous.treaty is not None:
                text = f"{'*Ibid.*' if volume % 2 else 'Ibid.'}, vol. {volume}, No. {number}."
            else:
                text = f"United Nations, *Treaty Series*, vol. {volume}, No. {number}."
            return Footnote(text, [], (volume, number, key))
        adopted = entry.adopted_by
        if adopted and adopted.startswith("A/RES/"):
            printed = _printed_number(adopted)
            annex = ", annex" if key in _ANNEXED else ""
            if self.speaker == "general-assembly":
                surface = f"Resolution {printed}{annex}"
            else:
                surface = f"General Assembly resolution {printed}{annex}"
                self.entities[("body", "general-assembly")] = None
            return Footnote(surface + ".", [(adopted, surface)])
        if adopted and adopted.startswith("E/"):
            return Footnote(adopted + ".", [(adopted, adopted)])
        return None


def _printed_number(symbol: str) -> str:
    """A/RES/64/293 -> '64/293'; A/RES/2200(XXI) -> '2200 A (XXI)' (the early resolutions' printed letter)."""
    rest = symbol.removeprefix("A/RES/")
    if "(" in rest:
        number, session = rest.rstrip(")").split("(")
        return f"{number} A ({session})"
    return rest


def _owner_phrase(doc: Doc, target: Target, plural: bool) -> tuple[str, str]:
    """('its resolutions ', 'resolutions ') or ('General Assembly resolution ', same): text and surface lead."""
    word = ("decisions " if plural else "decision ") if target.decision else \
        ("resolutions " if plural else "resolution ")
    if target.owner == doc.speaker:
        return "its " + word, word
    name = ORGAN_NAMES[target.owner]
    doc.phrase(name)
    return f"{name} {word}", f"{name} {word}"


def citation_text(doc: Doc, targets: list[Target], dated: bool) -> str:
    """'its resolutions 61/180 of 20 December 2006, 64/178 ... and 70/179 ...', each target recorded."""
    lead, surface_lead = _owner_phrase(doc, targets[0], len(targets) > 1)
    items = []
    for i, t in enumerate(targets):
        item = t.number + (f" of {printed_date(t.date)}" if dated and t.date else "")
        doc.cite(t.symbol, (surface_lead if i == 0 else "") + item, t.date if dated else None)
        items.append(item)
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return lead + listed


class Composer:
    """Writes one document's paragraphs from its plan; every choice comes from one random.Random."""

    def __init__(self, doc: Doc, rng: random.Random, topic: Topic, italic: tuple[bool, bool]) -> None:
        self.doc, self.rng, self.topic = doc, rng, topic
        self.italic_pre, self.italic_op = italic
        self._last_verb = ""
        self._verb_uses = 0
        self._used: set[tuple[str, int]] = set()

    def _verb(self, kind: str, verb: str | None = None) -> str:
        rng = self.rng
        if kind == "P":
            verb = verb or rng.choice(PREAMBULAR_VERBS)
            if verb == self._last_verb.split(" ")[0] and verb in AGAIN and self._verb_uses <= len(AGAIN[verb]):
                shown = AGAIN[verb][self._verb_uses - 1]
                self._verb_uses += 1
            else:
                shown, self._verb_uses = verb, 1
            self._last_verb = verb
        else:
            shown = verb or rng.choice(OPERATIVE_VERBS)
        self.doc.open(kind, shown)
        return shown

    def filler(self, kind: str) -> None:
        """A paragraph naming nothing; each filler is used at most once per document."""
        doc, rng = self.doc, self.rng
        table = PREAMBULAR_FILLERS if kind == "P" else OPERATIVE_FILLERS
        unused = [i for i in range(len(table)) if (kind, i) not in self._used]
        if not unused:
            return
        i = rng.choice(unused)
        self._used.add((kind, i))
        verbs, text = table[i]
        self._verb(kind, rng.choice(verbs))
        doc.write(doc.phrase(text.format(s=self.topic.subject)))

    def subitems(self, kind: str) -> None:
        doc, rng = self.doc, self.rng
        if kind == "P":
            self._verb("P", "Reaffirming")
            doc.write(f"that the efforts of the international community to address {self.topic.subject} "
                      "should continue to be guided by the following objectives:")
        else:
            self._verb("O", "Calls upon")
            doc.write("Member States:")
        count = rng.randint(2, 5)
        doc._current.subitems.extend(rng.sample(SUBITEMS, count))  # type: ignore[union-attr]

    def instruments(self, kind: str, keys: list[str]) -> None:
        """'Recalling the United Nations Convention against ...,¹ the Protocol ...² and ...,' with footnotes."""
        doc = self.doc
        if kind == "P":
            self._verb("P", self.rng.choice(("Recalling", "Reaffirming", "Guided by", "Bearing in mind")))
        else:
            self._verb("O", "Urges")
            doc.write("Member States that have not yet done so to consider ratifying or acceding to, as a matter "
                      "of priority, ")
        for i, key in enumerate(keys):
            if i:
                doc.write(" and " if i == len(keys) - 1 else ", ")
            doc.write("the " + doc.name(key))
            footnote = doc.treaty_footnote(key)
            # no marker glued to a name ending in a year: "... of 1971" + "2" would read as a number
            if footnote is not None and not doc.names.name(key)[-1].isdigit() and self.rng.random() < 0.85:
                doc.marker(key, footnote)
        if kind == "O":
            doc.write(", taking into consideration the central role of " +
                      ("those instruments" if len(keys) > 1 else "that instrument"))

    def anchor(self, symbol: str) -> None:
        """An instrument and the resolution that adopted it: '..., adopted by the General Assembly in its
        resolution 64/293 of 30 July 2010,' (a citation with its date) or a footnote 'Resolution 64/293.'"""
        doc = self.doc
        number, owner, date, instrument = ANCHORS[symbol]
        if instrument is None:  # a Security Council anchor: cited by number like any resolution
            target = Target(symbol, owner, number, date)
            self._verb("P", "Recalling")
            doc.write(citation_text(doc, [target], self.rng.random() < 0.5))
            return
        self._verb("P", self.rng.choice(("Recalling", "Reaffirming", "Recognizing the significance of")))
        doc.write("the " + doc.name(instrument))
        if self.rng.random() < 0.5:
            doc.phrase("General Assembly")
            by = "its " if doc.speaker == "general-assembly" else "the General Assembly in its "
            doc.write(f", adopted by {by}resolution {number} of {printed_date(date)}")
            doc.cite(symbol, f"resolution {number} of {printed_date(date)}", date)
        else:
            if doc.speaker == "general-assembly":
                surface = f"Resolution {number}"
            else:
                surface = doc.phrase("General Assembly") + f" resolution {number}"
            doc.marker(symbol, Footnote(surface + ".", [(symbol, surface)]))
        doc.write(", and underlining the importance of its full implementation")

    def citations(self, kind: str, targets: list[Target]) -> None:
        doc, rng = self.doc, self.rng
        dated = targets[0].date is not None and rng.random() < 0.75
        if kind == "P":
            self._verb("P", rng.choice(("Recalling", "Recalling", "Reaffirming", "Taking note of", "Welcoming")))
            doc.write(citation_text(doc, targets, dated))
            if len(targets) == 1 and targets[0].title and rng.random() < 0.4:
                doc.write(", entitled “" + doc.phrase(targets[0].title) + "”")
            elif targets[0].owner == doc.speaker and rng.random() < 0.5:
                doc.write(f" on {self.topic.subject} and all its other relevant resolutions")
            if targets[0].owner == "hrc" and doc.speaker != "hrc" and rng.random() < 0.5:
                self._official_records(targets[0])
        else:
            verb = rng.choice(("Reaffirms", "Recalls", "Calls for the full implementation of"))
            self._verb("O", verb)
            doc.write(citation_text(doc, targets, dated))
            if verb != "Calls for the full implementation of" and rng.random() < 0.5:
                doc.write(", and calls for " + ("its" if len(targets) == 1 else "their") + " full implementation")

    def _official_records(self, target: Target) -> None:
        """The Council's report in the Assembly's Official Records, as a second citation (002 P11)."""
        year = int((target.date or "2016")[:4])
        session = year - 1945
        symbol = f"A/{session}/53"
        words = ordinal_words(session).capitalize()
        surface = f"Official Records of the General Assembly, {words} Session, Supplement No. 53 ({symbol})"
        self.doc.phrase("General Assembly")
        self.doc.write(",")
        self.doc.marker(None, Footnote(f"See *Official Records of the General Assembly, {words} Session, "
                                       f"Supplement No. 53* ({symbol}), chap. V, sect. A.", [(symbol, surface)]))
        self.doc.write(f" and other relevant resolutions of the Council on {self.topic.subject}")

    def report(self, kind: str, report: Report) -> None:
        doc, rng = self.doc, self.rng
        author = doc.name(report.author)
        if kind == "P":
            self._verb("P", rng.choice(("Taking note of", "Taking note with appreciation of", "Welcoming")))
        else:
            self._verb("O", rng.choice(("Takes note of", "Welcomes")))
        doc.write(f"the report of the {author}")
        surfaces = [report.symbols[0]] + [s.rsplit("/", 1)[1] for s in report.symbols[1:]]
        if rng.random() < 0.5:
            doc.write(f" ({report.printed})")
            for symbol, surface in zip(report.symbols, surfaces, strict=True):
                doc.cite(symbol, surface, None)
        else:
            note = report.printed if rng.random() < 0.6 else "See " + report.printed
            doc.marker(None, Footnote(note + ".", list(zip(report.symbols, surfaces, strict=True))))
        if kind == "O":
            doc.write(" and the recommendations contained therein")

    def bodies(self, kind: str, keys: list[str]) -> None:
        doc, rng, s = self.doc, self.rng, self.topic.subject
        names = [doc.name(k) for k in keys]
        listed = names[0] if len(names) == 1 else ", the ".join(names[:-1]) + " and the " + names[-1]
        if kind == "P":
            self._verb("P", rng.choice(("Recognizing", "Welcoming", "Acknowledging", "Emphasizing")))
            mandates = "their respective mandates" if len(keys) > 1 else "its mandate"
            doc.write(f"the important role of the {listed} in addressing {s}, within {mandates}")
        else:
            self._verb("O", rng.choice(("Requests", "Invites", "Encourages")))
            doc.write(f"the {listed} to continue to provide, within existing resources, technical assistance to "
                      f"Member States, upon their request, on {s}")

    def state(self, kind: str, state: str, date: str) -> None:
        doc, s = self.doc, self.topic.subject
        name = doc.name(state)
        if doc.speaker == "security-council":
            self._verb("P", "Reaffirming")
            doc.write(f"its strong commitment to the sovereignty, independence, territorial integrity and unity of "
                      f"{name}")
            return
        if kind == "P":
            self._verb("P", "Expressing its appreciation")
            doc.write(f"to the Government of {name} for hosting the international meeting on {s} held on "
                      f"{printed_date(date)}")
        else:
            self._verb("O", "Welcomes")
            doc.write(f"the offer of the Government of {name} to host an international meeting on {s}, to be held "
                      f"on {printed_date(date)}")
        doc.events.append({"label": f"international meeting on {s} hosted by {name}", "date": date})

    def closing(self, organ: str, session: int | None, agenda: str | None) -> None:
        """The last operative paragraph: a report requested, the item kept, the Council seized."""
        doc = self.doc
        if organ == "security-council":
            self._verb("O", "Decides")
            doc.write("to remain actively seized of the matter")
        elif organ == "general-assembly" and agenda and session:
            self._verb("O", "Decides")
            doc.write(f"to continue its consideration of the question at its {ordinal_words(session + 1)} "
                      f"session under the item entitled “{doc.phrase(agenda)}”")
        else:
            self._verb("O", "Requests")
            sg = doc.name("secretary-general")
            where = doc.name(organ) if organ in ("hrc", "ccpcj", "cnd", "csw") else doc.phrase(ORGAN_NAMES[organ])
            when = f" at its {ordinal_words(session + 1)} session" if session else ""
            doc.write(f"the {sg} to report to the {where}{when} on the implementation of the present resolution")


@dataclass(frozen=True)
class BodyPlan:
    """What a document's body will hold; chosen by the corpus planner in synth.py."""

    speaker: str                      # the organ speaking: "The General Assembly,"
    organ: str                        # who the closing paragraph reports to
    session: int | None               # for "at its seventy-third session"
    agenda: str | None
    groups: list[list[Target]]        # citations by number, one group per paragraph
    reports: list[Report]
    anchors: list[str]
    state: str | None                 # a Member State the text names (the SC file's country, a host)
    state_date: str


def compose(plan: BodyPlan, topic: Topic, names: Names, rng: random.Random, italic: tuple[bool, bool]) -> Doc:
    """Write the preambular and operative paragraphs of one document, recording what they cite and name."""
    doc = Doc(names, plan.speaker)
    c = Composer(doc, rng, topic, italic)
    sc = plan.speaker == "security-council"
    first: list[tuple] = []  # (method, args...): written in this order, before the shuffled rest
    pre: list[tuple] = []
    ops: list[tuple] = []
    carried = {ANCHORS[a][3] for a in plan.anchors}  # named with their anchor already
    instruments = [k for k in topic.instruments if k not in carried]
    rng.shuffle(instruments)
    if instruments and rng.random() < 0.8:
        first.append((c.instruments, instruments[: rng.randint(1, 3)]))
    for group in plan.groups:
        (pre if rng.random() < 0.75 else ops).append((c.citations, group))
    for report in plan.reports:
        (pre if rng.random() < 0.6 else ops).append((c.report, report))
    pre += [(c.filler,) for _ in range(rng.randint(1, 8))]
    if topic.bodies and rng.random() < 0.7:
        pre.append((c.bodies, rng.sample(topic.bodies, min(len(topic.bodies), rng.randint(1, 3)))))
    if not sc and rng.random() < 0.2:
        pre.append((c.subitems,))
    if plan.state and not sc and rng.random() < 0.5:
        pre.append((c.state, plan.state, plan.state_date))
    ops += [(c.filler,) for _ in range(rng.randint(2, 10))]
    for _ in range(rng.randint(1, 3) if topic.bodies else 0):
        ops.append((c.bodies, rng.sample(topic.bodies, min(len(topic.bodies), rng.randint(1, 2)))))
    if instruments[3:] and not sc and rng.random() < 0.5:
        ops.append((c.instruments, instruments[3: 3 + rng.randint(1, 2)]))
    if not sc and rng.random() < 0.15:
        ops.append((c.subitems,))
    rng.shuffle(pre)
    rng.shuffle(ops)
    if sc and plan.state:
        c.state("P", plan.state, plan.state_date)
    for symbol in plan.anchors:
        c.anchor(symbol)
    for method, *args in first + pre:
        method("P", *args)
    for method, *args in ops:
        method("O", *args)
    c.closing(plan.organ, plan.session, plan.agenda)
    return doc
