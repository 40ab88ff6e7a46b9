"""Two small browser-side widgets that ipywidgets cannot express, written with anywidget.

* ``LiveRegion``: the results must sit in a *stable* ``role="status"`` region, so screen readers
  announce changes. An ``ipywidgets.HTML`` widget replaces its whole ``innerHTML``, so a region
  written inside its value is torn down and recreated on every update, and assistive technology
  often misses newly inserted live regions. This widget creates the region once and swaps only
  the sections (``data-section``) whose HTML changed, so only what changed is read out.
* ``SummaryDownload``: "take this to your appointment" needs a download link and a print button.
  Both are made in the person's browser from HTML held in their own kernel session: a Blob URL
  for the download and a sandboxed ``srcdoc`` iframe for printing. Nothing is written to disk or
  sent to any other server.

The JavaScript is inline (no build step, nothing fetched at runtime) and uses only DOM APIs.
"""

from __future__ import annotations

import anywidget
import traitlets

_LIVE_REGION_ESM = """
function render({ model, el }) {
  const region = document.createElement("div");
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.setAttribute("aria-atomic", "false");
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
  draw();
  model.on("change:value", draw);
  el.appendChild(region);
}
export default { render };
"""

_SUMMARY_ESM = """
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "sp-actions sp-summary";
  const link = document.createElement("a");
  link.className = "sp-download";
  link.textContent = "Download the summary (HTML file)";
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
  box.append(link, print);
  el.appendChild(box);
  return () => { if (url) URL.revokeObjectURL(url); };
}
export default { render };
"""


class LiveRegion(anywidget.AnyWidget):
    """A stable ``role="status" aria-live="polite"`` region whose HTML is ``value``."""

    _esm = _LIVE_REGION_ESM
    value = traitlets.Unicode("").tag(sync=True)


class SummaryDownload(anywidget.AnyWidget):
    """A download link and a print button for ``html``; hidden while ``html`` is empty."""

    _esm = _SUMMARY_ESM
    html = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("spotting-summary.html").tag(sync=True)
