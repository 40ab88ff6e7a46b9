"""Small browser-side widgets that ipywidgets cannot express, written with anywidget.

* ``LiveRegion``: the results, and beside them a *stable* ``role="status"`` line that screen
  readers announce. The whole result is thousands of characters; read out after every answer it
  drowned the one thing that matters (UX review: 6,000-9,800 characters per change), so only
  ``announcement`` ("Advice changed: Get medical help today.") is live. An ``ipywidgets.HTML``
  widget would replace its whole ``innerHTML`` and with it any live region inside, which
  assistive technology often misses; this widget creates both once and swaps only the result
  sections (``data-section``) whose HTML changed.
* ``AdviceBar``: the one-line advice (level and first sentence) that sticks to the top of every
  screen, so a change of advice is seen where the person is (issue 19, item 1); see its docstring.
* ``SummaryDownload``: "take this to your appointment" is shown on screen first (a sandboxed
  frame that runs nothing), then offers a "save as a file" link and a print button.
  Both are made in the person's browser from HTML held in their own kernel session: a Blob URL
  for the download and a sandboxed ``srcdoc`` iframe for printing. Nothing is written to disk or
  sent to any other server.

The JavaScript is inline (no build step, nothing fetched at runtime) and uses only DOM APIs.
"""

from __future__ import annotations

import anywidget
import traitlets

_LIVE_REGION_ESM = """
const SETTLE_MS = 400;
function render({ model, el }) {
  const announcer = document.createElement("p");
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  announcer.className = "sp-visually-hidden sp-announcement";
  // One announcement per settled change (issue 19, item 8): two quick changes are spoken once,
  // after the answers have been still for a moment, and the same words are never said twice in a row.
  let spoken = "";
  let settle = null;
  const speak = () => {
    settle = null;
    const text = model.get("announcement");
    if (text === spoken) return;
    spoken = text;
    announcer.textContent = text;
  };
  // Settled means the kernel has worked through every answer this page sent (``handled`` against
  // the forms' count, window.spottingSent), and then a short quiet moment. Two quick changes are
  // one announcement however slow the kernel is; the wait only ever merges, never splits.
  const caughtUp = () => (model.get("handled") || 0) >= (window.spottingSent || 0);
  const announce = () => {
    clearTimeout(settle);
    if (caughtUp()) settle = setTimeout(speak, SETTLE_MS);
  };
  const region = document.createElement("div");
  region.className = "sp-results";
  const draw = () => {
    const next = document.createElement("template");
    next.innerHTML = model.get("value");
    const fresh = Array.from(next.content.children);
    const old = Array.from(region.children);
    const sameShape = fresh.length === old.length &&
      fresh.every((node, i) => node.dataset.section === old[i].dataset.section);
    if (!sameShape) {
      region.replaceChildren(...fresh);
      return;
    }
    fresh.forEach((node, i) => {
      if (node.outerHTML !== old[i].outerHTML) region.replaceChild(node, old[i]);
    });
  };
  // A dead kernel (out of memory, culled after a laptop slept, a server restart) must never leave
  // stale advice on screen: the page pings its kernel; with no answer for 1.5 s the result is
  // hidden behind an alert with a Reload button.
  const lost = document.createElement("div");
  lost.className = "sp-lost";
  lost.hidden = true;
  lost.setAttribute("role", "alert");
  const heading = document.createElement("h2");
  heading.textContent = "This page lost its connection";
  const words = document.createElement("p");
  words.textContent = "The advice may be out of date, so it is hidden. Reload to start again: nothing you " +
    "entered was saved. If you are worried, get medical help now; do not wait for this page.";
  const reload = document.createElement("button");
  reload.type = "button";
  reload.className = "jupyter-button sp-reload";
  reload.textContent = "Reload the page";
  reload.addEventListener("click", () => window.location.reload());
  lost.append(heading, words, reload);
  // The phone's sticky banner repeats the advice, so it must not keep a stale verdict either.
  const banners = () => Array.from(document.querySelectorAll(".sp-banner .sp-bar"));
  const saved = new Map();
  const coverBanners = () => banners().forEach((banner) => {
    saved.set(banner, banner.innerHTML);
    banner.innerHTML = '<p class="sp-banner--lost">This page lost its connection. Reload the page to start again.</p>';
  });
  const restoreBanners = () => { saved.forEach((html, banner) => { banner.innerHTML = html; }); saved.clear(); };
  let lastPong = Date.now();
  model.on("msg:custom", (message) => {
    if (!message || message.type !== "pong") return;
    lastPong = Date.now();
    if (!lost.hidden) {  // only slow (a busy machine), not dead: show the advice again
      lost.hidden = true;
      region.hidden = false;
      restoreBanners();
      spoken = "";
      announce();
    }
  });
  const beat = setInterval(() => {
    try { model.send({ type: "ping" }); } catch (error) { /* a closed connection: caught below */ }
    if (lost.hidden && Date.now() - lastPong > 1500) {
      lost.hidden = false;
      region.hidden = true;
      coverBanners();
      clearTimeout(settle);
      announcer.textContent = "";
    }
  }, 500);
  draw();
  speak();
  model.on("change:value", draw);
  model.on("change:announcement", announce);
  model.on("change:handled", announce);
  el.append(announcer, lost, region);
  return () => { clearInterval(beat); clearTimeout(settle); };
}
export default { render };
"""

