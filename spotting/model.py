"""The knowledge base as small frozen value classes: what data/ means once it is loaded.

``knowledge.py`` builds these from the CSV tables; everything downstream (engine, renderers,
notebooks) reads them and never the raw files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .conditions import Node
from .urgency import Urgency

if TYPE_CHECKING:
    import pandas as pd

Records = tuple[Mapping[str, str], ...]
"""A table's rows as read (every cell a str), in file order."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: int | None
    url: str
    public: bool = True
    """Shown on public pages. No for mirrors, syndicated copies, flashcards and low-authority pages:
    they stay in data/ as the record of what was read, and clinicians still see them."""


@dataclass(frozen=True)
class Question:
    field: str
    group: str
    order: int
    priority: int
    label: str
    help: str
    kind: str
    minimum: int | None
    maximum: int | None
    choices: tuple[str, ...]
    choice_labels: Mapping[str, str]
    show_if: Node | None
    offer_change: bool = True
    """Whether "what would change this advice" may suggest a different answer once one is given.
    No for facts such as age: "if you were 12" is not advice anyone can act on."""
    offer_if: Node | None = None
    """When "what would change" may offer this question at all (None: always). A change that the
    other answers rule out ("Are you pregnant: Yes" after a hysterectomy) contradicts the person
    and buries the changes that could really happen (issue 21, 2.12)."""
    yes_no: tuple[str, str] = ("yes", "no")
    """How a yes/no answer reads in the knowledge base's language (ui.po: "yes", "no")."""

    @property
    def name(self) -> str:  # FieldSpec protocol for the condition parser
        return self.field

    @property
    def short_label(self) -> str:
        """The question as the start of a phrase: "Are you pregnant" (no question mark)."""
        return self.label.strip().rstrip("?؟").lstrip("¿")  # Spanish opens a question with ¿, Arabic ends with ؟

    def answer_phrase(self, value: Any) -> str:
        """The one way every view says an answer: "Are you pregnant: Yes" (plain text, unescaped)."""
        return f"{self.short_label}: {self.value_label(value)}"

    def value_label(self, value: Any) -> str:
        """How an answer to this question reads to a person."""
        if self.kind == "boolean":
            return self.yes_no[0] if value else self.yes_no[1]
        if self.kind == "choice":
            return self.choice_labels.get(value, str(value))
        return str(value)


@dataclass(frozen=True)
class Review:
    sources: tuple[str, ...]
    last_reviewed: date
    next_review_due: date
    clinician_review: bool


@dataclass(frozen=True)
class Rule:
    """A red flag, baseline or advice row: when ``condition`` holds, ``urgency`` applies."""

    id: str
    urgency: Urgency
    condition: Node
    condition_text: str
    message: str
    review: Review
    order: int = 0
    call: str = ""
    """Advice only: the service whose number the care card offers to tap (data/services.csv), when
    it is not the level's usual one; a child is offered their helpline, not a health line."""
    find: tuple[str, ...] = ()
    """Advice only: services the card links to, in order ("find a pharmacy near you", a helpline),
    so the place the advice names is one tap away; a region without that service shows nothing."""
    heading: str = ""
    """Advice only: the card's own heading when ``style`` applies ("Get emergency contraception today")."""
    style: str = ""
    """Advice only: a card style of its own (``time_critical``): urgent, but not an alarm."""


@dataclass(frozen=True)
class SafetyNetItem:
    """One line of a care card's "Call 999 if:" or "Get help today if:" list (data/safety_nets.csv).

    Written for the purpose, not copied from a question: a plain sentence about what to look out
    for. ``condition`` is a guard in the condition language; an item is shown only when it holds,
    so nothing the person's answers rule out (no womb, after the menopause, not pregnant) is shown."""

    id: str
    urgency: Urgency
    order: int
    condition: Node
    condition_text: str
    text: str
    review: Review


@dataclass(frozen=True)
class CauseRule:
    condition: Node
    condition_text: str
    effect: str
    weight: int
    note: str


