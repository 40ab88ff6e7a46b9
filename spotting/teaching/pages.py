"""HTML for the teaching session: scenario cards, the reveal, feedback, myths, and the handout.

Why separate from ``teaching``: the logic there is checked as data (feedback messages, fits);
this module only presents it. Every string that comes from data/ is HTML-escaped here, because
ipywidgets' ``HTML`` widget sets ``innerHTML`` and the handout is a standalone page. Urgency is
shown by words, a symbol and border width (NHS care-card style), never by colour alone.
"""

from __future__ import annotations

import base64
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from html import escape

from ..diagram import DIAGRAM_CSS, diagram_html
from ..explain import DISCLAIMER, Explanation, explain
from ..knowledge import load_knowledge
from ..localise import SOURCE_LANGUAGE, languages
from ..markup import BASE_CSS, BORDER_PX, asset_text, citation, unreviewed_html, urgency_label
from ..model import N_, Knowledge, Scenario, Service
from ..render_text import FIT_WORDS, said
from ..urgency import Urgency
from .plan import SafeguardingLine
from .quiz import Attempt, Feedback, MythFact, assess, is_sensitive, myths_and_facts, scenario_by_id

MAX_WHAT_IFS = 4  # enough for a discussion prompt without burying the answer

TEACHING_CSS = BASE_CSS + DIAGRAM_CSS + asset_text("teaching.css")
"""Shared by the widget page and the handout, so both read the same on a projector and on paper."""


def _english(knowledge: Knowledge) -> str:
    """' lang="en"' where a page in another language shows a record kept in English (a source's
    title), so a screen reader pronounces it as English; nothing on an English page."""
    return "" if knowledge.language == SOURCE_LANGUAGE else ' lang="en" dir="ltr"'


def page_language(knowledge: Knowledge) -> str:
    """The ``lang`` and ``dir`` of a standalone teaching page in the knowledge base's language."""
    if knowledge.language == SOURCE_LANGUAGE:
        return 'lang="en-GB"'
    language = languages().get(knowledge.language)
    return f'lang="{escape(knowledge.language, quote=True)}" dir="{language.direction if language else "ltr"}"'


def sources_html(ids: Iterable[str], knowledge: Knowledge) -> str:
    """Source ids as a list of linked titles, so every claim can be traced (titles as published)."""
    marked = _english(knowledge)
    items = "".join(f"<li{marked}>[{escape(i)}] {citation(i, knowledge)}</li>" for i in dict.fromkeys(ids))
    return f'<ul class="sources">{items}</ul>'


def _answers_list(scenario: Scenario, knowledge: Knowledge) -> str:
    questions = sorted((knowledge.questions[f] for f in scenario.answers), key=lambda q: q.order)
    rows = "".join(
        f"<li>{escape(q.short_label)}: <strong>{escape(q.value_label(scenario.answers[q.field]))}</strong></li>"
        for q in questions
    )
    return f"<ul>{rows}</ul>"


CONTENT_NOTE = N_("this story is about sex that was not agreed to. You can skip it or step out at any time.")
CONTENT_NOTE_HELP = N_("You can get help from {assault_service}.")
"""The region's own assault service (data/services.csv ``assault_service``, with its note), not a
UK name for every reader: a US reader meets the national hotline, an Irish one a SATU."""


def content_note_html(scenario: Scenario, knowledge: Knowledge | None = None) -> str:
    """A content note, so nobody meets a story about assault without warning, naming the help the
    reader's region has (its words, its note on the police and on age, and their sources)."""
    if not is_sensitive(scenario):
        return ""
    knowledge = knowledge or load_knowledge()
    say = knowledge.phrase
    words = [say(CONTENT_NOTE)]
    cited: list[str] = []
    service = knowledge.services.get("assault_service")
    if service is not None:
        words.append(say(CONTENT_NOTE_HELP).format(assault_service=service.text))
        cited += service.review.sources
    note = knowledge.services.get("assault_service_note")
    if note is not None:
        words.append(note.text)
        cited += note.review.sources
    sources = f' <span class="small" dir="ltr">[{escape(", ".join(dict.fromkeys(cited)))}]</span>' if cited else ""
    label = escape(say("Content note:"))
    return f'<p class="note"><strong>{label}</strong> {escape(" ".join(words))}{sources}</p>'


