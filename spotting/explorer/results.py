"""HTML rendering of an explanation: NHS-style care card first, then the reasons behind it.

The order is the safety order: what to do (the care card) always comes before why. Urgency is
shown in words (the heading is the action, with visually hidden urgency text for screen readers),
by an icon and by border thickness, so it never depends on colour alone (WCAG 1.4.1).

Everything here ends up in ``innerHTML`` in the browser, so every string from data/ and every
answer is escaped with ``html.escape``; links are only made for http(s) URLs. This module is
plain string building — no ipywidgets — so it is tested without a browser or a kernel.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from html import escape

from ..care import card_heading, card_style, contacts, phone_pieces
from ..diagram import DIAGRAM_CSS, diagram_html, places
from ..explain import CauseResult, Explanation, explain
from ..markup import BASE_CSS, BORDER_PX, asset_text, citation, long_date, urgency_label
from ..model import N_, Knowledge, Review, Service
from ..render_text import answered, said
from ..safety_nets import safety_nets
from ..urgency import Urgency

FIT_HEADINGS: dict[str, str] = {"likely": N_("More likely"), "possible": N_("Possible")}
"""Shown in the reader's language with ``knowledge.phrase``; every phrase below is a ui.po msgid."""

STYLE = BASE_CSS + DIAGRAM_CSS + asset_text("explorer.css")
"""The explorer's stylesheet (``spotting/assets/explorer.css``), after the palette and the shared
classes. Colours are NHS palette values chosen for at least 4.5:1 contrast (``tokens.css``)."""


def said_list(because: Iterable[str], explanation: Explanation, knowledge: Knowledge) -> str:
    """Say "because you said …" in the questions' own words (the answer labels from data/)."""
    return "; ".join(escape(said(item, explanation, knowledge)) for item in answered(because, explanation))


def because_line(because: Iterable[str], explanation: Explanation, knowledge: Knowledge) -> str:
    """The "Because you said: …" paragraph, or nothing when no given answer lies behind it."""
    words = said_list(because, explanation, knowledge)
    label = escape(knowledge.phrase("Because you said:"))
    return f'<p class="sp-because">{label} {words}</p>' if words else ""


CALL_SERVICE: dict[Urgency, str] = {Urgency.EMERGENCY: "emergency_number", Urgency.URGENT: "urgent_contact"}
"""The service whose number the card offers to call, by level (data/services.csv: tel, call)."""

NEW_TAB = ' target="_blank" rel="noopener noreferrer"'
"""Every link out of the page opens outside it, so a person's answers stay on screen."""
NEW_TAB_HINT = '<span class="sp-visually-hidden"> (opens in a new tab)</span>'

TIME_CRITICAL_ICON = "!"
"""One mark, not the "!!" of an alarm: emergency contraception is time-critical, and the heading
says "today". Plain text, because a clock emoji shows as an empty box where no emoji font is."""


def with_phones(text: str, knowledge: Knowledge) -> str:
    """``text`` escaped, with every phone number of the region's services as a ``tel:`` (or, after
    "text", an ``sms:``) link, so no number on a card has to be copied to be dialled."""
    parts = []
    for piece in phone_pieces(text, knowledge):
        words = escape(piece.text)
        if piece.number:
            href = escape(f"{piece.scheme}:{piece.number}", quote=True)
            words = f'<a class="sp-tel" href="{href}">{words}</a>'
        parts.append(words)
    html = "".join(parts)
    # A sentence not yet translated stays English: marked so, for screen readers (spotting.localise).
    return f'<span lang="en" dir="ltr">{html}</span>' if knowledge.is_english(text) else html


def _service_links(service: Service, knowledge: Knowledge) -> str:
    """A service's own call and text buttons (its ``tel`` and ``sms`` columns), if it has them."""
    links = []
    if service.tel:
        links.append(f'<a class="sp-call" href="tel:{escape(service.tel, quote=True)}">{escape(service.call)}</a>')
    if service.sms:
        href = escape(f"sms:{service.sms}", quote=True)
        words = escape(knowledge.phrase("Text {number}").format(number=service.sms))
        links.append(f'<a class="sp-call sp-call--sms" href="{href}">{words}</a>')
    return f'<p class="sp-call-links">{" ".join(links)}</p>' if links else ""


