"""The phrase book of the synthetic corpus (bench/synth.py): topics, clause verbs, anchors, names.

Names of instruments, bodies and Member States are never written here: a topic lists authority
*keys*, and the printed name comes from ``ontology/authority.json`` / ``member_states.json`` (the same
data unkg matches against), so the generator and the extractor agree on what a name is while the
ground truth stays the generator's own record of what it printed.  Every fixed phrase that could hold
a name (titles, agenda items, fillers) is scanned once against the authority aliases by ``Names.named``
so that a name hidden in a phrase ("... of the Global Plan of Action ...") is recorded too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"

# Head words that longer proper names reuse ("Assembly" in "World Health Assembly"); a name that ends in
# one and continues with "on/of/to ... Capitalised" names something else (as the UN's own texts do).
_GENERIC_HEADS = {"Assembly", "Commission", "Conference", "Council", "Committee", "Convention", "Protocol",
                  "Agreement", "Declaration", "Programme", "Fund", "Charter", "Secretariat", "Court", "Board"}
_LONGER_NAME_AFTER = re.compile(r"^\s+(?:on|against|for|of|to)\s+(?:the\s+)?[A-Z]")
_WORD = re.compile(r"[\w’'-]+")


@cache
def _alias_pattern(alias: str) -> re.Pattern[str]:
    """Multi-word names match in any case, single words and acronyms only as printed (as unkg matches them)."""
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", re.I if len(alias.split()) > 1 else 0)


@dataclass(frozen=True)
class Entry:
    """One authority entry: its key, kind and the name the generator prints for it."""

    key: str
    kind: str  # instrument | body | state
    name: str
    unts: tuple[int, int] | None
    adopted_by: str | None


class Names:
    """The authority data, read once: printed names, and which names a phrase contains."""

    def __init__(self) -> None:
        authority = json.loads((ONTOLOGY / "authority.json").read_text(encoding="utf-8"))
        states = json.loads((ONTOLOGY / "member_states.json").read_text(encoding="utf-8"))
        self.entries: dict[str, Entry] = {}
        # aliases by their first word (lower case): a phrase is only matched against names that could start in it
        self._by_word: dict[str, list[tuple[str, str, str]]] = {}
        self._named: dict[str, tuple[tuple[str, str], ...]] = {}
        for kind, rows in (("instrument", authority["instruments"]), ("body", authority["bodies"]),
                           ("state", states)):
            for row in rows:
                aliases = [a for a in [row["label"], *row.get("aliases", [])] if a]
                printed = next((a for a in row.get("aliases", []) if not a.isupper()), row["label"])
                unts = row.get("unts")
                self.entries[row["key"]] = Entry(row["key"], kind, printed,
                                                 (unts["volume"], unts["number"]) if unts else None,
                                                 row.get("adopted_by"))
                for alias in dict.fromkeys(aliases):
                    first = _WORD.findall(alias.lower())[0]
                    self._by_word.setdefault(first, []).append((alias, kind, row["key"]))
        self.state_keys = {row["label"]: row["key"] for row in states}

    def entry(self, key: str) -> Entry:
        try:
            return self.entries[key]
        except KeyError:
            raise KeyError(f"authority key {key!r} is not in ontology/authority.json or member_states.json") from None

    def name(self, key: str) -> str:
        return self.entry(key).name

    def named(self, phrase: str) -> tuple[tuple[str, str], ...]:
        """(kind, key) of every authority name printed in a fixed phrase, nested names included.

        A match that is only the generic head of a longer name ("Conference of the Parties to the
        Convention" inside "... to the Convention on Biological Diversity") does not count.
        """
        known = self._named.get(phrase)
        if known is not None:  # phrases come from a fixed vocabulary: each is scanned once
            return known
        found: dict[tuple[str, str], None] = {}
        candidates = [c for word in dict.fromkeys(_WORD.findall(phrase.lower())) for c in self._by_word.get(word, ())]
        for alias, kind, key in candidates:
            for m in _alias_pattern(alias).finditer(phrase):
                words = m.group(0).split()
                if words[-1] in _GENERIC_HEADS and _LONGER_NAME_AFTER.match(phrase[m.end():]):
                    continue
                before = phrase[: m.start()].split()
                if words[0] in _GENERIC_HEADS and before and before[-1][:1].isupper() and \
                        before[-1] not in {"The", "Its"} and not before[-1].endswith((".", ":")):
                    continue
                found[(kind, key)] = None
                break
        self._named[phrase] = tuple(found)
        return self._named[phrase]


# Topics: what a resolution is about, with the authority keys it draws its names from.
@dataclass(frozen=True)
class Topic:
    key: str
    subject: str            # the noun phrase the fillers speak of
    titles: tuple[str, ...]
    agenda: str             # the agenda item's title
    committee: str          # the General Assembly Main Committee that reports on it
    commission: str | None  # the functional commission recommending ECOSOC texts on it
    instruments: tuple[str, ...]
    bodies: tuple[str, ...]
    anchors: tuple[str, ...]  # real documents cited very often under this topic


TOPICS: tuple[Topic, ...] = (
    Topic("trafficking", "trafficking in persons",
          ("Improving the coordination of efforts against trafficking in persons",
           "Implementation of the United Nations Global Plan of Action to Combat Trafficking in Persons",
           "Trafficking in women and girls",
           "Strengthening international cooperation to protect victims of trafficking in persons"),
          "Crime prevention and criminal justice", "third-committee", "ccpcj",
          ("untoc", "tip-protocol", "global-plan-of-action", "crc-opsc", "slavery-supplementary-convention",
           "ilo-c029", "smuggling-protocol", "recommended-principles-guidelines", "agenda-2030"),
          ("unodc", "icat", "ohchr", "iom", "ilo", "unicef", "sr-trafficking", "unvtf-tip", "untoc-cop",
           "cop-wg-tip", "un-women", "interpol"),
          ("A/RES/64/293", "A/RES/55/25", "A/RES/70/1", "A/RES/72/1")),
    Topic("children", "violence against children",
          ("Rights of the child", "The girl child", "Protecting children from bullying",
           "Child, early and forced marriage"),
          "Promotion and protection of the rights of children", "third-committee", None,
          ("crc", "crc-opsc", "crc-opac", "crc-opic", "ilo-c182", "ilo-c138", "agenda-2030"),
          ("unicef", "committee-on-the-rights-of-the-child", "srsg-vac", "ohchr", "unesco", "who"),
          ("A/RES/44/25", "A/RES/70/1", "A/RES/217(III)")),
    Topic("women", "violence against women and girls",
          ("Intensification of efforts to prevent and eliminate all forms of violence against women and girls",
           "Improvement of the situation of women and girls in rural areas",
           "Women and peace and security", "Trafficking in women and girls"),
          "Advancement of women", "third-committee", "csw",
          ("cedaw", "cedaw-op", "beijing-declaration", "declaration-violence-against-women", "agenda-2030"),
          ("un-women", "cedaw-committee", "unfpa", "undp", "ohchr", "who"),
          ("A/RES/34/180", "A/RES/70/1", "S/RES/1325(2000)")),
    Topic("torture", "torture and other cruel, inhuman or degrading treatment or punishment",
          ("Torture and other cruel, inhuman or degrading treatment or punishment",
           "Prevention of torture: the role of forensic expertise",
           "United Nations Voluntary Fund for Victims of Torture"),
          "Promotion and protection of human rights", "third-committee", None,
          ("cat", "opcat", "udhr", "iccpr", "nelson-mandela-rules", "rome-statute"),
          ("committee-against-torture", "spt", "ohchr", "international-criminal-court"),
          ("A/RES/217(III)", "A/RES/39/46", "A/RES/60/1")),
    Topic("migration", "abuses against migrants",
          ("Protection of migrants", "Assistance to refugees, returnees and displaced persons in Africa",
           "Violence against women migrant workers", "International migration and development"),
          "Promotion and protection of human rights", "third-committee", None,
          ("refugee-convention", "refugee-protocol", "new-york-declaration", "global-compact-migration",
           "global-compact-refugees", "icmw", "smuggling-protocol", "agenda-2030"),
          ("unhcr", "iom", "cmw-committee", "ilo", "ohchr", "undp"),
          ("A/RES/71/1", "A/RES/70/1", "A/RES/217(III)")),
    Topic("drugs", "the world drug problem",
          ("International cooperation to address and counter the world drug problem",
           "Promoting alternative development as a development-oriented drug control strategy",
           "Strengthening international cooperation in addressing the non-medical use of synthetic drugs"),
          "International drug control", "third-committee", "cnd",
          ("single-convention-1961", "psychotropic-convention-1971", "drug-trafficking-convention-1988",
           "untoc", "agenda-2030"),
          ("cnd", "unodc", "incb", "who", "undp", "interpol"),
          ("A/RES/70/1", "A/RES/55/25", "A/RES/60/1")),
    Topic("crime", "transnational organized crime",
          ("Strengthening the rule of law and the reform of criminal justice institutions",
           "Preventing and combating corrupt practices and the transfer of proceeds of corruption",
           "Technical assistance for implementing the international conventions and protocols",
           "Standards and norms in crime prevention and criminal justice"),
          "Crime prevention and criminal justice", "third-committee", "ccpcj",
          ("uncac", "untoc", "nelson-mandela-rules", "bangkok-rules", "tokyo-rules", "doha-declaration",
           "kyoto-declaration", "firearms-protocol"),
          ("unodc", "ccpcj", "uncac-cosp", "unicri", "untoc-cop", "un-crime-congress"),
          ("A/RES/55/25", "A/RES/70/174", "A/RES/70/1")),
    Topic("development", "extreme poverty",
          ("Disaster risk reduction", "Protection of global climate for present and future generations of humankind",
           "Eradicating rural poverty to implement the 2030 Agenda for Sustainable Development",
           "Follow-up to the International Conference on Financing for Development"),
          "Sustainable development", "second-committee", None,
          ("agenda-2030", "addis-ababa-action-agenda", "sendai-framework", "unfccc", "paris-agreement", "cbd",
           "rio-declaration"),
          ("undp", "unep", "desa", "hlpf", "fao", "world-bank", "unfccc-cop"),
          ("A/RES/70/1", "A/RES/60/1", "A/RES/69/313")),
    Topic("disarmament", "the illicit trade in small arms and light weapons",
          ("The illicit trade in small arms and light weapons in all its aspects",
           "Towards a nuclear-weapon-free world: accelerating the implementation of nuclear disarmament commitments",
           "Implementation of the Convention on the Prohibition of the Development, Production and Stockpiling "
           "of Bacteriological (Biological) and Toxin Weapons and on Their Destruction"),
          "General and complete disarmament", "first-committee", None,
          ("npt", "att", "cwc", "bwc", "poa-small-arms", "un-charter"),
          ("unoda", "iaea", "conference-on-disarmament", "opcw", "unidir", "disarmament-commission"),
          ("A/RES/60/1", "A/RES/70/1")),
    Topic("human-rights", "violations and abuses of human rights",
          ("Recognizing the contribution of human rights defenders",
           "Human rights and unilateral coercive measures", "Prevention of genocide",
           "The right to privacy in the digital age"),
          "Promotion and protection of human rights", "third-committee", None,
          ("udhr", "iccpr", "icescr", "vienna-declaration", "declaration-human-rights-defenders",
           "genocide-convention", "un-charter"),
          ("ohchr", "human-rights-committee", "cescr-committee", "hrc-advisory-committee"),
          ("A/RES/217(III)", "A/RES/60/1", "A/RES/48/134")),
    Topic("indigenous", "discrimination against indigenous peoples",
          ("Rights of indigenous peoples", "International Decade of Indigenous Languages"),
          "Rights of indigenous peoples", "third-committee", None,
          ("declaration-rights-indigenous-peoples", "ilo-c169", "udhr", "agenda-2030"),
          ("unpfii", "emrip", "ohchr", "unesco", "ilo"),
          ("A/RES/61/295", "A/RES/70/1")),
)

# The year an instrument was adopted or a body established (from 1945 on), so that a 1995 text names
# neither the 2030 Agenda nor UN-Women.  Keys not listed are older than the corpus.
SINCE: dict[str, int] = {
    "untoc": 2000, "tip-protocol": 2000, "smuggling-protocol": 2000, "firearms-protocol": 2001,
    "global-plan-of-action": 2010, "crc-opsc": 2000, "crc-opac": 2000, "crc-opic": 2011, "crc": 1989,
    "ilo-p029": 2014, "ilo-c182": 1999, "recommended-principles-guidelines": 2002, "agenda-2030": 2015,
    "cedaw-op": 1999, "beijing-declaration": 1995, "declaration-violence-against-women": 1993, "opcat": 2002,
    "nelson-mandela-rules": 2015, "rome-statute": 1998, "new-york-declaration": 2016, "global-compact-migration": 2018,
    "global-compact-refugees": 2018, "icmw": 1990, "uncac": 2003, "bangkok-rules": 2010, "tokyo-rules": 1990,
    "doha-declaration": 2015, "kyoto-declaration": 2021, "addis-ababa-action-agenda": 2015, "sendai-framework": 2015,
    "unfccc": 1992, "paris-agreement": 2015, "cbd": 1992, "rio-declaration": 1992, "att": 2013, "cwc": 1993,
    "poa-small-arms": 2001, "vienna-declaration": 1993, "declaration-human-rights-defenders": 1998,
    "declaration-rights-indigenous-peoples": 2007, "world-summit-outcome-2005": 2005,
    "political-declaration-2017": 2017, "paris-principles": 1993,
    "hrc": 2006, "un-women": 2010, "icat": 2007, "unvtf-tip": 2010, "sr-trafficking": 2007, "spt": 2007,
    "hlpf": 2013, "emrip": 2007, "unpfii": 2000, "ccpcj": 1992, "unodc": 1997, "ohchr": 1993,
    "committee-against-torture": 1988, "cmw-committee": 2004, "untoc-cop": 2004, "uncac-cosp": 2006,
    "un-crime-congress": 2015, "international-criminal-court": 2002, "opcw": 1997, "hrc-advisory-committee": 2008,
    "srsg-vac": 2009, "unmiss": 2011, "monusco": 2010, "minusca": 2014, "minusma": 2013, "unsom": 2013,
    "unsos": 2015, "atmis": 2022, "african-union": 2002, "unsmil": 2011, "unama": 2002, "unfccc-cop": 1995,
    "desa": 1997, "unoda": 1998, "committee-on-the-rights-of-the-child": 1991, "cescr-committee": 1987,
    "igad": 1996, "icglr": 2006, "eccas": 1983,
}


# Security Council files: the country or theme, the missions and partners it names.
SC_FILES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("south-sudan", ("unmiss", "african-union", "igad")),
    ("democratic-republic-of-the-congo", ("monusco", "african-union", "icglr")),
    ("central-african-republic", ("minusca", "african-union", "eccas")),
    ("mali", ("minusma", "african-union", "ecowas")),
    ("somalia", ("unsom", "unsos", "atmis", "african-union")),
    ("libya", ("unsmil", "african-union", "league-of-arab-states")),
    ("afghanistan", ("unama", "unodc")),
    ("lebanon", ("unifil",)),
    ("cyprus", ("unficyp",)),
    ("haiti", ("unodc", "oas", "caricom")),
)

# Real documents that very many resolutions cite: printed number, owner, date, the instrument they adopt.
ANCHORS: dict[str, tuple[str, str, str, str | None]] = {
    "A/RES/64/293": ("64/293", "general-assembly", "2010-07-30", "global-plan-of-action"),
    "A/RES/70/1": ("70/1", "general-assembly", "2015-09-25", "agenda-2030"),
    "A/RES/55/25": ("55/25", "general-assembly", "2000-11-15", "untoc"),
    "A/RES/72/1": ("72/1", "general-assembly", "2017-09-27", "political-declaration-2017"),
    "A/RES/71/1": ("71/1", "general-assembly", "2016-09-19", "new-york-declaration"),
    "A/RES/60/1": ("60/1", "general-assembly", "2005-09-16", "world-summit-outcome-2005"),
    "A/RES/44/25": ("44/25", "general-assembly", "1989-11-20", "crc"),
    "A/RES/34/180": ("34/180", "general-assembly", "1979-12-18", "cedaw"),
    "A/RES/39/46": ("39/46", "general-assembly", "1984-12-10", "cat"),
    "A/RES/217(III)": ("217 A (III)", "general-assembly", "1948-12-10", "udhr"),
    "A/RES/48/134": ("48/134", "general-assembly", "1993-12-20", "paris-principles"),
    "A/RES/70/174": ("70/174", "general-assembly", "2015-12-17", "doha-declaration"),
    "A/RES/69/313": ("69/313", "general-assembly", "2015-07-27", "addis-ababa-action-agenda"),
    "A/RES/61/295": ("61/295", "general-assembly", "2007-09-13", "declaration-rights-indigenous-peoples"),
    "S/RES/1325(2000)": ("1325 (2000)", "security-council", "2000-10-31", None),
}

PREAMBULAR_VERBS = ("Recalling", "Reaffirming", "Bearing in mind", "Noting", "Noting with appreciation",
                    "Taking note of", "Welcoming", "Recognizing", "Emphasizing", "Stressing", "Deeply concerned",
                    "Expressing concern", "Guided by", "Mindful", "Acknowledging", "Convinced", "Alarmed",
                    "Underlining", "Noting with concern", "Reiterating", "Affirming", "Determined")
# Second and third uses of a verb in a row, as the UN drafts them.
AGAIN = {"Recalling": ("Recalling also", "Recalling further"), "Reaffirming": ("Reaffirming also",),
         "Recognizing": ("Recognizing also", "Recognizing further"), "Welcoming": ("Welcoming also",),
         "Noting": ("Noting also", "Noting further"), "Taking note of": ("Taking note also of",),
         "Stressing": ("Stressing also",), "Emphasizing": ("Emphasizing also",)}
OPERATIVE_VERBS = ("Urges", "Requests", "Calls upon", "Invites", "Encourages", "Decides", "Welcomes", "Reaffirms",
                   "Stresses", "Emphasizes", "Recognizes", "Notes with appreciation", "Condemns", "Acknowledges",
                   "Underlines", "Expresses its appreciation to")

# Filler clauses: what a paragraph says when it names nothing.  {s} is the topic's subject.  A preambular
# filler comes with the participles that can open it ("Convinced that ...", "Deeply concerned about ...").
_THAT = ("Recognizing", "Bearing in mind", "Convinced", "Noting", "Stressing", "Emphasizing", "Affirming", "Mindful",
         "Reaffirming", "Acknowledging", "Underlining")
_THE = ("Recognizing", "Stressing", "Emphasizing", "Underlining", "Reaffirming", "Acknowledging", "Bearing in mind")
PREAMBULAR_FILLERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (_THAT, "that {s} continues to pose a serious challenge to humanity and requires a concerted international "
            "assessment and response and genuine multilateral, regional and bilateral cooperation"),
    (_THAT, "that all States have an obligation to exercise due diligence to prevent and address {s}, and that not "
            "doing so impairs the enjoyment of human rights and fundamental freedoms"),
    (_THAT, "that capacity-building is a very important component in addressing {s}, and in this regard stressing "
            "the need to intensify international cooperation, as well as technical assistance for countries"),
    (("Deeply concerned", "Expressing concern", "Alarmed"),
     "about the increasing links in some regions between organized criminal groups and {s}"),
    (("Deeply concerned", "Expressing deep concern"),
     "that persons in vulnerable situations continue to be disproportionately affected by {s}"),
    (_THE, "the importance of bilateral, subregional, regional and international cooperation mechanisms and "
           "initiatives, including information exchanges on good practices, to address {s}"),
    (_THAT, "that broad international cooperation between Member States and relevant intergovernmental and "
            "non-governmental organizations is essential for effectively countering the threats related to {s}"),
    (_THE, "the need to continue to foster a global partnership on {s} among all stakeholders and to work towards "
           "an enhanced comprehensive and coordinated approach"),
    (_THAT, "that policies and programmes on {s} should be gender- and age-sensitive and take into account the "
            "needs of persons in vulnerable situations"),
    (("Welcoming", "Noting with appreciation", "Acknowledging"),
     "the efforts of Member States, international organizations, civil society organizations and the private "
     "sector to address {s}, and emphasizing the urgent need for them to further enhance their cooperation"),
    (_THE, "the importance of reliable, disaggregated data on {s} for evidence-based policymaking"),
    (("Determined",), "to strengthen international cooperation in order to address {s} in all its aspects"),
)
OPERATIVE_FILLERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("Urges", "Calls upon", "Encourages"), "Member States to take all appropriate measures to prevent and address "
                                            "{s}, in accordance with their obligations under international law"),
    (("Encourages", "Invites", "Calls upon"), "Member States, international organizations and civil society to "
                                              "continue to raise awareness of {s} and to share best practices and "
                                              "lessons learned"),
    (("Invites", "Encourages"), "Member States and other donors to provide extrabudgetary resources for the "
                                "purposes described above, in accordance with the rules and procedures of the "
                                "United Nations"),
    (("Encourages", "Calls upon"), "Member States to strengthen the collection and analysis of data on {s}, "
                                   "disaggregated by sex, age and other relevant factors"),
    (("Encourages", "Invites", "Urges"), "Member States to develop and implement national policies and action "
                                         "plans on {s}, with the participation of all relevant stakeholders"),
    (("Requests", "Encourages"), "the relevant entities of the United Nations system to continue to coordinate "
                                 "their activities on {s} in order to avoid duplication of efforts"),
    (("Urges", "Calls upon"), "Member States to ensure access to justice and effective remedies for victims, with "
                              "full respect for their human rights"),
    (("Stresses", "Emphasizes", "Underlines"), "the importance of technical assistance to Member States, upon their "
                                               "request, aimed at strengthening their capacity to address {s}"),
    (("Condemns",), "all acts of violence and abuse related to {s}, wherever and by whomever committed"),
    (("Recognizes", "Acknowledges"), "the important contribution of civil society and the private sector to "
                                     "efforts to address {s}"),
)
SUBITEMS = (
    "To promote universal ratification of the relevant international instruments",
    "To help Member States to reinforce their political commitments and legal obligations",
    "To promote comprehensive, coordinated and consistent responses at the national, regional and "
    "international levels",
    "To raise awareness among States and other stakeholders and the public at large",
    "To foster cooperation and coordination among all relevant stakeholders",
    "To strengthen the collection of data and the exchange of information",
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_ORD_UNITS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
              "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
              "eighteenth", "nineteenth")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORD_TENS = ("", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth",
             "ninetieth")


def ordinal_words(n: int) -> str:
    """72 -> 'seventy-second' (sessions are printed in words, 1-99)."""
    if n < 20:
        return _ORD_UNITS[n]
    tens, unit = divmod(n, 10)
    return _ORD_TENS[tens] if unit == 0 else f"{_TENS[tens]}-{_ORD_UNITS[unit]}"


def ordinal_suffix(n: int) -> str:
    """40 -> '40th', 9752 -> '9752nd'."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def printed_date(iso: str) -> str:
    """'2010-07-30' -> '30 July 2010'."""
    year, month, day = iso.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), *ROMAN):
        while n >= value:
            out, n = out + letters, n - value
    return out