CAUSE_KINDS: tuple[str, ...] = ("benign", "serious", "cancer")
"""How a cause ranks at equal fit and score: benign first, cancer last (never above "no clear cause")."""


@dataclass(frozen=True)
class Cause:
    """A possible explanation. ``advice_urgency`` is the level of what its card tells the person to
    do unconditionally ("get an urgent GP appointment today" is urgent); the engine never gives
    overall advice below the card of any cause it shows."""

    id: str
    name: str
    summary: str
    next_step: str
    prior: int
    figure: str
    review: Review
    rules: tuple[CauseRule, ...]
    advice_urgency: Urgency = Urgency.SELF_CARE
    kind: str = "benign"
    sites: tuple[str, ...] = ()
    """Where on the body it comes from (``Knowledge.sites`` ids), for the body diagram."""


@dataclass(frozen=True)
class Site:
    """A place on the body diagram that bleeding after sex can come from (data/sites.csv)."""

    id: str
    name: str
    where: str
    """Plain words for where it is; the diagram's text alternative reads them."""
    review: Review


@dataclass(frozen=True)
class Level:
    urgency: Urgency
    heading: str
    hidden_text: str
    icon: str
    action: str


@dataclass(frozen=True)
class TermDefinition:
    """A named condition (terms.csv) that other rules use as ``@name``, with what it means."""

    name: str
    condition: Node
    condition_text: str
    meaning: str
    sources: tuple[str, ...]


STATISTIC_UNITS: tuple[str, ...] = ("percent", "ratio", "count")
"""percent: value in 100; ratio: value in denominator ("1 in 44,000"); count: value of denominator."""


@dataclass(frozen=True)
class Route:
    """A first choice in the explorer (routes.csv): its words, and the question it takes you to.

    Why: someone who was assaulted, or a child, reaches the question that speaks to them in one
    tap, and nobody else has to read about assault first (UX review 3)."""

    id: str
    label: str
    field: str
    also: tuple[str, ...] = ()
    """Questions whose groups open too (age, for a child), without moving to them."""
    sources: tuple[str, ...] = ()
    """The guidance behind the label's words (sources.csv ids)."""


@dataclass(frozen=True)
class Statistic:
    """One sourced figure (statistics.csv), checked at load: a proportion between 0 and 1."""

    id: str
    chart: str
    label: str
    value: float
    denominator: int | None
    unit: str
    note: str
    sources: tuple[str, ...]

    @property
    def proportion(self) -> float:
        """The figure as a fraction of 1, whatever unit the row was written in."""
        if self.unit == "percent":
            return self.value / 100
        if not self.denominator:
            raise ValueError(f"statistic {self.id} has unit {self.unit} but no denominator")
        return self.value / self.denominator

    @property
    def words(self) -> str:
        """The figure in words, as written in the data: "1 in 44,000", "40.3 in 100"."""
        value = f"{self.value:g}"
        if self.unit == "percent":
            return f"{value} in 100"
        return f"{value} in {self.denominator:,}"


MYTH_VERDICTS: tuple[str, ...] = ("myth", "needs_nuance", "supported", "unsupported")


@dataclass(frozen=True)
class Myth:
    """A claim from the seed articles (myths.csv), checked against the evidence."""

    id: str
    seed_claim: str
    claim: str
    verdict: str
    fact: str
    review: Review
    order: int = 0
    """The myth's number in a session (myths.csv ``order``): a facilitator can say "myth 2"."""
    warm_up: bool = False
    """One of the short, non-alarming claims a session opens with (myths.csv ``warm_up``)."""


@dataclass(frozen=True)
class Scenario:
    """A teaching scenario: a short story with contract answers and the expected urgency."""

    id: str
    title: str
    life_stage: str
    story: str
    answers: Mapping[str, Any]
    expected_urgency: Urgency
    likely_causes: tuple[str, ...]
    teaching_point: str
    sources: tuple[str, ...]
    review: Review | None = None


