"""A deterministic synthetic corpus of UN resolution texts, each with the ground truth of its extraction.

    .venv/bin/python bench/synth.py --docs 1000 --seed 1 --out data/synth

writes ``OUT/texts/NAME.txt`` and ``OUT/gold/NAME.json`` (the schema of ../shared/gold/SCHEMA.md; NAME is
the stem ``unkg extract --out`` gives the prediction), so that

    unkg extract OUT/texts --out PRED
    python ../shared/tools/score_extraction.py --gold OUT/gold --pred PRED

scores unkg's extraction on as many documents as one wants.  Why: five hand-annotated seeds cannot tell a
real improvement from noise, and the real corpora carry no complete gold; a generator that knows what it
printed can.

What it writes: General Assembly, ECOSOC, Human Rights Council and Security Council resolutions and
drafts (Third/Second/First Committee drafts, functional-commission drafts recommended to ECOSOC, Security
Council drafts, with sponsor lists) dated 1990-2026, in the two shapes unkg reads (PDF Markdown and ODS
word-processor exports; synth_render.py), with preambular and operative paragraphs, footnotes holding
Treaty Series references and document symbols, instruments, bodies and States from ``ontology/`` and
citations in the UN's phrasings (synth_doc.py).  Documents are generated in date order and cite *earlier*
ones by preferential attachment (a Yule process per topic and organ: a cited resolution is likelier to
be cited again), plus real anchors that very many cite (A/RES/64/293, A/RES/70/1, A/RES/55/25 ...), so
the corpus is a citation graph with a heavy-tailed in-degree.  Symbols are unique (session/number,
year/number, number (year)), numbered with gaps that keep them realistic for small corpora and dense
for large ones.  Everything is drawn from one ``random.Random(seed)``: the same arguments give the same
bytes.  Files are streamed; only a compact record of each citable resolution is kept in memory.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth_doc import BodyPlan, Report, Target, compose  # noqa: E402
from synth_render import Cover, dump_gold, gold, render_markdown, render_ods  # noqa: E402
from synth_vocab import ANCHORS, SC_FILES, SINCE, TOPICS, Names, Topic, ordinal_suffix, ordinal_words  # noqa: E402

FIRST_DAY = dt.date(1990, 1, 1).toordinal()
LAST_DAY = dt.date(2026, 12, 31).toordinal()
# Shares of the corpus by kind of document (the Human Rights Council's share goes to ECOSOC before 2006).
KINDS = (("ga", 0.28), ("ecosoc", 0.13), ("hrc", 0.16), ("sc", 0.09), ("ga-draft", 0.16),
         ("commission-draft", 0.13), ("sc-draft", 0.05))
COMMITTEE_SERIES = {"third-committee": "C.3", "second-committee": "C.2", "first-committee": "C.1"}
COMMISSIONS = {"ccpcj": ("E/CN.15", 1991, "Vienna", 30), "cnd": ("E/CN.7", 1957, "Vienna", 28),
               "csw": ("E/CN.6", 1956, "New York", 27)}  # series, session = year - offset, seat, report number
CAP = 999  # resolution numbers are printed with at most three digits per session or year


class Numbering:
    """Unique numbers per series and period, with gaps so that a small corpus still looks real."""

    def __init__(self, docs: int, rng: random.Random) -> None:
        self.rng = rng
        self.last: dict[tuple[str, object], int] = {}
        self.docs = docs
        self.reserved = set(ANCHORS)

    def next(self, series: str, period: object, span: int, share: float, periods: int, start: int = 0) -> int:
        expected = max(1.0, self.docs * share / periods)
        gap = max(1, int(span / expected))
        n = self.last.get((series, period), start) + self.rng.randint(1, gap)
        self.last[(series, period)] = n
        return n


def sc_topic(names: Names, state: str, bodies: tuple[str, ...]) -> Topic:
    label = names.name(state)
    article = "the " if label.split()[0] in {"Democratic", "Central", "Syrian", "United", "Lao", "Russian"} else ""
    return Topic(f"sc-{state}", f"the situation in {article}{label}", (), "", "", None,
                 ("un-charter", "rome-statute", "geneva-conventions"), (*bodies, "secretary-general"),
                 ("S/RES/1325(2000)",))


class Corpus:
    """Plans and writes the documents one by one, keeping only what later documents may cite."""

    def __init__(self, docs: int, seed: int, out: Path) -> None:
        self.docs, self.out = docs, out
        self.rng = random.Random(seed)
        self.names = Names()
        self.numbers = Numbering(docs, self.rng)
        self.targets: list[Target] = []
        self.by_topic: dict[tuple[str, str], list[int]] = defaultdict(list)   # citable, by (topic, owner)
        self.cited: dict[tuple[str, str], list[int]] = defaultdict(list)      # one entry per citation received
        self.sc_topics = [(sc_topic(self.names, state, bodies), state) for state, bodies in SC_FILES]
        self.citations = 0
        self.bytes = 0
        self.width = max(6, len(str(docs - 1)))
        self.state_labels = sorted(self.names.state_keys)
        self._topics: dict[tuple[str, int], Topic] = {}

    # --- one document --------------------------------------------------------------------------
    def write(self, index: int) -> None:
        rng = self.rng
        day = FIRST_DAY + int((index + rng.random()) / self.docs * (LAST_DAY - FIRST_DAY))
        date = dt.date.fromordinal(day)
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        if kind == "hrc" and date < dt.date(2006, 7, 1):
            kind = "ecosoc"  # human rights texts went through the Commission on Human Rights and ECOSOC then
        topic = rng.choice(TOPICS)
        state = None
        if kind in ("sc", "sc-draft"):
            topic, state = rng.choice(self.sc_topics)
        elif kind == "commission-draft" and (topic.commission is None or date.year < 1992):
            kind = "ga-draft"
        topic = self._as_of(topic, date.year)
        cover, plan_args = getattr(self, f"_cover_{kind.replace('-', '_')}")(date, topic)
        if state:
            cover.states.append(state)
        speaker = {"The General Assembly,": "general-assembly", "The Economic and Social Council,": "ecosoc",
                   "The Human Rights Council,": "hrc", "The Security Council,": "security-council"}[cover.opener]
        host = state or (rng.choice(self.state_labels) if rng.random() < 0.2 else None)
        host_key = state or (self.names.state_keys[host] if host else None)
        plan = BodyPlan(speaker, plan_args["organ"], plan_args.get("session"), plan_args.get("agenda"),
                        self._groups(date, topic, speaker), self._reports(date, speaker),
                        [a for a in topic.anchors if ANCHORS[a][2] < date.isoformat() and rng.random() < 0.4],
                        host_key, dt.date.fromordinal(day - rng.randint(30, 700)).isoformat())
        italic = rng.choice(((False, False), (False, True), (False, True), (True, True), (True, True)))
        doc = compose(plan, topic, self.names, rng, italic)
        for key in self._cover_entities(cover, topic):
            doc.phrase(key)
        name = f"{index:0{self.width}d}_{hashlib.sha1(cover.symbol.encode()).hexdigest()[:16]}"
        if rng.random() < 0.35:
            cover.symbol_printed = True
            text = render_ods(doc, cover, rng, f"{rng.randint(10000, 99999)}")
        else:
            text = render_markdown(doc, cover, rng, italic)
        data = dump_gold(gold(name, doc, cover))
        raw = text.encode("utf-8")
        (self.out / "texts" / f"{name}.txt").write_bytes(raw)
        (self.out / "gold" / f"{name}.json").write_text(data, encoding="utf-8")
        self.bytes += len(raw) + len(data)
        self.citations += len(doc.cites)
        if cover.number and cover.adoption_date:  # an adopted resolution: later documents may cite it
            owner = cover.body if kind != "sc" else "security-council"
            self.by_topic[(topic.key, owner)].append(len(self.targets))
            self.targets.append(Target(cover.symbol, owner, cover.number, cover.adoption_date, cover.title))

    def _as_of(self, topic: Topic, year: int) -> Topic:
        """The topic without the instruments, bodies and titles that did not exist yet in ``year``."""
        key = (topic.key, year)
        if key not in self._topics:
            def known(k: str) -> bool:
                return SINCE.get(k, 0) <= year

            titles = tuple(t for t in topic.titles if all(known(k) for _, k in self.names.named(t))) or topic.titles[:1]
            self._topics[key] = dataclasses.replace(
                topic, titles=titles, instruments=tuple(filter(known, topic.instruments)),
                bodies=tuple(filter(known, topic.bodies)))
        return self._topics[key]

    def _cover_entities(self, cover: Cover, topic: Topic) -> list[str]:
        """The fixed phrases of the cover that name bodies (organ, committee, recommending commission)."""
        phrases = [cover.organ, cover.opener]
        if cover.committee_line:
            phrases.append(cover.committee_line)
        if cover.chapeau:
            phrases.append(cover.chapeau)
        if cover.bracket:
            phrases.append(cover.bracket.split("(")[0])
        if cover.kind == "hrc":
            phrases.append("Human Rights Council")
        if cover.kind in ("sc", "sc-draft"):
            phrases.append("Security Council")
        if cover.agenda_title:
            phrases.append(cover.agenda_title)
        if cover.title:
            phrases.append(cover.title)
        return phrases

    # --- covers: one method per kind of document -----------------------------------------------
    def _common(self, date: dt.date) -> dict[str, object]:
        return {"distribution_date": (date + dt.timedelta(days=self.rng.randint(3, 60))).isoformat()}

    def _agenda_item(self, low: int, high: int) -> str:
        item = str(self.rng.randint(low, high))
        return item + (f" ({'abcde'[self.rng.randint(0, 4)]})" if self.rng.random() < 0.35 else "")

    def _cover_ga(self, date: dt.date, topic: Topic) -> tuple[Cover, dict[str, object]]:
        rng = self.rng
        session = date.year - 1945 if date.month >= 9 else date.year - 1946
        number = self._unique("A/RES", session, 300, 0.28, lambda n: f"A/RES/{session}/{n}")
        committee = topic.committee
        if rng.random() < 0.75:
            report = f"A/{session}/{rng.randint(400, 650)}"
            bracket = f"[on the report of the {self.names.name(committee)} ({report})]"
            recommended = committee
        else:
            report = f"A/{session}/L.{rng.randint(1, 80)}"
            bracket, recommended = f"[without reference to a Main Committee ({report})]", None
        cover = Cover("ga", f"A/RES/{session}/{number}", rng.random() < 0.6, "General Assembly", "general-assembly",
                      "resolution", rng.choice(topic.titles), f"{session}/{number}", date.isoformat(), "General",
                      str(self._common(date)["distribution_date"]), f"{ordinal_words(session).capitalize()} session",
                      self._agenda_item(20, 140), topic.agenda, recommended, bracket, [report],
                      f"{ordinal_suffix(rng.randint(40, 90))} plenary meeting", [], "The General Assembly,")
        return cover, {"organ": "general-assembly", "session": session, "agenda": topic.agenda}

    def _cover_ecosoc(self, date: dt.date, topic: Topic) -> tuple[Cover, dict[str, object]]:
        rng = self.rng
        year = date.year
        number = self._unique("E/RES", year, 50, 0.13, lambda n: f"E/RES/{year}/{n}")
        commission = topic.commission if topic.commission and (topic.commission != "ccpcj" or year > 1992) else None
        organ, session = "ecosoc", None
        if commission and rng.random() < 0.7:
            series, offset, _, report_no = COMMISSIONS[commission]
            report = f"E/{year}/{report_no}"
            bracket = f"[on the recommendation of the {self.names.name(commission)} ({report})]"
            recommended, organ, session = commission, commission, year - offset
        else:
            report = f"E/{year}/L.{rng.randint(1, 60)}"
            bracket, recommended = f"[on a proposal considered in plenary meeting ({report})]", None
        cover = Cover("ecosoc", f"E/RES/{year}/{number}", rng.random() < 0.5, "Economic and Social Council", "ecosoc",
                      "resolution", rng.choice(topic.titles), f"{year}/{number}", date.isoformat(), "General",
                      str(self._common(date)["distribution_date"]), f"{year} session", self._agenda_item(2, 20),
                      topic.agenda, recommended, bracket, [report],
                      f"{ordinal_suffix(rng.randint(10, 55))} plenary meeting", [], "The Economic and Social Council,")
        return cover, {"organ": organ, "session": session}

    def _cover_hrc(self, date: dt.date, topic: Topic) -> tuple[Cover, dict[str, object]]:
        rng = self.rng
        session = 3 * (date.year - 2006) + (1 if date.month <= 4 else 2 if date.month <= 8 else 3)
        number = self._unique("A/HRC/RES", session, 40, 0.16, lambda n: f"A/HRC/RES/{session}/{n}", periods=62)
        start, end = date - dt.timedelta(days=rng.randint(18, 35)), date + dt.timedelta(days=rng.randint(1, 4))
        cover = Cover("hrc", f"A/HRC/RES/{session}/{number}", rng.random() < 0.6, "General Assembly", "hrc",
                      "resolution", rng.choice(topic.titles), f"{session}/{number}", date.isoformat(), "General",
                      str(self._common(date)["distribution_date"]), f"{ordinal_words(session).capitalize()} session",
                      str(rng.randint(1, 10)), topic.agenda, None, None, [],
                      f"{ordinal_suffix(rng.randint(30, 60))} meeting", [], "The Human Rights Council,",
                      place_line=_date_range(start, end))
        return cover, {"organ": "hrc", "session": session}

    def _cover_sc(self, date: dt.date, topic: Topic) -> tuple[Cover, dict[str, object]]:
        number = self._unique("S/RES", 0, 2200, 0.09, lambda n: f"S/RES/{n}({date.year})", periods=1, start=645)
        meeting = 2900 + int((date.toordinal() - FIRST_DAY) * 0.53) + self.rng.randint(0, 3)
        cover = Cover("sc", f"S/RES/{number}({date.year})", self.rng.random() < 0.7, "Security Council",
                      "security-council", "resolution", None, f"{number} ({date.year})", date.isoformat(), "General",
                      date.isoformat(), None, None, None, None, None, [], f"{ordinal_suffix(meeting)} meeting", [],
                      "The Security Council,")
        if self.rng.random() < 0.5:
            cover.symbol_text = f"S/RES/{number} ({date.year})"  # as the cover prints it
        return cover, {"organ": "security-council"}

    def _cover_ga_draft(self, date: dt.date, topic: Topic) -> tuple[Cover, dict[str, object]]:
        rng = self.rng
        session = date.year - 1945 if date.month >= 9 else date.year - 1946
        series = COMMITTEE_SERIES[topic.committee]
        number = self.numbers.next(f"A/{series}", session, 60, 0.16 / 3, 37)
        revised = rng.random() < 0.4
        symbol = f"A/{series}/{session}/L.{number}" + ("/Rev.1" if revised else "")
        cover = Cover("ga-draft", symbol, rng.random() < 0.35, "General Assembly", topic.committee,
                      "revised_draft_resolution" if revised else "draft_resolution", rng.choice(topic.titles), None,
                      None, "Limited", date.isoformat(), f"{ordinal_words(session).capitalize()} session",
                      self._agenda_item(20, 140), topic.agenda, None, None, [], None, self._sponsors(20),
                      "The General Assembly,", committee_line=self.names.name(topic.committee))
        return cover, {"organ": "general-assembly", "session": session, "agenda": topic.agenda}

    def _cover_commission_draft(self, date: dt.date, topic: Topic) -> tuple[Cover, dict[str, object]]:
        rng = self.rng
        commission = topic.commission or "ccpcj"
        series, offset, seat, _ = COMMISSIONS[commission]
        number = self.numbers.next(series, date.year, 20, 0.13 / 3, 37)
        revised = rng.random() < 0.5
        symbol = f"{series}/{date.year}/L.{number}" + ("/Rev.1" if revised else "")
        name = self.names.name(commission)
        session = date.year - offset
        start, end = date - dt.timedelta(days=rng.randint(0, 3)), date + dt.timedelta(days=rng.randint(1, 4))
        cover = Cover("commission-draft", symbol, rng.random() < 0.35, "Economic and Social Council", commission,
                      "revised_draft_resolution" if revised else "draft_resolution", rng.choice(topic.titles), None,
                      None, "Limited", date.isoformat(), f"{ordinal_words(session).capitalize()} session",
                      str(rng.randint(3, 10)), topic.agenda, None, None, [], None, self._sponsors(12),
                      "The Economic and Social Council,", committee_line=name,
                      chapeau=f"The {name} recommends to the Economic and Social Council the adoption of the "
                              "following draft resolution:",
                      place_line=f"{seat}, {_date_range(start, end, dash='-')}")
        return cover, {"organ": commission, "session": session}

    def _cover_sc_draft(self, date: dt.date, topic: Topic) -> tuple[Cover, dict[str, object]]:
        number = self.numbers.next("S", date.year, 900, 0.05, 37)
        cover = Cover("sc-draft", f"S/{date.year}/{number}", True, "Security Council", "security-council",
                      "draft_resolution", None, None, None, "General", date.isoformat(), None, None, None, None, None,
                      [], None, self._sponsors(8), "The Security Council,")
        return cover, {"organ": "security-council"}

    def _unique(self, series: str, period: object, span: int, share: float, symbol, periods: int = 37,
                start: int = 0) -> int:
        while True:
            n = self.numbers.next(series, period, span, share, periods, start)
            if n > (CAP if series != "S/RES" else 9999):
                raise SystemExit(f"synth: more {series} documents in {period} than numbers can hold; use fewer --docs")
            if symbol(n) not in self.numbers.reserved:
                return n

    def _sponsors(self, most: int) -> list[str]:
        return sorted(self.rng.sample(self.state_labels, self.rng.randint(1, most)))

    # --- what a document cites -----------------------------------------------------------------
    def _pick(self, key: tuple[str, str], seen: set[str]) -> Target | None:
        """Preferential attachment: mostly a resolution already cited (in proportion to its citations)."""
        pool, docs = self.cited[key], self.by_topic[key]
        for _ in range(4):
            index = self.rng.choice(pool) if pool and self.rng.random() < 0.75 else self.rng.choice(docs)
            if self.targets[index].symbol not in seen:
                pool.append(index)
                return self.targets[index]
        return None

    def _groups(self, date: dt.date, topic: Topic, speaker: str) -> list[list[Target]]:
        rng = self.rng
        owners = [o for o in ("general-assembly", "ecosoc", "hrc", "security-council") if self.by_topic[(topic.key, o)]]
        groups: list[list[Target]] = []
        seen: set[str] = set()  # a document cites each resolution once (in one paragraph's list)
        for _ in range(rng.randint(1, 5) if owners else 0):
            owner = rng.choices(owners, [4 if o == speaker else 1 for o in owners])[0]
            size = 1 if rng.random() < 0.55 else rng.randint(2, 4)
            group = {}
            for _ in range(size):
                target = self._pick((topic.key, owner), seen)
                if target is not None:
                    group[target.symbol] = target
                    seen.add(target.symbol)
            if group:
                groups.append(sorted(group.values(), key=lambda t: (t.date or "", t.symbol)))
        if topic.commission and rng.random() < 0.15 and date.year > 1993:
            series, offset, _, _ = COMMISSIONS[topic.commission]
            year = rng.randint(max(1993, offset + 1), date.year - 1) if date.year > 1994 else 1993
            session, n = year - offset, rng.randint(1, 12)
            groups.append([Target(f"{series}/RES/{session}/{n}", topic.commission, f"{session}/{n}",
                                  f"{year}-05-{rng.randint(10, 28)}")])
        if rng.random() < 0.1 and speaker != "security-council":
            year = date.year - rng.randint(1, 5)
            session, n = year - 1945, rng.randint(401, 599)
            groups.append([Target(f"A/DEC/{session}/{n}", "general-assembly", f"{session}/{n}",
                                  f"{year}-12-2{rng.randint(0, 3)}", decision=True)])
        return groups

    def _reports(self, date: dt.date, speaker: str) -> list[Report]:
        rng = self.rng
        out = []
        for _ in range(rng.choices((0, 1, 2), (0.45, 0.45, 0.1))[0]):
            year = date.year
            session = year - 1945 if date.month >= 9 else year - 1946
            if speaker == "security-council":
                symbol = f"S/{year}/{rng.randint(1000, 1200)}"
                if rng.random() < 0.3:
                    out.append(Report(f"{symbol} and Add.1", (symbol, f"{symbol}/Add.1"), "secretary-general"))
                    continue
            elif speaker == "ecosoc":
                symbol = f"E/{year}/{rng.randint(50, 99)}"
            elif speaker == "hrc":
                symbol = f"A/HRC/{3 * (year - 2006) + 1}/{rng.randint(20, 60)}"
            else:
                symbol = f"A/{session}/{rng.randint(100, 399)}"
            out.append(Report(symbol, (symbol,), "secretary-general"))
        return out


def _date_range(start: dt.date, end: dt.date, dash: str = "–") -> str:
    """'18-22 May 2015', '26 February–5 April 2024', as UN covers print a session's dates."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{dash}{end.day} {months[end.month - 1]} {end.year}"
    return f"{start.day} {months[start.month - 1]}{dash}{end.day} {months[end.month - 1]} {end.year}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same bytes")
    parser.add_argument("--out", type=Path, default=Path("data/synth"), help="output folder (texts/ and gold/)")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    for sub in ("texts", "gold"):  # a rerun with fewer documents must not leave stale files behind
        folder = args.out / sub
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.txt" if sub == "texts" else "*.json"):
            stale.unlink()
    started = time.perf_counter()
    corpus = Corpus(args.docs, args.seed, args.out)
    for index in range(args.docs):
        corpus.write(index)
    seconds = time.perf_counter() - started
    print(f"synth: {args.docs} docs, {corpus.bytes / 1e6:.1f} MB, {corpus.citations} citations, "
          f"{seconds:.1f} s ({args.docs / seconds:.0f} docs/s) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