def scenario_card_html(
    scenario: Scenario,
    knowledge: Knowledge | None = None,
    *,
    number: int | None = None,
    compact: bool = False,
    prompt: bool = True,
) -> str:
    """The story card a learner sees before choosing: story, life stage, and the answers given.

    ``compact`` (the projector layout) folds the list of answers, which the story already tells,
    so the story and the quiz fit one projector screen. The heading can take focus
    (``tabindex="-1"``): "Next scenario" moves focus and scroll to it, not to the page's bottom.
    ``prompt=False`` leaves out the on-screen instruction (for the printed worksheet).
    """
    knowledge = knowledge or load_knowledge()
    say = knowledge.phrase
    prefix = say("Scenario {number}:").format(number=number) + " " if number is not None else ""
    ident = escape(scenario.id, quote=True)
    answers = _answers_list(scenario, knowledge)
    asked = escape(say("How the tool's questions were answered"))
    answers_html = (
        f'<details class="answers"><summary>{asked}</summary>{answers}</details>'
        if compact
        else f"<h4>{asked}</h4>{answers}"
    )
    advise = escape(say("What would you advise?"))
    then = escape(say("Choose a level and the likely causes, then reveal."))
    instruction = f"<p><strong>{advise}</strong> {then}</p>" if prompt and not compact else ""
    stage = escape(say("Life stage: {stage}").format(stage=scenario.life_stage))
    return (
        f'<article class="card scenario" id="scenario-{ident}">'
        f'<h3 id="scenario-{ident}-title" tabindex="-1">{escape(prefix + scenario.title)}</h3>'
        f'<p class="small">{stage}</p>'
        f"{content_note_html(scenario, knowledge)}"
        f'<p class="story">{escape(scenario.story)}</p>'
        f"{answers_html}{instruction}"
        "</article>"
    )


def level_html(urgency: Urgency, knowledge: Knowledge, advice: str = "") -> str:
    """A care-card style level: the words, a symbol and a border width carry urgency, not colour."""
    level = knowledge.levels[urgency]
    body = f"<p>{escape(advice)}</p>" if advice else ""
    return (
        f'<div class="level level-{urgency.id}" style="border-inline-start-width: {BORDER_PX[urgency] + 4}px">'
        f"<strong>{urgency_label(level)}</strong>{body}</div>"
    )


def _what_ifs(explanation: Explanation, knowledge: Knowledge) -> str:
    items = []
    for change in explanation.would_change[:MAX_WHAT_IFS]:
        question = knowledge.questions[change.field]
        heading = knowledge.levels[change.urgency].heading
        items.append(
            f"<li>{escape(question.answer_phrase(change.value))} \u2192 <strong>{escape(heading)}</strong></li>"
        )
    heading = escape(knowledge.phrase("What would change the advice"))
    return f"<h4>{heading}</h4><ul>{''.join(items)}</ul>" if items else ""


def reveal_html(scenario: Scenario, knowledge: Knowledge | None = None, *, folded: bool = False) -> str:
    """The tool's explanation for a scenario and why: level, reasons, causes, teaching point.

    ``folded`` (the projector layout) keeps the level and the teaching point in view and folds
    the reasons, causes, what-ifs and sources into one <details>, so the first view of the
    answer fits one projector screen; the facilitator opens it when the room asks why.
    """
    knowledge = knowledge or load_knowledge()
    say = knowledge.phrase
    explanation = explain(scenario.answers, knowledge)
    reasons = []
    for flag in explanation.red_flags:
        said_words = "; ".join(said(b, explanation, knowledge) for b in flag.because)
        why = say("(because: {answers}; sources {sources})").format(
            answers=said_words, sources=", ".join(flag.rule.review.sources)
        )
        reasons.append(f"<li>{escape(flag.rule.message)} <span class='small'>{escape(why)}</span></li>")
    if not reasons:
        reasons.append(f"<li>{escape(explanation.baseline.message)}</li>")
    causes = "".join(
        f"<li><strong>{escape(r.fit.cause.name)}</strong> ({escape(say(FIT_WORDS[r.fit.fit]))}): "
        f"{escape(r.fit.cause.summary)}</li>"
        for r in explanation.causes
    )
    teaching = escape(say("Teaching point"))
    point = f"<h4>{teaching}</h4><p>{escape(scenario.teaching_point)}</p>"
    why_heading, possible = escape(say("Why")), escape(say("Possible explanations (not a diagnosis)"))
    detail = (
        f"<h4>{why_heading}</h4><ul>{''.join(reasons)}</ul>"
        f"<h4>{possible}</h4><ul>{causes}</ul>"
        f"{diagram_html([r.fit.cause for r in explanation.causes], knowledge, heading='h4')}"
        f"{_what_ifs(explanation, knowledge)}"
    )
    reviewed = escape(_review_dates(scenario, knowledge))
    sources = f'{sources_html(scenario.sources, knowledge)}<p class="small">{reviewed}</p>'
    fold = escape(say("Why, possible explanations and what would change it"))
    folded_body = f"{point}<details><summary>{fold}</summary>{detail}{sources}</details>"
    body = folded_body if folded else f"{detail}{point}{sources}"
    about = escape(say("What the tool says about {title}").format(title=scenario.title), quote=True)
    says = escape(say("What the tool says"))
    return (
        f'<section class="card reveal" aria-label="{about}">'
        f"<h3>{says}</h3>"
        f"{level_html(explanation.urgency, knowledge, explanation.advice.message)}"
        f"{body}</section>"
    )


