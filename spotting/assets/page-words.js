// The page's words that are outside every widget, in the reader's language (spotting/explorer/live.py,
// PageWords): the notebook's opening (.sp-intro), which the page shows in English with its first
// bytes, the quick exit of the page template, which must work before any kernel has started, and
// the page's title (the notebook's metadata, in English). On the teaching pages (spotting/teaching/
// live.py) it also gives the app's root (.sp-page-language) the language and direction.
// This widget itself shows nothing.
function render({ model, el }) {
  el.hidden = true;
  let english = null;  // the opening as the notebook wrote it, to put back for English
  let shown = "";
  let englishTitle = null;  // the notebook's title, to put back for English
  const apply = () => {
    const lang = model.get("lang") || "en";
    const dir = model.get("dir") || "ltr";
    const title = model.get("title");
    if (title !== undefined) {
      if (englishTitle === null) englishTitle = document.title;
      document.title = title || englishTitle;
    }
    document.querySelectorAll(".sp-page-language").forEach((root) => {
      if (lang === "en") { root.removeAttribute("lang"); root.removeAttribute("dir"); } else { root.lang = lang; root.dir = dir; }
    });
    const intro = document.querySelector(".sp-intro");
    const html = model.get("intro");
    if (intro && html !== shown) {
      if (english === null) english = intro.innerHTML;
      intro.innerHTML = html || english;
      if (html) { intro.lang = lang; intro.dir = dir; } else { intro.removeAttribute("lang"); intro.removeAttribute("dir"); }
      shown = html;
    }
    const link = document.querySelector("a[data-sp-exit]");
    const words = model.get("exit") || {};
    if (!link || !words.label) return;
    const hidden = document.createElement("span");
    hidden.className = "sp-exit__hidden";
    hidden.textContent = words.hidden;
    link.replaceChildren(hidden, document.createTextNode(words.label));
    link.lang = lang;
    link.dir = dir;
    // Right to left, the exit moves to the top-left corner, so it never covers the advice bar's
    // symbol, which then starts on the right (quick_exit.html and language.css).
    link.parentNode.setAttribute("data-dir", dir);
    // Read by the template's Shift counter (quick_exit.html) at each press.
    link.setAttribute("data-press-two", words.pressTwo);
    link.setAttribute("data-press-one", words.pressOne);
  };
  apply();
  // The app's root may be drawn after this widget: look again until it is there (a few seconds).
  let tries = 0;
  const again = () => {
    if (document.querySelector(".sp-page-language") || tries++ > 20) { apply(); return; }
    setTimeout(again, 250);
  };
  again();
  // ?lang= in the address, told to the kernel once per page: a preheated kernel could not see it.
  const wanted = new URLSearchParams(window.location.search).get("lang");
  if (wanted && !window.spottingAddressSent) {
    window.spottingAddressSent = true;
    model.set("address", wanted);
    model.save_changes();
  }
  ["intro", "exit", "lang", "dir", "title"].forEach((name) => model.on(`change:${name}`, apply));
}
export default { render };