def call_link(knowledge: Knowledge, level: Urgency, service_id: str = "") -> str:
    """A tap-to-call link for the advice's service (its ``call`` column, else the level's usual
    one) in the reader's region, or nothing when that region has no single number for it (no
    region chosen, "somewhere else", no national line). Never another service's number: a child
    told to call a helpline must not find a button for a health line. A service with a text
    number gets a text button too; an emergency card adds the region's "text 999" service."""
    service = knowledge.services.get(service_id or CALL_SERVICE.get(level, ""))
    if service is None or not (service.tel or service.sms):
        return ""
    links = _service_links(service, knowledge)
    sms = knowledge.services.get("emergency_sms")
    if level is Urgency.EMERGENCY and service.id == "emergency_number" and sms is not None:
        links += f'<p class="sp-sms-note">{with_phones(sms.text, knowledge)}</p>'
    return links


def emergency_line(explanation: Explanation, knowledge: Knowledge) -> str:
    """The region's emergency number(s) in words, where there is no single number to tap: with no
    region chosen it lists them all, each one tappable beside its country's name."""
    if knowledge.services["emergency_number"].tel:
        return ""
    return f'<p class="sp-emergency-line">{with_phones(explanation.emergency, knowledge)}</p>'


def render_contacts(explanation: Explanation, knowledge: Knowledge) -> str:
    """The card's "find one near you" links and helplines (spotting.care.contacts): official
    pages only, opened outside the page, with nothing about the person in them."""
    call = knowledge.services.get(explanation.advice.call or CALL_SERVICE.get(explanation.urgency, ""))
    items = []
    for service in contacts(explanation, knowledge, skip_tel=call.tel if call else ""):
        words = with_phones(service.text, knowledge)
        has_number = words != escape(service.text)
        if service.url and not has_number:
            href = escape(service.url, quote=True)
            words = f'<a class="sp-find" href="{href}"{NEW_TAB}>{words}{NEW_TAB_HINT}</a>'
        elif service.url:
            link_words = escape(service.call or knowledge.phrase("Open their website"))
            href = escape(service.url, quote=True)
            words += f' <a class="sp-find" href="{href}"{NEW_TAB}>{link_words}{NEW_TAB_HINT}</a>'
        items.append(f'<li data-service="{escape(service.id, quote=True)}">{words}</li>')
    if not items:
        return ""
    label = escape(knowledge.phrase("Where to get help"), quote=True)
    return f'<ul class="sp-contacts" aria-label="{label}">{"".join(items)}</ul>'


def safety_net_headings(knowledge: Knowledge) -> dict[Urgency, str]:
    """ "Call 999 if:" in the UK, "Call 911 if:" in the US, "Call your emergency number if:"."""
    number = knowledge.services["emergency_number"].text
    return {
        Urgency.EMERGENCY: knowledge.phrase("Call {number} if:").format(number=number),
        Urgency.URGENT: knowledge.phrase("Get help today if:"),
    }


def region_note(knowledge: Knowledge) -> str:
    """Issue 12: the services are the reader's region's. How soon to get help is one cautious line
    everywhere; that is said once, in the footer, for the neutral wording only (issue 19)."""
    if knowledge.region.code == "GB":
        return ""
    if not knowledge.region.chosen:
        note = knowledge.phrase(
            "No place is chosen, so services are described in general words. "
            "Choose where you are at the top to see their names and numbers."
        )
        return f'<p class="sp-region-note">{escape(note)}</p>'
    note = knowledge.phrase("Services named here are the ones {where}; choose where you are at the top to change them.")
    return f'<p class="sp-region-note">{escape(note.format(where=knowledge.region.where))}</p>'


def render_guidance_note(knowledge: Knowledge) -> str:
    """The footer line that says which guidance "how soon" follows: only where no country is
    named (no region chosen, or "somewhere else"); a chosen country's reader is not told about
    another country's guidance."""
    if knowledge.region.code not in ("unset", "other"):
        return ""
    note = knowledge.phrase("How soon to get help follows UK guidance, the most cautious line we found.")
    return f'<p class="sp-guidance-note" data-section="guidance">{escape(note)}</p>'


def _net_items(explanation: Explanation, knowledge: Knowledge, level: Urgency) -> str:
    """The safety-net lines for ``level`` (spotting.safety_nets decides which), as list items."""
    lines = safety_nets(explanation.answers, explanation.urgency, knowledge).get(level, ())
    return "".join(f"<li>{with_phones(item.text, knowledge)}</li>" for item in lines)