def _review_dates(scenario: Scenario, knowledge: Knowledge) -> str:
    assert scenario.review is not None  # the loader always sets it
    return knowledge.phrase("Scenario last reviewed {reviewed}; next review due {due}.").format(
        reviewed=scenario.review.last_reviewed.isoformat(), due=scenario.review.next_review_due.isoformat()
    )


def feedback_html(feedback: Feedback, knowledge: Knowledge | None = None, *, folded: bool = False) -> str:
    """The feedback, for the page's one live region (``live.LiveStatus``), so screen readers
    announce it when it appears.

    ``folded`` (the projector layout) shows whether the level matched, and why, and folds the rest
    (when to get checked, and the feedback on causes).
    The heading can take focus: revealing moves focus and scroll to it.
    """
    knowledge = knowledge or load_knowledge()
    shown = feedback.messages[: min(2, feedback.urgency_message_count)] if folded else feedback.messages
    rest = feedback.messages[len(shown) :]
    items = "".join(f"<li>{escape(message)}</li>" for message in shown)
    more = "".join(f"<li>{escape(message)}</li>" for message in rest)
    more_words = escape(knowledge.phrase("More feedback, and the causes"))
    title = escape(knowledge.phrase("Feedback on your choice"))
    causes = f"<details><summary>{more_words}</summary><ul>{more}</ul></details>" if more else ""
    return (
        f'<div class="feedback" data-verdict="{feedback.urgency_verdict}">'
        f'<h3 id="feedback-title" tabindex="-1">{title}</h3><ul>{items}</ul>{causes}</div>'
    )


def facilitator_notes_html(scenario: Scenario, knowledge: Knowledge | None = None) -> str:
    """Notes for the facilitator: the expected answer and prompts, shown only in facilitator mode,
    in the page's language (interface phrases, like the learner's words)."""
    knowledge = knowledge or load_knowledge()
    say = knowledge.phrase
    names = {cause.id: cause.name for cause in knowledge.causes}
    key = ", ".join(names[c] for c in scenario.likely_causes) or say("none in particular: the action matters more")
    heading = knowledge.levels[scenario.expected_urgency].heading
    level = escape(say("Expected level: {level}.")).replace("{level}", f"<strong>{escape(heading)}</strong>")
    causes = escape(say("Key causes: {causes}.").format(causes=key))
    title = escape(say("Facilitator notes"))
    ask = escape(say("Ask: what in the story points to this level? What would make it more urgent?"))
    return f'<aside class="note facilitator"><h4>{title}</h4><p>{level} {causes}</p><p>{ask}</p></aside>'