@dataclass(frozen=True)
class Region:
    """Where the reader is, for wording only: the services to name, never the thresholds."""

    code: str
    """ISO 3166-1 alpha-2 (``GB``), ``other``, or ``unset`` when no region is chosen."""
    name: str
    order: int
    where: str = "near you"
    """The region in a sentence: "in the United States"."""

    @property
    def chosen(self) -> bool:
        return self.code != UNSET_REGION


def N_(text: str) -> str:
    """Mark an interface phrase kept in a constant, so ``spotting i18n extract`` puts it in
    ``ui.pot``; it returns the English unchanged. Show it with ``knowledge.phrase(CONSTANT)``."""
    return text


UNSET_REGION = "unset"
"""The region used when none is chosen: neutral wording that lists the emergency numbers."""
NO_REGION = Region(UNSET_REGION, "No region chosen", 0)


@dataclass(frozen=True)
class Service:
    """One region's name for one service (``{doctor}`` is "GP" in GB), with its number to call."""

    id: str
    text: str
    tel: str
    call: str
    review: Review
    url: str = ""
    """An official "find one near you" page (a national directory), https only; nothing about
    the person is ever added to it."""
    sms: str = ""
    """A number to text (an ``sms:`` link), where the service has one."""


RISK_MATRIX: tuple[tuple[int, ...], ...] = (
    # severity: minor, significant, considerable, major, catastrophic
    (1, 1, 2, 2, 3),  # likelihood very low
    (1, 2, 2, 3, 4),  # low
    (2, 2, 3, 3, 4),  # medium
    (2, 3, 3, 4, 5),  # high
    (3, 4, 4, 5, 5),  # very high
)
"""The 5 x 5 clinical risk matrix of NHS clinical risk management (DCB0129 and DCB0160): a risk
rating from 1 (acceptable) to 5 (unacceptable) for a severity and a likelihood, each 1 to 5."""
HAZARD_STATUSES = ("open", "mitigated", "accepted")
CONTROL_KINDS = ("red_flag", "advice", "cause", "term", "feature")
"""What a hazard's control can be: a row of data/ (checked to exist) or a feature of the tool."""
VERIFICATION_KINDS = ("test", "case", "gp_case")
"""How a control is shown to work: a pytest node id, or a case id of a clinical case suite."""


def risk_rating(severity: int, likelihood: int) -> int:
    """The matrix's rating for a severity and a likelihood, each from 1 to 5."""
    return RISK_MATRIX[likelihood - 1][severity - 1]


@dataclass(frozen=True)
class Risk:
    severity: int
    likelihood: int
    rating: int


@dataclass(frozen=True)
class Hazard:
    """One row of the clinical hazard log (hazards.csv), in the DCB0129 manner: what could go
    wrong, why, the harm, the risk before and after its controls, and how each control is tested."""

    id: str
    hazard: str
    cause: str
    effect: str
    initial: Risk
    controls: tuple[str, ...]
    verification: tuple[str, ...]
    residual: Risk
    status: str
    review: Review


def english_plural(count: int) -> int:
    """English's plural rule (gettext ``plural=(n != 1)``): form 0 for one, form 1 for any other count."""
    return 0 if count == 1 else 1


@dataclass(frozen=True)
class Plurals:
    """A language's counted phrases: "{count} vote" / "{count} votes" have one form in English for
    1 and one for the rest, but Welsh has five and Arabic six (0, 1, 2, 3 to 10, 11 to 99, 100...).
    ``forms`` maps the English pair to every form of the language, in its catalog's order, and
    ``rule`` is the catalog's ``Plural-Forms`` expression choosing the form for a number."""

    forms: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    rule: Callable[[int], int] = english_plural

    def pick(self, singular: str, plural: str, count: int) -> str:
        """The form for ``count``; the English (singular for 1, else plural) when not translated."""
        found = self.forms.get((singular, plural))
        if not found:
            return singular if english_plural(count) == 0 else plural
        index = self.rule(count)
        return found[index] if 0 <= index < len(found) else found[-1]