def safety_net(explanation: Explanation, knowledge: Knowledge) -> str:
    """The NHS care card's "Call 999 if:" and "Get help today if:" lists, inside the card: plain
    sentences from data/safety_nets.csv, only those the person's answers leave open."""
    parts = []
    for level, heading in safety_net_headings(knowledge).items():
        if items := _net_items(explanation, knowledge, level):
            heading_html = with_phones(heading, knowledge)
            parts.append(f'<h3 class="sp-care__if">{heading_html}</h3><ul data-safety-net="{level.id}">{items}</ul>')
    return "".join(parts)


def card_label(explanation: Explanation, knowledge: Knowledge) -> str:
    """The card's heading as every view shows it: hidden urgency words, a symbol, the action with
    its number tappable; a time-critical card has its own heading and symbol (spotting.care)."""
    level = knowledge.levels[explanation.urgency]
    style = card_style(explanation)
    icon = TIME_CRITICAL_ICON if style == "time_critical" else None
    return urgency_label(level, with_phones(card_heading(explanation, knowledge), knowledge), icon)


def render_care_card(explanation: Explanation, knowledge: Knowledge) -> str:
    """The care card for the overall urgency: the action as heading, hidden urgency words first.

    In an emergency the call button comes straight after the advice; otherwise the places the
    advice names ("find a pharmacy near you") come first, then the number to call."""
    style = card_style(explanation)
    border = BORDER_PX[explanation.urgency]
    body = [f"<p><strong>{with_phones(explanation.advice.message, knowledge)}</strong></p>"]
    call = call_link(knowledge, explanation.urgency, explanation.advice.call)
    found = render_contacts(explanation, knowledge)
    body += [call, found] if explanation.urgency is Urgency.EMERGENCY else [found, call]
    body.append(emergency_line(explanation, knowledge))
    if not explanation.red_flags:
        body.append(f"<p>{with_phones(explanation.baseline.message, knowledge)}</p>")
    body.append(safety_net(explanation, knowledge))
    body.append(region_note(knowledge))
    return (
        f'<section class="sp-care sp-care--{style}" data-section="care" data-urgency="{explanation.urgency.id}" '
        f'style="border-width: {border}px" aria-labelledby="sp-care-heading">'
        f'<h2 class="sp-care__heading" id="sp-care-heading">'
        f"{card_label(explanation, knowledge)}</h2>"
        f'<div class="sp-care__content">{"".join(body)}</div></section>'
    )


def render_red_flags(explanation: Explanation, knowledge: Knowledge) -> str:
    """The warning signs behind the care card, most urgent first, each with "because you said".

    Short on purpose: sources and review dates are gathered once, in the sources section."""
    if not explanation.red_flags and not explanation.raised_by:
        return ""
    items = []
    for flag in explanation.red_flags:
        heading = knowledge.levels[flag.rule.urgency].heading
        items.append(
            f'<li class="sp-item" data-flag="{escape(flag.rule.id, quote=True)}">'
            f"<p><strong>{with_phones(flag.rule.message, knowledge)}</strong> ({with_phones(heading, knowledge)})</p>"
            f"{because_line(flag.because, explanation, knowledge)}</li>"
        )
    for result in explanation.raised_by:  # a possible cause whose own advice sets the level
        cause = result.fit.cause
        heading = knowledge.levels[cause.advice_urgency].heading
        possible = escape(knowledge.phrase("{cause} is possible.").format(cause=cause.name))
        items.append(
            f'<li class="sp-item" data-raised-by="{escape(cause.id, quote=True)}">'
            f"<p><strong>{possible} "
            f"{with_phones(cause.next_step, knowledge)}</strong> "
            f"({with_phones(heading, knowledge)})</p>"
            f"{because_line(result.because, explanation, knowledge)}</li>"
        )
    why = escape(knowledge.phrase("Why this advice"))
    return (
        '<section class="sp-section" data-section="red-flags" aria-labelledby="sp-flags-heading">'
        f'<h2 id="sp-flags-heading">{why}</h2>'
        f'<ul>{"".join(items)}</ul></section>'
    )


TOP_CAUSES = 3
"""Causes shown as one line each before anything is unfolded (UX review: 1,800-2,350 words)."""


def _cause_item(result: CauseResult, explanation: Explanation, knowledge: Knowledge) -> str:
    """One cause: a one-line summary that unfolds (a native disclosure) into why, what, what helps."""
    cause, fit = result.fit.cause, result.fit.fit
    say = knowledge.phrase
    how_common, what, helps = escape(say("How common:")), escape(say("What it is:")), escape(say("What helps:"))
    figure = f"<p>{how_common} {escape(cause.figure)}</p>" if cause.figure else ""
    return (
        f'<li class="sp-item" data-cause="{escape(cause.id, quote=True)}" data-fit="{escape(fit, quote=True)}">'
        f'<details aria-label="{escape(cause.name, quote=True)}">'
        f"<summary><strong>{escape(cause.name)}</strong> ({escape(say(FIT_HEADINGS[fit]).lower())})</summary>"
        f"{because_line(result.because, explanation, knowledge)}"
        f"<p><strong>{what}</strong> {with_phones(cause.summary, knowledge)}</p>"
        f"<p><strong>{helps}</strong> {with_phones(cause.next_step, knowledge)}</p>"
        f"{figure}</details></li>"
    )


