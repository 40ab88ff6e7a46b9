"""A small browser-side helper ipywidgets cannot express, written with anywidget: move focus.

Why: on a projector, "Next scenario" used to leave the room looking at the bottom of the page
(the old reveal), and after "Reveal the answer" the answer was below the fold. ipywidgets can
change a page's HTML but cannot move focus or scroll, so this invisible widget does just that:
the app names an element id and the browser scrolls it to the top and focuses it (the target
is a heading with ``tabindex="-1"``, so keyboard and screen-reader users land where the new
content starts). It is asked only after a button press, never when a value is chosen from a
list, so choosing never moves anyone (WCAG 3.2.2).

The JavaScript is inline (no build step, nothing fetched) and uses only DOM APIs.
"""

from __future__ import annotations

import anywidget
import traitlets

_FOCUS_ESM = """
function render({ model, el }) {
  el.style.display = "none";
  const go = (tries) => {
    const target = document.getElementById(model.get("target"));
    // The HTML with the target may arrive a frame after this message: wait a little for it.
    if (!target) { if (tries > 0) requestAnimationFrame(() => go(tries - 1)); return; }
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  };
  model.on("change:request", () => go(120));
}
export default { render };
"""


class FocusMover(anywidget.AnyWidget):
    """Scrolls the element with id ``target`` to the top of the screen and focuses it."""

    _esm = _FOCUS_ESM
    target = traitlets.Unicode("").tag(sync=True)
    request = traitlets.Int(0).tag(sync=True)

    def show(self, element_id: str) -> None:
        """Ask the page to move to ``element_id`` (the counter makes a repeat request a change)."""
        with self.hold_sync():
            self.target = element_id
            self.request += 1