@dataclass(frozen=True, eq=False)
class Knowledge:
    """The validated, immutable knowledge base. Build it with ``load_knowledge``."""

    directory: Path
    sources: Mapping[str, Source]
    groups: Mapping[str, str]
    questions: Mapping[str, Question]
    terms: Mapping[str, Node]
    levels: Mapping[Urgency, Level]
    red_flags: tuple[Rule, ...]
    baselines: tuple[Rule, ...]
    advice: tuple[Rule, ...]
    causes: tuple[Cause, ...]
    scenarios: tuple[Scenario, ...]
    tables: Mapping[str, Records] = field(repr=False)
    term_definitions: Mapping[str, TermDefinition] = field(default_factory=dict, repr=False)
    myths: tuple[Myth, ...] = ()
    statistics: tuple[Statistic, ...] = ()
    region: Region = NO_REGION
    """The region this knowledge base is worded for (``load_knowledge(region=…)``)."""
    regions: Mapping[str, Region] = field(default_factory=dict, repr=False)
    """Every region a reader can choose, in order (not ``unset``)."""
    services: Mapping[str, Service] = field(default_factory=dict, repr=False)
    """This region's services by id; their text is already filled into every prose column."""
    sites: Mapping[str, Site] = field(default_factory=dict, repr=False)
    """The body diagram's places in display order, by id."""
    hazards: tuple[Hazard, ...] = ()
    """The clinical hazard log (docs/clinical-safety-case.md)."""
    safety_nets: tuple[SafetyNetItem, ...] = ()
    """The care cards' "Call 999 if:" and "Get help today if:" lines, most urgent level first, in order."""
    routes: tuple[Route, ...] = ()
    """The explorer's first choices, in order."""
    language: str = "en"
    """The language the words are in (``load_knowledge(lang=…)``, spotting.localise); the advice is
    the same in every language."""
    in_english: frozenset[str] = field(default=frozenset(), repr=False)
    """Reader-facing texts still in English in this language (not translated yet): a page marks
    them ``lang="en"``. Empty for English itself."""
    source_tables: Mapping[str, Records] = field(default_factory=dict, repr=False)
    """The tables as written (English, placeholders unfilled): what the catalogs translate."""
    phrases: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Interface phrases in this language (``locale/<lang>/LC_MESSAGES/ui.po``): English -> words."""
    plurals: Plurals = field(default_factory=Plurals, repr=False)
    """Counted interface phrases in this language (``ui.po`` entries with ``msgid_plural``)."""

    def nphrase(self, singular: str, plural: str, count: int) -> str:
        """A counted phrase in the form this language uses for ``count`` (gettext's ``ngettext``):
        ``k.nphrase("{count} vote", "{count} votes", n).format(count=n)``. Marked for the catalog
        like ``phrase`` (``nphrase`` is an extraction keyword with both English forms)."""
        return self.plurals.pick(singular, plural, count)

    def phrase(self, text: str) -> str:
        """An interface phrase (a ``ui.po`` msgid, marked with ``phrase(...)`` or ``N_``) in this
        knowledge base's language, or the English when it has no current translation. Fill its
        ``{placeholders}`` after the lookup: ``k.phrase("Call {number} if:").format(number=...)``."""
        return self.phrases.get(text, text)

    def is_english(self, text: str) -> bool:
        """Whether ``text`` is shown in English in a page of another language (``lang="en"``)."""
        return text in self.in_english

    def table(self, name: str) -> pd.DataFrame:
        """A copy of a raw table (e.g. ``"myths"``) as a DataFrame, for notebooks and reports.

        pandas is imported here, not at load: a dashboard kernel never needs it."""
        import pandas as pd

        return pd.DataFrame(list(self.tables[name]), dtype=str)
