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
from html import escape

from ..care import card_heading, card_style, contacts, phone_pieces
from ..diagram import DIAGRAM_CSS, diagram_html, places
from ..explain import CauseResult, Explanation
from ..markup import BASE_CSS, BORDER_PX, citation, long_date, urgency_label
from ..model import N_, Knowledge, Review, Service
from ..render_text import answered, said
from ..safety_nets import safety_nets
from ..urgency import Urgency

FIT_HEADINGS: dict[str, str] = {"likely": N_("More likely"), "possible": N_("Possible")}
"""Shown in the reader's language with ``knowledge.phrase``; every phrase below is a ui.po msgid."""

STYLE = (
    BASE_CSS
    + DIAGRAM_CSS
    + """
/* The side padding keeps every focus ring (3px outline and a 6px shadow) inside the page: at the
   edge of Voila's panel it was clipped (UX review 3, Pat at 200% zoom). */
.sp-app { max-width: 72rem; color: #212b32; font-size: 1rem; line-height: 1.5; overflow: visible;
  padding: 0 0.75rem; box-sizing: border-box; }
/* Lumino clips every widget (overflow: hidden), which cut focus rings at the form's edges. */
.sp-app .widget-box, .sp-app .jupyter-widgets, .sp-app .lm-Widget { overflow: visible; }
/* The live region is a Lumino widget (overflow: hidden) inside a flex column: without this it
   shrinks to the column's height and clips everything after the first screen of advice. */
.sp-app .sp-results-region { overflow: visible; flex: 0 0 auto; }
/* Voila's output area clips overflow, which would stop the advice sticking to the screen. */
.jp-OutputArea:has(.sp-app), .jp-OutputArea-child:has(.sp-app), .jp-OutputArea-output:has(.sp-app) {
  overflow: visible !important; }
/* One column on a phone, in reading order: the emergency check, the advice, the other questions.
   A grid (not flex) so a wide screen can put the advice beside all the questions without
   changing that order in the page. */
.sp-app .sp-columns { display: grid !important; grid-template-columns: minmax(0, 1fr); gap: 1.5rem;
  align-items: start; }
.sp-questions, .sp-results-column { min-width: 0; max-width: 100%; }

/* Wide screens: the advice column stays in view while answering and scrolls on its own. The
   selector carries .sp-app so it out-ranks ".sp-app .widget-box { overflow: visible }" above;
   without that the column was cut at one screen height and the wheel could not reach the rest. */
@media (min-width: 48rem) {
  .sp-app .sp-columns { grid-template-columns: minmax(0, 1fr) minmax(0, 1.1fr); grid-template-rows: auto 1fr;
    grid-template-areas: "first results" "more results"; column-gap: 1.5rem; row-gap: 0; }
  .sp-app .sp-questions--first { grid-area: first; }
  .sp-app .sp-questions--more { grid-area: more; }
  .sp-app .sp-results-column { grid-area: results; }
  .sp-app .sp-results-column { position: sticky; top: var(--sp-bar-h, 0px);
    max-height: calc(100vh - var(--sp-bar-h, 0px)); overflow-y: auto;
    overscroll-behavior-y: auto; box-sizing: border-box; padding: 0.5rem 0.75rem 1.5rem 0.25rem; }
}
/* The advice bar sticks to the top at every size and zoom (issue 19, item 1): a change of advice
   is seen where the person is. It is one compact paragraph: the level, then the advice's first
   sentence. Its own script (live.AdviceBar) sets the page's scroll padding to its height, so a
   focused control or a jumped-to heading is never scrolled under it (WCAG 2.2 2.4.11). */
.sp-banner { position: sticky !important; top: 0; z-index: 10; width: 100% !important; box-sizing: border-box;
  margin: 0 !important; background: #ffffff; padding: 0.25rem 0; box-shadow: 0 2px 4px rgba(33, 43, 50, 0.3); }
.sp-banner:not(:has(p)) { display: none !important; }
.sp-banner p { margin: 0; padding: 0.4rem 0.75rem; border: 2px solid #005eb8; line-height: 1.35; }
.sp-banner .sp-bar__level { font-weight: 700; }
/* Voila's panel has 10px of padding, which Chromium keeps clear above a sticky element. */
.lm-BoxPanel-child:has(.sp-app) { padding-top: 0 !important; }
/* The quick exit button sits in the bar's top-right corner: the bar's first lines make room for it. */
body:has(.sp-exit) .sp-banner p::before { content: ""; float: right; width: 9.5rem; height: 2.25rem; }
/* A short window (200% and 400% zoom): the bar is one line, the level, and says the advice's first
   sentence too right after the level has changed (sp-bar--fresh), until the next answer. */
@media (max-height: 31rem) {
  .sp-banner { padding: 0.1rem 0; }
  .sp-banner p { padding: 0.2rem 0.5rem; }
  .sp-banner p:not(.sp-bar--fresh) .sp-bar__first { display: none; }
}
@media (max-height: 31rem), (max-width: 40rem) {
  body:has(.sp-exit) .sp-banner p::before { width: 8.5rem; height: 1.2rem; }
}
.sp-banner .sp-banner--emergency, .sp-banner .sp-banner--urgent { border: 6px solid #d5281b; }
.sp-banner .sp-banner--soon { border-width: 4px; }
.sp-banner .sp-banner--self_care { border-color: #4c6272; }
.sp-banner .sp-banner--lost { border: 4px solid #212b32; background: #fff9c4; }
.sp-banner a { color: #003087; }
.sp-question { display: flex !important; flex-flow: column nowrap !important; align-items: stretch !important;
  width: 100% !important; max-width: 100%; margin: 0 0 0.75rem 0 !important; height: auto !important; }
.sp-question .widget-label, .sp-question label { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; width: auto !important; max-width: 100%; font-size: 1rem;
  line-height: 1.4; height: auto !important; color: #212b32; margin: 0 0 0.25rem 0 !important; text-align: left; }
.sp-question select { flex: 0 0 auto !important; width: 100% !important; max-width: 100%; height: auto !important;
  min-height: 2.75rem; font-size: 1rem;
  color: #212b32; border: 2px solid #4c6272; }
.sp-question select:focus, .sp-app button:focus, .sp-app a:focus { outline: 3px solid #ffeb3b !important;
  box-shadow: 0 0 0 6px #212b32 !important; }
.sp-app button { min-height: 2.75rem; min-width: 2.75rem; font-size: 1rem; }
.sp-actions { display: flex; flex-flow: row wrap; gap: 0.5rem; margin: 1rem 0; }
.sp-care { border: 2px solid #005eb8; border-left-style: solid; margin: 0 0 1.5rem 0; background: #ffffff; }
.sp-care__heading { margin: 0; padding: 0.75rem 1rem; font-size: 1.3rem; line-height: 1.3; }
.sp-care__content { padding: 0.5rem 1rem 1rem 1rem; }
.sp-care__content p { margin: 0.5rem 0; }
/* Three styles, as NHS care cards: non-urgent (blue), urgent (red), emergency (red and dark grey). */
.sp-care--emergency, .sp-care--urgent { border-color: #d5281b; }
.sp-care--emergency .sp-care__heading, .sp-care--urgent .sp-care__heading { background: #d5281b; color: #ffffff; }
.sp-care--emergency { background: #212b32; color: #ffffff; }
.sp-app .sp-care--emergency a, .sp-care--emergency .sp-sources, .sp-care--emergency .sp-review { color: #ffffff; }
.sp-care--soon .sp-care__heading, .sp-care--routine .sp-care__heading, .sp-care--self_care .sp-care__heading {
  background: #005eb8; color: #ffffff; }
/* Emergency contraception: time-critical, not an alarm (issue 19). Its own colour and symbol, the
   urgent border width; NHS warm yellow behind dark text (8:1), a dark amber edge (6:1 on white). */
.sp-care--time_critical { border-color: #7a5200; }
.sp-care--time_critical .sp-care__heading { background: #ffb81c; color: #212b32; }
.sp-banner .sp-banner--time_critical { border: 6px solid #7a5200; }
.sp-contacts { list-style: none; padding-left: 0 !important; margin: 0.75rem 0; }
.sp-contacts li { margin: 0 0 0.5rem 0; }
.sp-app a.sp-find { display: inline-flex; align-items: center; min-height: 2.75rem; font-weight: 700; }
.sp-call-links { display: flex; flex-flow: row wrap; gap: 0.5rem; }
.sp-guidance-note { font-size: 0.9rem; color: #4c6272; }
.sp-care__if { font-size: 1.05rem; margin: 0.75rem 0 0.25rem 0; }
.sp-care__content ul { margin: 0.25rem 0 0.5rem 0; padding-left: 1.25rem; }
.sp-app a.sp-call { display: inline-flex; align-items: center; min-height: 2.75rem; padding: 0.6rem 1rem;
  font-weight: 700; font-size: 1.15rem; border: 3px solid currentColor; border-radius: 0.25rem; text-decoration: none; }
.sp-section h2 { font-size: 1.2rem; margin: 1.25rem 0 0.5rem 0; }
.sp-section h3 { font-size: 1.05rem; margin: 1rem 0 0.25rem 0; }
.sp-section ul { padding-left: 1.25rem; }
.sp-item { margin: 0 0 1rem 0; }
.sp-item p { margin: 0.25rem 0; }
.sp-section summary { cursor: pointer; min-height: 1.5rem; padding: 0.25rem 0; }
.sp-section summary h2 { display: inline; }
.sp-section summary:focus-visible { outline: 3px solid #ffeb3b; box-shadow: 0 0 0 6px #212b32; }
.sp-causes { list-style: none; padding-left: 0; }
.sp-causes details { border-left: 4px solid #768692; padding-left: 0.75rem; margin: 0 0 0.5rem 0; }
.sp-hint { color: #4c6272; margin: 0 0 0.5rem 0; }
.sp-because { font-style: italic; }
.sp-sources, .sp-review { font-size: 0.9rem; color: #4c6272; }
.sp-app a { color: #003087; text-decoration: underline; }
.sp-summary-view { width: 100%; height: 70vh; border: 2px solid #4c6272; margin: 0.5rem 0; background: #ffffff; }
.sp-lost { border: 4px solid #212b32; background: #fff9c4; padding: 0.5rem 1rem 1rem 1rem; margin: 0 0 1.5rem 0; }
.sp-lost h2 { font-size: 1.3rem; margin: 0.5rem 0; }
.sp-start { border: 2px solid #4c6272; padding: 0.5rem 1rem 1rem 1rem; margin: 0 0 1.5rem 0; }
.sp-start h2 { font-size: 1.3rem; margin: 0.5rem 0; }
.sp-problem { border: 4px solid #212b32; padding: 0.75rem 1rem; margin: 0 0 1rem 0; }
"""
)
"""CSS for the explorer. Colours are NHS palette values chosen for at least 4.5:1 contrast."""


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
    count = say("1 more possible explanation") if len(rest) == 1 else say("{count} more possible explanations")
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
