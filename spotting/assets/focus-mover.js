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