_ADVICE_BAR_ESM = """
function render({ model, el }) {
  const bar = document.createElement("div");
  bar.className = "sp-bar";
  el.appendChild(bar);
  const host = () => el.closest(".sp-banner") || el;
  const app = () => el.closest(".sp-app");
  const scroller = () => {  // the box the page scrolls in (Voila's panel, or the document)
    for (let node = el.parentElement; node; node = node.parentElement) {
      if (/(auto|scroll)/.test(getComputedStyle(node).overflowY) && node.scrollHeight > node.clientHeight) return node;
    }
    return document.scrollingElement;
  };
  const motion = () => (window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth");
  // The bar's height, for the advice column on a wide screen (it sticks just below the bar) and
  // for the page's scroll padding, so the browser never scrolls a focused control under the bar.
  const measure = () => {
    const height = bar.childElementCount ? host().getBoundingClientRect().height : 0;
    const root = app();
    if (root) root.style.setProperty("--sp-bar-h", `${Math.ceil(height)}px`);
    const exit = document.querySelector(".sp-exit");  // the quick exit (the page template), fixed at the top
    const top = Math.max(height, exit ? exit.getBoundingClientRect().bottom : 0);
    const box = scroller();
    if (box) box.style.scrollPaddingTop = `${Math.ceil(top) + 8}px`;
  };
  // WCAG 2.2 2.4.11: the bar never covers the control in use or the question it answers.
  const keepClear = () => {
    const active = document.activeElement;
    const root = app();
    if (!root || !active || !root.contains(active) || host().contains(active) || !bar.childElementCount) return;
    const barBottom = host().getBoundingClientRect().bottom;
    const control = active.getBoundingClientRect();
    if (control.bottom <= 0 || control.top >= window.innerHeight) return;  // scrolled away on purpose: no jump
    const legend = active.closest(".sp-form__question")?.querySelector(".sp-legend");
    const top = Math.min(control.top, legend ? legend.getBoundingClientRect().top : control.top);
    const room = window.innerHeight - control.bottom - 8;  // never push the control off the bottom
    const down = Math.min(barBottom + 8 - top, Math.max(room, barBottom + 8 - control.top));
    if (down > 0) scroller().scrollTop -= down;
  };
  // A change of level is shown where the person is looking (issue 19, item 1): the bar says it
  // at the top of every screen, and on a wide screen the advice column goes back to the card.
  const bringCard = () => {
    const column = document.querySelector(".sp-results-column");
    const scrolls = column && /(auto|scroll)/.test(getComputedStyle(column).overflowY);
    if (scrolls && column.scrollHeight > column.clientHeight) {
      column.scrollTo({ top: 0, behavior: motion() });
    }
  };
  let level = null;
  const draw = () => {
    bar.innerHTML = model.get("value");
    const now = bar.querySelector("[data-urgency]")?.dataset.urgency || null;
    const changed = now !== null && level !== null && now !== level;
    if (now !== null) level = now;
    if (changed) bar.querySelector("[data-urgency]").classList.add("sp-bar--fresh");
    requestAnimationFrame(() => {
      measure();
      if (changed) bringCard();
      keepClear();
    });
  };
  // "See why" moves to the care card without adding a history entry, so the quick exit's
  // location.replace() leaves nothing of this page behind Back.
  bar.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#"]');
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    bringCard();
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "start", behavior: motion() });
    target.focus({ preventScroll: true });
  });
  const resize = new ResizeObserver(measure);
  resize.observe(bar);
  draw();
  model.on("change:value", draw);
  return () => resize.disconnect();
}
export default { render };
"""