def myths_html(
    knowledge: Knowledge | None = None,
    *,
    revealed: bool = False,
    myth_ids: Sequence[str] | None = None,
    answers: bool = True,
    shown: Collection[str] = (),
) -> str:
    """Numbered myth-or-fact cards, the warm-up set first under its own heading.

    Numbers ("Myth 2 of 29") let a facilitator say which card to look at, and the warm-up set
    leads so a session opens with it rather than hunting for cards further down. Hidden answers
    use <details>, which keyboards and screen readers open.

    ``myth_ids`` keeps only the session's myths (numbered as in the full list, so paper and
    screen agree). ``answers=False`` is the learner's phone: no answer is in the page at all,
    except for the myths in ``shown`` (the ones the facilitator has revealed to the room), so a
    learner cannot open an answer before the reveal (UX review, problem 10).
    """
    knowledge = knowledge or load_knowledge()
    myths = myths_and_facts(knowledge)
    total = len(myths)
    if myth_ids is not None:
        wanted = set(myth_ids)
        myths = [myth for myth in myths if myth.id in wanted]
    warm = [myth for myth in myths if myth.warm_up]
    say = knowledge.phrase
    title = escape(say("Myths and facts"))
    parts = [f"<h2>{title}</h2>"]
    if not answers:
        parts.append(f"<p>{escape(say(VOTE_FIRST))}</p>")
    warm_up = say("Warm-up: myths 1 to {count}").format(count=len(warm))
    more = say("More myths and facts")
    for heading, group in (
        (warm_up if myth_ids is None else "", warm),
        (more if warm and myth_ids is None else "", [myth for myth in myths if not myth.warm_up]),
    ):
        if not group:
            continue
        if heading:
            parts.append(f"<h3>{escape(heading)}</h3>")
        parts += [
            _myth_card(
                myth,
                knowledge,
                total if myth_ids is None else None,
                revealed=revealed or myth.id in shown,
                answer=answers or myth.id in shown,
            )
            for myth in group
        ]
    return "".join(parts)


VOTE_FIRST = N_("Vote on each one when your facilitator asks. The answer appears here after the room has voted.")


def _myth_card(myth: MythFact, knowledge: Knowledge, total: int | None, *, revealed: bool, answer: bool = True) -> str:
    say = knowledge.phrase
    number = (
        say("Myth {number} of {total}").format(number=myth.number, total=total)
        if total
        else say("Myth {number}").format(number=myth.number)
    )
    head = (
        f'<div class="card myth" id="myth-{escape(myth.id, quote=True)}">'
        f'<h4 class="myth-number">{escape(number)}</h4>'
        f"<p>\u201c{escape(myth.claim)}\u201d</p>"
    )
    if not answer:
        later = escape(say("Myth or fact? The answer comes after the vote."))
        return head + f'<p class="small">{later}</p></div>'
    reviewed = say("Last reviewed {reviewed}; next review due {due}.").format(
        reviewed=myth.last_reviewed, due=myth.next_review_due
    )
    body = (
        f"<p><strong>{escape(myth.verdict_words)}.</strong> {escape(myth.fact)}</p>"
        f"{sources_html(myth.sources, knowledge)}"
        f'<p class="small">{escape(reviewed)}</p>'
    )
    opened = " open" if revealed else ""
    show = escape(say("Myth or fact? Show the answer"))
    return f"{head}<details{opened}><summary>{show}</summary>{body}</details></div>"


HELP_SERVICES = (
    ("emergency_line", N_("Emergency")),
    ("emergency_sms", N_("If you cannot speak")),
    ("urgent_contact", N_("Urgent advice")),
    ("find_sexual_health_clinic", N_("Sexual health clinic (tests, contraception, checks)")),
    ("find_pharmacy", N_("Pharmacy (emergency contraception)")),
    ("emergency_contraception_where", N_("Emergency contraception")),
    ("find_emergency_department", N_("Emergency department")),
    ("find_early_pregnancy_unit", N_("Bleeding in early pregnancy")),
    ("child_helpline", N_("Under 18 and want to talk")),
    ("find_assault_service", N_("After sex that was not agreed to")),
    ("assault_service", N_("After sex that was not agreed to")),
    ("assault_service_note", ""),
    ("sexual_violence_helpline", N_("Sexual violence helpline")),
)
"""The services the "where to get help" page lists, in this order (data/services.csv ids); a
region without one leaves it out, and the same heading is never given twice in a row."""


