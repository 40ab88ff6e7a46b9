function render({ model, el }) {
  const region = document.createElement("div");
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.className = "sp-status";
  const draw = () => { region.innerHTML = model.get("value"); };
  draw();
  model.on("change:value", draw);
  el.append(region);
}
export default { render };