_SUMMARY_ESM = """
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "sp-summary";
  const view = document.createElement("iframe");  // on screen first (UX review), then save or print
  view.title = "Your summary";
  view.className = "sp-summary-view";
  view.setAttribute("sandbox", "allow-same-origin");  // shows the page; runs no script in it
  const buttons = document.createElement("div");
  buttons.className = "sp-actions";
  const link = document.createElement("a");
  link.className = "sp-download";
  link.textContent = "Save the summary as a file";
  const print = document.createElement("button");
  print.type = "button";
  print.className = "sp-print jupyter-button";
  print.textContent = "Print the summary";
  let url = null;
  const draw = () => {
    const html = model.get("html");
    if (url) URL.revokeObjectURL(url);
    url = html ? URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" })) : null;
    box.style.display = html ? "" : "none";  // not box.hidden: the app's CSS sets display: flex
    if (url) link.href = url; else link.removeAttribute("href");
    link.download = model.get("filename");
    view.srcdoc = html;
  };
  print.addEventListener("click", () => {
    const frame = document.createElement("iframe");
    frame.title = "Summary for printing";
    frame.setAttribute("sandbox", "allow-modals allow-same-origin");
    frame.style.cssText = "position:fixed;right:0;bottom:0;width:0;height:0;border:0";
    frame.srcdoc = model.get("html");
    frame.addEventListener("load", () => {
      frame.contentWindow.focus();
      frame.contentWindow.print();
      setTimeout(() => frame.remove(), 60000);
    });
    document.body.appendChild(frame);
  });
  draw();
  model.on("change:html", draw);
  model.on("change:filename", draw);
  buttons.append(link, print);
  box.append(view, buttons);
  el.appendChild(box);
  return () => { if (url) URL.revokeObjectURL(url); };
}
export default { render };
"""


class LiveRegion(anywidget.AnyWidget):
    """The result's HTML (``value``) and a stable, polite live line (``announcement``)."""

    _esm = _LIVE_REGION_ESM
    value = traitlets.Unicode("").tag(sync=True)
    announcement = traitlets.Unicode("").tag(sync=True)
    handled = traitlets.Int(0).tag(sync=True)
    """How many answer changes the kernel has worked through: the announcement waits until it has
    caught up with every change the page sent, so a burst of changes is spoken once."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._answer_ping)

    def _answer_ping(self, _widget: object, content: object, _buffers: object) -> None:
        """The page's heartbeat: a reply says the kernel is alive (see the ESM above)."""
        if isinstance(content, dict) and content.get("type") == "ping":
            self.send({"type": "pong"})


class AdviceBar(anywidget.AnyWidget):
    """The compact advice bar that sticks to the top of every screen (``value`` is its HTML).

    Why a widget of its own and not ``ipywidgets.HTML``: it must measure itself (so the page's
    scroll padding and the wide screen's advice column leave room for it), keep the focused
    control clear of it, and bring the care card back into view when the level changes. An HTML
    widget can only set ``innerHTML``."""

    _esm = _ADVICE_BAR_ESM
    value = traitlets.Unicode("").tag(sync=True)


class SummaryDownload(anywidget.AnyWidget):
    """A download link and a print button for ``html``; hidden while ``html`` is empty."""

    _esm = _SUMMARY_ESM
    html = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("spotting-summary.html").tag(sync=True)
