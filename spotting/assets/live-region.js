// The words this script writes itself, together (the advice itself comes from the kernel). The
// kernel sends them in the reader's language as ``messages`` before they are ever needed (they
// show when the kernel has gone); these English ones are the default.
const MESSAGES = {
  lostHeading: "This page lost its connection",
  lostWords: "The advice may be out of date, so it is hidden. Reload to start again: nothing you " +
    "entered was saved. If you are worried, get medical help now; do not wait for this page.",
  reload: "Reload the page",
  lostBanner: "This page lost its connection. Reload the page to start again.",
};

const SETTLE_MS = 400;
function render({ model, el }) {
  const words = () => ({ ...MESSAGES, ...(model.get("messages") || {}) });
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
  const lostWords = document.createElement("p");
  const reload = document.createElement("button");
  reload.type = "button";
  reload.className = "jupyter-button sp-reload";
  const wordLost = () => {
    const said = words();
    heading.textContent = said.lostHeading;
    lostWords.textContent = said.lostWords;
    reload.textContent = said.reload;
  };
  wordLost();
  model.on("change:messages", wordLost);
  reload.addEventListener("click", () => window.location.reload());
  lost.append(heading, lostWords, reload);
  // The phone's sticky banner repeats the advice, so it must not keep a stale verdict either.
  const banners = () => Array.from(document.querySelectorAll(".sp-banner .sp-bar"));
  const saved = new Map();
  const coverBanners = () => banners().forEach((banner) => {
    saved.set(banner, banner.innerHTML);
    const line = document.createElement("p");
    line.className = "sp-banner--lost";
    line.textContent = words().lostBanner;
    banner.replaceChildren(line);
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