def _service_html(service: Service, knowledge: Knowledge) -> str:
    links = []
    say = knowledge.phrase
    # Numbers keep their own left-to-right order inside a right-to-left sentence (<bdi dir="ltr">).
    if service.tel:  # the service's own call words ("Call 999", translated), else "Call" and the number
        number = f'<bdi dir="ltr">{escape(service.tel)}</bdi>'
        call = escape(service.call) if service.call else escape(say("Call {number}")).replace("{number}", number)
        links.append(f'<a href="tel:{escape(service.tel, quote=True)}">{call}</a>')
    if service.sms:
        number = f'<bdi dir="ltr">{escape(service.sms)}</bdi>'
        text = escape(say("Text {number}")).replace("{number}", number)
        links.append(f'<a href="sms:{escape(service.sms, quote=True)}">{text}</a>')
    if service.url.startswith("https://"):
        links.append(f'<a href="{escape(service.url, quote=True)}">{escape(service.text)}</a>')
        text = ""
    elif service.tel and service.text.lower().startswith("call"):
        text = ""  # "call NHS 111": the call link says it
        links[0] = (
            f'<a href="tel:{escape(service.tel, quote=True)}">{escape(service.text[:1].upper() + service.text[1:])}</a>'
        )
    else:
        text = escape(service.text[:1].upper() + service.text[1:])
        text += "" if text.endswith(".") else "."
    cited = ", ".join(escape(s) for s in service.review.sources)
    return f'{text} {" ".join(links)} <span class="small" dir="ltr">[{cited}]</span>'.strip()


def help_page_html(knowledge: Knowledge) -> str:
    """A page of where to get help in the session's region, each service cited (UX review,
    problem 7; Sex Education Forum: half of 16-17-year-olds learned too little about services)."""
    items: list[str] = []
    last = ""
    cited: list[str] = []
    for service_id, heading in HELP_SERVICES:
        service = knowledge.services.get(service_id)
        if service is None:
            continue
        if heading == last and items:
            items[-1] = items[-1][: -len("</li>")] + f" {_service_html(service, knowledge)}</li>"
        else:
            label = f"<strong>{escape(knowledge.phrase(heading))}:</strong> " if heading else ""
            items.append(f"<li>{label}{_service_html(service, knowledge)}</li>")
        last = heading or last
        cited += service.review.sources
    title = escape(knowledge.phrase("Where to get help {where}").format(where=knowledge.region.where))
    sources = escape(knowledge.phrase("Sources"))
    return (
        f'<section class="help-page"><h2>{title}</h2><ul>{"".join(items)}</ul>'
        f"<h3>{sources}</h3>{sources_html(cited, knowledge)}</section>"
    )


SAFEGUARDING_HELPLINES = ("emergency_line", "child_helpline", "sexual_violence_helpline", "assault_service")
"""The region's services the safeguarding script ends with (data/services.csv ids)."""


def safeguarding_html(
    lines: Sequence[SafeguardingLine], knowledge: Knowledge, *, heading: str = "h2", folded: bool = True
) -> str:
    """The ground rules, the disclosure script and what the law asks here, with the region's
    helplines: for the facilitator page, the facilitator handout and the guide.

    The words come from data/safeguarding.csv (``lines``: already chosen for the region), each
    line with its sources, so a school's PSHE lead can check every one. The ground rules are a
    slide for the room; ``folded`` (the facilitator page, often on the projector) folds the
    disclosure script under a summary, for the facilitator's eyes; the printed handout has it open.
    """
    sub = "h3" if heading == "h2" else "h4"
    say = knowledge.phrase

    def items(kind: str, tag: str) -> str:
        chosen = [line for line in lines if line.kind == kind]
        rows = "".join(
            f"<li{_lang_if_english(line.text, knowledge)}>{escape(line.text)} "
            f'<span class="small">[{escape(", ".join(line.sources))}]</span></li>'
            for line in chosen
        )
        return f"<{tag}>{rows}</{tag}>" if rows else ""

    services = [knowledge.services[s] for s in SAFEGUARDING_HELPLINES if s in knowledge.services]
    helplines = "".join(f"<li>{_service_html(service, knowledge)}</li>" for service in services)
    law = items("law", "ul")
    where = knowledge.region.where
    follow = say(
        "Follow your school's or organisation's child protection procedure. Choose a region to see what the "
        "law asks there."
    )
    who_to_tell = escape(say("Who to tell {where}").format(where=where))
    who = f"<{sub}>{who_to_tell}</{sub}>{law}" if law else f"<p>{escape(follow)}</p>"
    cited = [source for line in lines for source in line.sources]
    cited += [source for service in services for source in service.review.sources]
    disclosure = escape(say("If a learner tells you about abuse (a disclosure)"))
    helpline_heading = escape(say("Helplines {where}").format(where=where))
    sources = escape(say("Sources"))
    script = (
        f"<{sub}>{disclosure}</{sub}>{items('disclosure', 'ol')}{who}"
        f"<{sub}>{helpline_heading}</{sub}><ul>{helplines}</ul>"
        f"<{sub}>{sources}</{sub}>{sources_html(cited, knowledge)}"
    )
    if folded:
        summary = escape(say("For you: if a learner tells you about abuse"))
        script = f"<details><summary>{summary}</summary>{script}</details>"
    title = escape(say("Ground rules and safeguarding"))
    rules = escape(say("Ground rules: agree them at the start"))
    return (
        '<section class="safeguarding" aria-labelledby="safeguarding-title">'
        f'<{heading} id="safeguarding-title">{title}</{heading}>'
        f"<{sub}>{rules}</{sub}>{items('ground_rule', 'ul')}{script}</section>"
    )


