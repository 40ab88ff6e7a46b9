"""The five urgency levels of the contract, as an ordered enum.

Ordering is by urgency: ``Urgency.EMERGENCY > Urgency.SELF_CARE``. Comparing levels, not
strings, is what lets the engine take "the most urgent of everything that applies".
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Urgency(IntEnum):
    """Contract §2 levels; a higher value is more urgent."""

    SELF_CARE = 0
    ROUTINE = 1
    SOON = 2
    URGENT = 3
    EMERGENCY = 4

    @property
    def id(self) -> str:
        """The contract id, e.g. ``"self_care"``."""
        return self.name.lower()

    @classmethod
    def from_id(cls, value: str) -> Urgency:
        """Parse a contract id; raises ``ValueError`` naming the allowed ids."""
        try:
            return cls[value.upper()]
        except KeyError:
            allowed = ", ".join(level.id for level in cls)
            raise ValueError(f"unknown urgency {value!r}; allowed: {allowed}") from None


class Fit(StrEnum):
    """How well a cause fits the answers. A ``str`` (the contract writes ``"likely"``), ordered by
    ``rank``: likely above possible above unlikely."""

    LIKELY = "likely"
    POSSIBLE = "possible"
    UNLIKELY = "unlikely"

    @property
    def rank(self) -> int:
        """2 for likely, 1 for possible, 0 for unlikely: higher fits better."""
        return {"likely": 2, "possible": 1, "unlikely": 0}[self.value]

    @property
    def shown(self) -> bool:
        """Likely and possible causes are shown; unlikely ones are left out."""
        return self is not Fit.UNLIKELY


URGENCY_IDS: tuple[str, ...] = tuple(level.id for level in sorted(Urgency, reverse=True))
"""Contract ids, most urgent first."""
