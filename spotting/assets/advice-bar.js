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
  // Every read comes before any write: a read after a write makes the browser lay the page out
  // again at once (a forced layout), on every change of advice.
  const measure = () => {
    const height = bar.childElementCount ? host().getBoundingClientRect().height : 0;
    const exit = document.querySelector(".sp-exit");  // the quick exit (the page template), fixed at the top
    const top = Math.max(height, exit ? exit.getBoundingClientRect().bottom : 0);
    const box = scroller();
    // On the advice column, the only box that uses it (explorer.css says why not on the app).
    const column = app()?.querySelector(".sp-results-column");
    if (column) column.style.setProperty("--sp-bar-h", `${Math.ceil(height)}px`);
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
