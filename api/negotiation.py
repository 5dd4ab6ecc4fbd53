"""HTTP content negotiation: pick what to send from an ``Accept`` header, q-values honoured.

Used by the SPARQL endpoint, the service description and the dumps, which all
offer several serializations of the same answer.  The rules are RFC 9110's:
the most specific media range that matches an offer gives its quality
(``text/turtle`` beats ``text/*`` beats ``*/*``), ``q=0`` means "not this",
and among equally good offers the server's order of preference decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How precisely this range names ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``, -1 no match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped, not fatal."""
    ranges: list[MediaRange] = []
    for entry in (header or "").split(","):
        media, *params = (part.strip() for part in entry.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The quality the client gives ``media_type``: that of the most specific range matching it (0 if none)."""
    best, best_specificity = 0.0, -1
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity > best_specificity:
            best, best_specificity = media_range.q, specificity
    return best


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client likes best (ties go to the earlier offer), or ``None`` if it accepts none.

    No ``Accept`` header (or an empty one) means anything is fine: the first offer.
    """
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0] if offers else None
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def prefers_text(accept: str | None) -> bool:
    """Whether an error should be plain text rather than JSON for this client.

    Text when the client rates ``text/plain`` above ``application/json``; JSON
    when they tie (``*/*``) or when neither is acceptable, since JSON is the
    service's error format.
    """
    return negotiate(accept, ("application/json", "text/plain")) == "text/plain"