def _lang_if_english(text: str, knowledge: Knowledge) -> str:
    """' lang="en"' on a line of the classroom's data not yet translated (it falls back to English)."""
    return ' lang="en" dir="ltr"' if knowledge.is_english(text) else ""


def handout_html(
    attempts: Sequence[Attempt],
    knowledge: Knowledge | None = None,
    *,
    charts_html: str = "",
    made_on: date | None = None,
    scenario_ids: Sequence[str] | None = None,
    myth_ids: Sequence[str] | None = None,
) -> str:
    """A standalone, printable page of the session: scenarios, feedback, myths, charts, sources,
    and where to get help in the session's region.

    It covers the scenarios of ``attempts``; without any, the session's ``scenario_ids`` (or
    every scenario), so a facilitator can print it before a session. ``myth_ids`` keeps only the
    session's myths: a handout of what was taught, not of the whole knowledge base.
    """
    knowledge = knowledge or load_knowledge()
    planned = [s.id for _, s in _chosen(scenario_ids, knowledge)]
    seen = list(dict.fromkeys(a.scenario_id for a in attempts)) or planned
    latest = {a.scenario_id: a for a in attempts}
    parts: list[str] = []
    cited: list[str] = []
    for number, scenario_id in enumerate(seen, start=1):
        scenario = scenario_by_id(scenario_id, knowledge)
        cited += scenario.sources
        section = scenario_card_html(scenario, knowledge, number=number) + reveal_html(scenario, knowledge)
        if scenario_id in latest:
            attempt = latest[scenario_id]
            section += feedback_html(assess(scenario, attempt.chosen, attempt.picked, knowledge), knowledge)
        parts.append(f'<div class="handout-scenario">{section}</div>')
    for myth in _chosen_myths(myth_ids, knowledge):
        cited += myth.sources
    levels = "".join(
        f"<li>{level_html(u, knowledge, knowledge.levels[u].action)}</li>"
        for u in sorted(knowledge.levels, reverse=True)
    )
    made = (made_on or date.today()).isoformat()
    say = knowledge.phrase
    title = escape(say("Bleeding after sex: session handout"))
    heading = escape(say("Bleeding after sex: what we covered"))
    words = {
        "help": escape(say("Where to get help")),
        "scenarios": escape(say("Scenarios")),
        "figures": escape(say("Figures")),
        "sources": escape(say("Sources")),
    }
    made_line = escape(say("Handout made on {date}. For learning, not diagnosis.").format(date=made))
    figures = f"<h2>{words['figures']}</h2>{charts_html}" if charts_html else ""
    return (
        f'<!DOCTYPE html><html {page_language(knowledge)}><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        f"<style>{TEACHING_CSS}\n{_PRINT_CSS}</style></head>"
        '<body><main class="spotting-teaching">'
        f"<h1>{heading}</h1>{unreviewed_html(knowledge)}"
        f'<p class="note">{escape(say(DISCLAIMER))}</p>'
        f'<h2>{words["help"]}</h2><ul class="levels">{levels}</ul>'
        f"<h2>{words['scenarios']}</h2>{''.join(parts)}"
        f"{myths_html(knowledge, revealed=True, myth_ids=myth_ids)}"
        f"{figures}"
        f"<h2>{words['sources']}</h2>{sources_html(cited, knowledge)}"
        f"{help_page_html(knowledge)}"
        f'<p class="small">{made_line}</p>'
        "</main></body></html>"
    )


