"""UN document symbols: the families, how a printed reference becomes a symbol.

A symbol is the UN's identifier of a document (``A/RES/64/293``,
``E/CN.15/2015/L.3/Rev.1``, ``S/RES/2331(2016)``).  Resolutions are usually
cited by number only ("resolution 64/293"), and which symbol a number stands
for depends on the body that adopted it; ``resolution_symbol`` holds those
rules, ``PLAIN_SYMBOL`` finds symbols printed as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Series that open a UN document symbol, by the organ or body that issues it, each with an example.
# A series may carry a session number after a dot (UNIDO's "GC.18/INF/4", "IDB.47/Dec.3").
SERIES_EXAMPLES: dict[str, str] = {
    # Principal organs and their subsidiary bodies.
    "A": "General Assembly: A/71/119, A/RES/70/1, A/C.3/72/L.13/Rev.1, A/HRC/RES/32/3, A/ES-10/273/Corr.1",
    "E": "Economic and Social Council: E/2002/68/Add.1, E/CN.15/RES/27/2, E/ESCWA/S-6/14, E/CN.16/2018/CRP.3",
    "S": "Security Council: S/2020/834, S/RES/2331 (2016), S/PRST/2019/3, S/AC.47/2023/COMM.8",
    "ST": "Secretariat: ST/SGB/2003/13, ST/AI/2017/1",
    "SG": "Secretary-General's statements: SG/SM/...",
    "JIU": "Joint Inspection Unit: JIU/REP/...",
    "CEB": "Chief Executives Board: CEB/...",
    "ACC": "Administrative Committee on Coordination: ACC/...",
    "ICSC": "International Civil Service Commission: ICSC/...",
    "DPI": "Department of Public Information: DPI/...",
    "PBC": "Peacebuilding Commission: PBC/...",
    # Programmes, funds and their boards.
    "DP": "UNDP/UNFPA/UNOPS Executive Board: DP/FPA/2019/1",
    "UNDP": "UNDP: UNDP/...", "UNFPA": "UNFPA: UNFPA/...", "UNICEF": "UNICEF: UNICEF/...", "WFP": "WFP: WFP/...",
    "UNW": "UN-Women Executive Board: UNW/2019/1",
    "UNHCR": "UNHCR: UNHCR/...", "UNITAR": "UNITAR: UNITAR/...",
    "UNEP": "UNEP and the conventions it serves: UNEP/EA.5/Res.14, UNEP/GC.27/17, UNEP/OzL.Pro.28/12, "
            "UNEP/CBD/BS/COP-MOP/5/17",
    "HSP": "UN-Habitat: HSP/HA.1/HLS.2, HSP/EB.2020/12/Rev.1",
    "TD": "UNCTAD's Trade and Development Board: TD/B/C.I/55", "UNCTAD": "UNCTAD: UNCTAD/DTL/STICT/2019/4",
    "TRADE": "ECE trade committee: TRADE/...", "ECE": "Economic Commission for Europe: ECE/...",
    "CCPCJ": "CCPCJ: CCPCJ/...", "CND": "CND: CND/...",
    # UNIDO: the organ and its session in the series ("GC.18/INF/4", "IDB.47/...").
    "GC": "UNIDO General Conference: GC.18/INF/4", "IDB": "UNIDO Industrial Development Board: IDB.47/...",
    # Treaty bodies and conferences of States parties.
    "CTOC": "UNTOC Conference of the Parties: CTOC/COP/2020/10", "CAC": "UNCAC: CAC/COSP/RES/8/1",
    "FCCC": "UNFCCC: FCCC/CP/2015/10/Add.1, FCCC/KP/CMP/2005/8/Add.1", "CBD": "Biological Diversity: CBD/COP/15/17",
    "ICCD": "Desertification: ICCD/COP(13)/21", "NPT": "NPT conferences: NPT/CONF.2000/28 (Parts I and II)",
    "TPNW": "Prohibition of Nuclear Weapons: TPNW/MSP/...", "APLC": "Anti-Personnel Mine Ban: APLC/...",
    "CCW": "Certain Conventional Weapons: CCW/...", "BWC": "Biological Weapons: BWC/...",
    "CD": "Conference on Disarmament: CD/1299", "OEWG": "open-ended working groups: OEWG/...",
    "SPLOS": "States Parties to UNCLOS: SPLOS/...", "ISBA": "International Seabed Authority: ISBA/...",
    "ISA": "International Seabed Authority: ISA/...", "ITLOS": "Law of the Sea Tribunal: ITLOS/...",
    "CLCS": "Limits of the Continental Shelf: CLCS/11/Add.1/Corr.1, CLCS/40/Rev.1",
    "CCPR": "Human Rights Committee: CCPR/C/GC/36", "CEDAW": "CEDAW Committee: CEDAW/C/GC/35",
    "CRC": "Committee on the Rights of the Child: CRC/C/GC/13", "CERD": "CERD Committee: CERD/C/...",
    "CAT": "Committee against Torture: CAT/C/...", "CRPD": "CRPD Committee: CRPD/C/...",
    "CMW": "Migrant Workers Committee: CMW/C/...", "CED": "Enforced Disappearances: CED/C/7, CED/CSP/2016/4",
    "HRI": "treaty bodies together: HRI/GEN/...",
    "TREATY": "treaty section: TREATY/...", "WHA": "World Health Assembly: WHA/...",
}
SERIES = tuple(SERIES_EXAMPLES)

# One part of a symbol: "S-26", "ES-10", "Add.1", "OzL.Pro.28", "RES", "C.3", "C.I", "CN.15", "COP(13)",
# "COP-MOP", "SR.1-28" (a range of summary records), "2015", "L.13".
_COMPONENT = (r"(?:E?S-\d{1,2}(?![\w-])|[A-Z][a-z]{1,4}\.\d{1,3}|[A-Z][A-Za-z]{1,4}(?:\.[A-Z][a-z]{1,4})+\.\d{1,3}"
              r"|[A-Z]{1,12}(?:-[A-Z]{1,12})?(?:\.(?:\d{1,4}(?:[-–]\d{1,4})?|[IVX]{1,5}(?![a-z])))?(?:\(\d{1,3}\))?"
              r"|\d{1,6}(?:\.\d{1,3})?(?:[A-Z](?:-[A-Z])?)?)")
# A printed suffix in brackets: a part or parts, a Security Council year, an early General Assembly session
# (a special or emergency special one: "(S-IV)", "(ES-V)"), a supplement, a volume, the introduction or a
# section of a budget ("A/76/6 (Introduction)", "A/78/6 (Sect. 26)").
_SUFFIX = (r"(?:\s?\((?:Parts?\s?[IVX]+(?:\s?(?:and|-|–)\s?[IVX]+)?|\d{4}|SUPP|Vol\.\s?[IVX]+|E?S-[IVX]+"
           r"|[IVXL]{1,7}|Introduction|Sect\.\s?\d{1,3})\))")
PLAIN_SYMBOL = re.compile(
    # Not inside another word or symbol.  A joint symbol ("A/75/195-S/2020/834") names one document, which
    # the UN's links cite by its first symbol: the second half is not a symbol of its own.
    r"(?<![\w/.-])"
    rf"(?:{'|'.join(sorted(SERIES, key=len, reverse=True))})(?:\.\d{{1,3}})?"
    rf"(?:/{_COMPONENT})+"
    rf"{_SUFFIX}?"
    r"(?:/(?:Add|Rev|Corr|Amend)\.\d{1,3}|/Corrigendum)*"
    r"(?![\w/])"
)
_HAS_DIGIT = re.compile(r"\d")

MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], 1)}
DATE = r"\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}"


def iso_date(text: str) -> str | None:
    """'30 July 2010' -> '2010-07-30'."""
    m = re.fullmatch(r"(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})", text.strip())
    if not m or m.group(2) not in MONTHS:
        return None
    return f"{int(m.group(3)):04d}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"


def normalize_symbol(raw: str) -> str | None:
    """A printed symbol as the UN writes it in links: no spaces, no trailing punctuation.

    ``'A/73/12 (Part I)'`` -> ``'A/73/12(PartI)'``, ``'S/RES/2331 (2016)'`` -> ``'S/RES/2331(2016)'``;
    a range printed with an en dash takes a hyphen, as the links write it
    (``'A/C.6/64/SR.1–28'`` -> ``'A/C.6/64/SR.1-28'``).
    Returns None when the text is not a well-formed symbol.
    """
    symbol = re.sub(r"\s+", "", raw).rstrip(".,;:").replace("–", "-")
    if not is_symbol(symbol):
        return None
    return symbol


def is_symbol(symbol: str) -> bool:
    """Whether a string is a well-formed UN document symbol (series, at least one part, a digit)."""
    if not symbol or re.search(r"[\s–]", symbol):
        return False
    m = PLAIN_SYMBOL.fullmatch(re.sub(r"\(Part([IVX]+)\)", r"(Part \1)", symbol))
    return bool(m) and bool(_HAS_DIGIT.search(symbol))


@dataclass(frozen=True)
class Family:
    """A family of resolution/decision symbols: how a number printed in a text maps to a symbol."""

    name: str
    resolution: str
    decision: str | None
    example: str


# Bodies whose resolutions are cited by number, with the symbol each number takes.
FAMILIES: dict[str, Family] = {f.name: f for f in [
    Family("general-assembly", "A/RES/{n}", "A/DEC/{n}", "resolution 64/293 -> A/RES/64/293"),
    Family("ecosoc", "E/RES/{n}", "E/DEC/{n}", "resolution 2017/18 -> E/RES/2017/18"),
    Family("hrc", "A/HRC/RES/{n}", "A/HRC/DEC/{n}", "Human Rights Council resolution 32/3 -> A/HRC/RES/32/3"),
    Family("security-council", "S/RES/{n}", None, "resolution 2331 (2016) -> S/RES/2331(2016)"),
    Family("chr", "E/CN.4/RES/{n}", "E/CN.4/DEC/{n}", "Commission on Human Rights resolution 2004/110"),
    Family("ccpcj", "E/CN.15/RES/{n}", "E/CN.15/DEC/{n}", "CCPCJ resolution 27/2 -> E/CN.15/RES/27/2"),
    Family("cnd", "E/CN.7/RES/{n}", "E/CN.7/DEC/{n}", "CND resolution 61/1 -> E/CN.7/RES/61/1"),
    Family("csw", "E/CN.6/RES/{n}", "E/CN.6/DEC/{n}", "CSW resolution 60/2 -> E/CN.6/RES/60/2"),
    Family("untoc-cop", "CTOC/COP/RES/{n}", "CTOC/COP/DEC/{n}", "COP resolution 9/1 -> CTOC/COP/RES/9/1"),
    Family("uncac-cosp", "CAC/COSP/RES/{n}", "CAC/COSP/DEC/{n}", "COSP resolution 8/1 -> CAC/COSP/RES/8/1"),
]}

# How a body is named just before "resolution(s)"/"decision(s)", longest first.
OWNER_NAMES: tuple[tuple[str, str], ...] = (
    ("Conference of the Parties to the United Nations Convention against Transnational Organized Crime",
     "untoc-cop"),
    ("Conference of the States Parties to the United Nations Convention against Corruption", "uncac-cosp"),
    ("Commission on Crime Prevention and Criminal Justice", "ccpcj"),
    ("Commission on the Status of Women", "csw"),
    ("Commission on Narcotic Drugs", "cnd"),
    ("Commission on Human Rights", "chr"),
    ("Economic and Social Council", "ecosoc"),
    ("Human Rights Council", "hrc"),
    ("Security Council", "security-council"),
    ("General Assembly", "general-assembly"),
    ("Assembly", "general-assembly"),
)

ROMAN = r"(?:[IVXL]{1,7})"
# One resolution number as printed, with the shape that tells its family.
NUMBER = re.compile(
    r"(?P<special>(?:ES|S)-\d{1,2}/\d{1,3})"
    # The first thirty sessions: "217 A (III)", "1874 (S-IV)" (fourth special), "2252 (ES-V)" (fifth emergency special).
    rf"|(?P<old>\d{{1,4}})(?:\s?(?P<oldletter>[A-Z])(?:\s?(?:and|-)\s?[A-Z])?)?\s?\((?P<roman>(?:E?S-)?{ROMAN})\)"
    r"|(?P<sc>\d{1,4})\s?\((?P<scyear>(?:19[4-9]\d|20\d\d))\)"
    # ECOSOC, by year; a resolution in parts keeps its letter ("2021/2 B").
    r"|(?P<year>(?:19[4-9]\d|20\d\d))/(?P<yn>\d{1,3})(?:\s?(?P<yletter>[A-Z])(?![\w(]))?(?!\d|/)"
    r"|(?P<session>\d{1,3})/(?P<sn>\d{1,3})"
    r"(?:\s?(?P<letter>[A-Z])(?:\s?(?:and|to|-)\s?(?P<last>[A-Z]))?(?![\w(]))?(?!\d|/)"
)


def number_shape(m: re.Match[str]) -> str:
    """Which kind of number a NUMBER match is: special, old, sc, year or session."""
    for shape in ("special", "old", "sc", "year", "session"):
        if m.group(shape):
            return shape
    raise ValueError(m.group(0))


def resolution_symbol(m: re.Match[str], owner: str, *, decision: bool = False) -> str | None:
    """The symbol of a resolution/decision number, given the body it belongs to.

    The number's shape overrides a body that cannot have issued it: a
    ``YYYY/N`` number is ECOSOC's (or a former commission's), ``N (YYYY)`` the
    Security Council's, ``N (XV)`` an early General Assembly resolution.
    """
    shape = number_shape(m)
    if shape == "sc":
        return f"S/RES/{int(m.group('sc'))}({m.group('scyear')})"
    if shape == "old":
        if decision and owner == "ecosoc":
            return f"E/DEC/{int(m.group('old'))}({m.group('roman')})"
        if owner == "ecosoc":
            return f"E/RES/{int(m.group('old'))}({m.group('roman')})"
        return f"A/RES/{int(m.group('old'))}({m.group('roman')})"
    if shape == "special":
        number = m.group("special").replace(" ", "")
        if owner == "hrc":
            return f"A/HRC/{'DEC' if decision else 'RES'}/{number}"
        return f"A/{'DEC' if decision else 'RES'}/{number}"
    if shape == "year":
        if owner not in ("ecosoc", "chr", "ccpcj", "cnd", "csw"):
            owner = "ecosoc"
        if owner in ("ccpcj", "cnd", "csw"):
            owner = "ecosoc"  # the functional commissions number by session, not by year
        number = f"{m.group('year')}/{int(m.group('yn'))}{m.group('yletter') or ''}"
    else:
        if owner in ("ecosoc", "security-council", "chr"):
            owner = "general-assembly"
        # Parts keep their letters as the UN's symbols do: "72/248 B" -> 72/248B, "73/102 A and B" -> 73/102A-B.
        letters = (m.group("letter") or "") + (f"-{m.group('last')}" if m.group("last") else "")
        number = f"{int(m.group('session'))}/{int(m.group('sn'))}{letters}"
    family = FAMILIES.get(owner) or FAMILIES["general-assembly"]
    template = family.decision if decision else family.resolution
    if template is None:
        return None
    return template.format(n=number)