def render_causes(explanation: Explanation, knowledge: Knowledge) -> str:
    """Possible explanations, best fit first: the top three in one line each, the rest folded."""
    if not explanation.causes:
        return ""
    items = [_cause_item(result, explanation, knowledge) for result in explanation.causes]
    top, rest = items[:TOP_CAUSES], items[TOP_CAUSES:]
    say = knowledge.phrase
    count = knowledge.nphrase("{count} more possible explanation", "{count} more possible explanations", len(rest))
    label = escape(say("More possible explanations"), quote=True)
    heading, hint = escape(say("Possible explanations (not a diagnosis)")), escape(say("Select one to read more."))
    more = (
        f'<details class="sp-more" aria-label="{label}">'
        f"<summary>{escape(count.format(count=len(rest)))}"
        f'</summary><ul class="sp-causes">{"".join(rest)}</ul></details>'
        if rest
        else ""
    )
    return (
        '<section class="sp-section" data-section="causes" aria-labelledby="sp-causes-heading">'
        f'<h2 id="sp-causes-heading">{heading}</h2>'
        f'<p class="sp-hint">{hint}</p>'
        f'<ul class="sp-causes">{"".join(top)}</ul>{more}</section>'
    )


def render_diagram(explanation: Explanation, knowledge: Knowledge) -> str:
    """Where the possible causes could come from, as a picture with its words (spotting.diagram)."""
    causes = [result.fit.cause for result in explanation.causes]
    if not any(cause.sites for cause in causes):
        return ""
    return (
        '<section class="sp-section" data-section="diagram" aria-labelledby="sp-diagram-heading">'
        f"{diagram_html(causes, knowledge, heading='h2', heading_id='sp-diagram-heading')}</section>"
    )


def _folded(section: str, heading_id: str, heading: str, body: str) -> str:
    """A section that starts folded: its heading is the disclosure's summary, so it is still
    reachable by heading navigation and readable as a one-line outline."""
    return (
        f'<section class="sp-section" data-section="{section}" aria-labelledby="{heading_id}">'
        f'<details aria-labelledby="{heading_id}"><summary><h2 id="{heading_id}">{escape(heading)}</h2></summary>'
        f"{body}</details></section>"
    )


def render_would_change(explanation: Explanation, knowledge: Knowledge) -> str:
    """Single answers that would make the advice more urgent: the safety net, made concrete."""
    if not explanation.would_change:
        return ""
    items = []
    for change in explanation.would_change:
        answer = knowledge.questions[change.field].answer_phrase(change.value)
        heading = knowledge.levels[change.urgency].heading
        words = escape(knowledge.phrase("If you answered “{answer}”, the advice would be:").format(answer=answer))
        items.append(
            f'<li data-field="{escape(change.field, quote=True)}">{words} '
            f"<strong>{with_phones(heading, knowledge)}</strong></li>"
        )
    heading = knowledge.phrase("What would change this advice")
    return _folded("would-change", "sp-change-heading", heading, f"<ul>{''.join(items)}</ul>")


def render_unanswered(explanation: Explanation, knowledge: Knowledge) -> str:
    """The unanswered questions that would sharpen the advice, most decision-relevant first."""
    if not explanation.unanswered:
        return ""
    items = "".join(
        f'<li data-field="{escape(field, quote=True)}">{escape(knowledge.questions[field].label)}</li>'
        for field in explanation.unanswered
    )
    heading = knowledge.phrase("Questions that would sharpen this")
    return _folded("unanswered", "sp-unanswered-heading", heading, f"<ul>{items}</ul>")


def _shown_reviews(explanation: Explanation, knowledge: Knowledge) -> list[Review]:
    """The review records behind everything on the page: advice, flags, causes and the diagram."""
    reviews = [explanation.advice.review, explanation.baseline.review]
    reviews += [flag.rule.review for flag in explanation.red_flags]
    causes = [result.fit.cause for result in explanation.causes]
    reviews += [cause.review for cause in causes]
    reviews += [knowledge.sites[site].review for site in places(causes, knowledge)]
    return reviews