def _page(title: str, body: str, knowledge: Knowledge | None = None) -> str:
    """A standalone, printable page with the teaching styles: opens from a file, asks no server."""
    language = page_language(knowledge) if knowledge is not None else 'lang="en-GB"'
    return (
        f'<!DOCTYPE html><html {language}><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        f"<style>{TEACHING_CSS}\n{_PRINT_CSS}</style></head>"
        f'<body><main class="spotting-teaching">{body}</main></body></html>'
    )


def _chosen(scenario_ids: Sequence[str] | None, knowledge: Knowledge) -> list[tuple[int, Scenario]]:
    """Scenarios with the numbers the dashboard's list gives them, so paper and screen agree."""
    numbered = list(enumerate(knowledge.scenarios, start=1))
    if scenario_ids is None:
        return numbered
    wanted = [scenario_by_id(i, knowledge).id for i in scenario_ids]
    return [(n, s) for n, s in numbered if s.id in wanted]


def _chosen_myths(myth_ids: Sequence[str] | None, knowledge: Knowledge) -> list[MythFact]:
    """The session's myths with their numbers in the full list; an unknown id is a ``KeyError``."""
    myths = myths_and_facts(knowledge)
    if myth_ids is None:
        return myths
    known = {m.id for m in myths}
    unknown = [i for i in myth_ids if i not in known]
    if unknown:
        raise KeyError(f"unknown myth(s) {', '.join(unknown)}")
    return [m for m in myths if m.id in set(myth_ids)]


def worksheet_html(
    knowledge: Knowledge | None = None,
    *,
    scenario_ids: Sequence[str] | None = None,
    myth_ids: Sequence[str] | None = None,
    made_on: date | None = None,
) -> str:
    """A learner worksheet: the stories and the numbered myths with space to write, and no answers.

    Why: the old advice was to print the handout before the session, and that handout held every
    answer (UX review). The worksheet has no expected level, no causes the tool lists, no teaching
    point, no feedback and no verdicts. The five levels are listed once, all together, so learners
    can pick one without the page pointing to any.
    """
    knowledge = knowledge or load_knowledge()
    say = knowledge.phrase
    levels = "".join(f"<li>{level_html(u, knowledge)}</li>" for u in sorted(knowledge.levels, reverse=True))
    lines = '<div class="write-in" aria-hidden="true"></div>'
    advise, write = escape(say("What would you advise?")), escape(say("Write the level."))
    causing, urgent = escape(say("What might be causing it?")), escape(say("What would make it more urgent?"))
    parts = []
    for number, scenario in _chosen(scenario_ids, knowledge):
        parts.append(
            '<div class="handout-scenario">'
            f"{scenario_card_html(scenario, knowledge, number=number, prompt=False, compact=True)}"
            f"<p><strong>{advise}</strong> {write}</p>{lines}"
            f"<p><strong>{causing}</strong></p>{lines}"
            f"<p><strong>{urgent}</strong></p>{lines}</div>"
        )
    myths = _chosen_myths(myth_ids, knowledge)
    warm_up, why = escape(say("(warm-up)")), escape(say("Myth, partly true or true? Why?"))
    claims = "".join(
        f'<li class="card myth" value="{m.number}"><strong>{escape(_myth_name(m, len(myths), myth_ids, knowledge))}'
        f"</strong>{' ' + warm_up if m.warm_up else ''}: \u201c{escape(m.claim)}\u201d"
        f"<p>{why}</p>{lines}</li>"
        for m in myths
    )
    made = (made_on or date.today()).isoformat()
    title = say("Bleeding after sex: learner worksheet")
    intro = escape(say("Write your answers here. You will talk about them together, then see what the tool says."))
    five, myths_heading = escape(say("The five levels of advice")), escape(say("Myths and facts"))
    scenarios = escape(say("Scenarios"))
    made_line = escape(say("Worksheet made on {date}. For learning, not diagnosis.").format(date=made))
    body = (
        f"<h1>{escape(title)}</h1>{unreviewed_html(knowledge)}"
        f'<p class="note">{escape(say(DISCLAIMER))}</p>'
        f"<p>{intro}</p>"
        f'<h2>{five}</h2><ul class="levels">{levels}</ul>'
        f"<h2>{scenarios}</h2>{''.join(parts)}"
        f'<h2>{myths_heading}</h2><ol class="myths">{claims}</ol>'
        f"{help_page_html(knowledge)}"
        f'<p class="small">{made_line}</p>'
    )
    return _page(title, body, knowledge)


def _myth_name(myth: MythFact, count: int, myth_ids: Sequence[str] | None, knowledge: Knowledge) -> str:
    """"Myth 3 of 29" on a worksheet of every myth, "Myth 3" on one of the session's."""
    if myth_ids is None:
        return knowledge.phrase("Myth {number} of {total}").format(number=myth.number, total=count)
    return knowledge.phrase("Myth {number}").format(number=myth.number)


def facilitator_handout_html(
    knowledge: Knowledge | None = None,
    *,
    scenario_ids: Sequence[str] | None = None,
    myth_ids: Sequence[str] | None = None,
    made_on: date | None = None,
    safeguarding: str = "",
) -> str:
    """The facilitator's answer sheet: each scenario's expected level, key causes, teaching point
    and "what if" prompts, and every myth's verdict, numbered as on screen and on the worksheet.
    In ``knowledge``'s language, like the worksheet (the facilitator chooses the print language)."""
    knowledge = knowledge or load_knowledge()
    say = knowledge.phrase
    parts = []
    cited: list[str] = []
    for number, scenario in _chosen(scenario_ids, knowledge):
        cited += scenario.sources
        explanation = explain(scenario.answers, knowledge)
        name = say("Scenario {number}:").format(number=number)
        point = say("Teaching point")
        parts.append(
            '<div class="handout-scenario card">'
            f"<h3>{escape(name)} {escape(scenario.title)}</h3>"
            f'<p class="story">{escape(scenario.story)}</p>'
            f"{content_note_html(scenario, knowledge)}"
            f"{facilitator_notes_html(scenario, knowledge)}"
            f"{level_html(explanation.urgency, knowledge, explanation.advice.message)}"
            f"<h4>{escape(point)}</h4><p>{escape(scenario.teaching_point)}</p>"
            f"{_what_ifs(explanation, knowledge)}</div>"
        )
    answers = []
    for m in _chosen_myths(myth_ids, knowledge):
        cited += m.sources
        name = say("Myth {number}").format(number=m.number)
        warm_up = " ({})".format(say("warm-up")) if m.warm_up else ""
        answers.append(
            f'<li value="{m.number}"><strong>{escape(name)}</strong>{escape(warm_up)}: '
            f"\u201c{escape(m.claim)}\u201d <strong>{escape(m.verdict_words)}.</strong> {escape(m.fact)}</li>"
        )
    made = (made_on or date.today()).isoformat()
    title = say("Bleeding after sex: facilitator handout")
    keep = say("Keep it for yourself; give learners the worksheet.")
    made_line = say("Facilitator handout made on {date}. For learning, not diagnosis.").format(date=made)
    has_answers, scenarios = say("This sheet has the answers."), say("Scenarios")
    myth_answers, sources = say("Myths and facts: the answers"), say("Sources")
    body = (
        f"<h1>{escape(title)}</h1>{unreviewed_html(knowledge)}"
        f'<p class="note"><strong>{escape(has_answers)}</strong> {escape(keep)}</p>'
        f"{safeguarding}"
        f"<h2>{escape(scenarios)}</h2>{''.join(parts)}"
        f'<h2>{escape(myth_answers)}</h2><ol class="myths">{"".join(answers)}</ol>'
        f"<h2>{escape(sources)}</h2>{sources_html(cited, knowledge)}"
        f'<p class="small">{escape(made_line)}</p>'
    )
    return _page(title, body, knowledge)


_PRINT_CSS = asset_text("print.css")


def data_uri(document: str) -> str:
    """A ``data:`` URI for a download link: works in Voila without writing files on the server."""
    encoded = base64.b64encode(document.encode("utf-8")).decode("ascii")
    return f"data:text/html;charset=utf-8;base64,{encoded}"