def render_sources(explanation: Explanation, knowledge: Knowledge) -> str:
    """One "Sources and review dates" section for the whole result, folded, public sources only."""
    reviews = _shown_reviews(explanation, knowledge)
    cited = list(dict.fromkeys(source for review in reviews for source in review.sources))
    public = [source for source in cited if source in knowledge.sources and knowledge.sources[source].public]
    items = "".join(f"<li>{citation(source, knowledge, new_tab=True)}</li>" for source in public)
    oldest = min(review.last_reviewed for review in reviews)
    due = min(review.next_review_due for review in reviews)
    review = knowledge.phrase(
        "Everything shown here was reviewed on or after {reviewed}. The next review is due by {due}."
    ).format(reviewed=long_date(oldest, knowledge), due=long_date(due, knowledge))
    body = f'<p class="sp-review">{escape(review)}</p><ul>{items}</ul>'
    return _folded("sources", "sp-sources-heading", knowledge.phrase("Sources and review dates"), body)


def render_results(explanation: Explanation, knowledge: Knowledge) -> str:
    """The whole results column; the care card is always the first element."""
    return "".join(
        (
            render_care_card(explanation, knowledge),
            render_red_flags(explanation, knowledge),
            render_causes(explanation, knowledge),
            render_diagram(explanation, knowledge),
            render_would_change(explanation, knowledge),
            render_unanswered(explanation, knowledge),
            render_sources(explanation, knowledge),
            render_guidance_note(knowledge),
        )
    )


def render_start(explanation: Explanation, knowledge: Knowledge) -> str:
    """Before the first answer: no verdict yet (UX review), but the emergency safety net at once.

    ``explanation`` is the one for no answers; only its "Call 999 if:" list is shown (the
    region's number, or every number when no region is chosen)."""
    items = _net_items(explanation, knowledge, Urgency.EMERGENCY)
    say = knowledge.phrase
    number = knowledge.services["emergency_number"].text
    heading = with_phones(say("Call {number} now if:").format(number=number), knowledge)
    start = say("Start with the first questions: they check for an emergency. You can leave any question unanswered.")
    title = escape(say("Your advice will show here"))
    return (
        '<section class="sp-start" data-section="start" aria-labelledby="sp-start-heading">'
        f'<h2 id="sp-start-heading">{title}</h2>'
        f"<p>{escape(start)}</p>"
        f'<h3 class="sp-care__if">{heading}</h3><ul data-safety-net="emergency">{items}</ul>'
        f"{call_link(knowledge, Urgency.EMERGENCY)}{emergency_line(explanation, knowledge)}</section>"
    )


@lru_cache(maxsize=32)
def start_page(knowledge: Knowledge) -> str:
    """:func:`render_start` for no answers, worked out once per knowledge base (hashed by identity).

    Why: every new page, "Start again" and a change of language or region before the first
    answer show it, and ``explain`` with its "what would change" index is most of a new page's
    Python (about 15 ms here, about four times that in a phone's browser Python). The static
    site's snapshot holds it (``app.prepare``), so a visitor's page does not work it out at all."""
    return render_start(explain({}, knowledge), knowledge)


def first_sentence(text: str) -> str:
    """The first sentence of the advice: what the bar can say in a line or two."""
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


def render_banner(explanation: Explanation, knowledge: Knowledge) -> str:
    """The advice bar that stays at the top of every screen: the card's heading (hidden urgency
    words, symbol and action, as on the card) and the advice's first sentence, unless that only
    repeats the heading. Every number in it can be tapped."""
    sentence = first_sentence(explanation.advice.message)
    same = sentence.rstrip(".").casefold() == card_heading(explanation, knowledge).rstrip(".").casefold()
    extra = "" if same else f' <span class="sp-bar__first">{with_phones(sentence, knowledge)}</span>'
    see_why = escape(knowledge.phrase("See why"))
    return (
        f'<p class="sp-banner--{card_style(explanation)}" data-urgency="{explanation.urgency.id}">'
        f'<span class="sp-bar__level">{card_label(explanation, knowledge)}.</span>{extra} '
        f'<a href="#sp-care-heading">{see_why}</a></p>'
    )


def render_problem(message: str, heading: str = "Sorry") -> str:
    """A kind message in place of the results, when the answers cannot be used."""
    return (
        f'<section class="sp-problem" data-section="problem"><h2>{escape(heading)}</h2>'
        f"<p>{escape(message)}</p></section>"
    )
