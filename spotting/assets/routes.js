function render({ model, el }) {
  const nav = document.createElement("nav");
  nav.className = "sp-routes";
  const heading = document.createElement("h2");
  heading.className = "sp-routes__heading";
  heading.id = "sp-routes-" + Math.random().toString(36).slice(2, 8);
  nav.setAttribute("aria-labelledby", heading.id);
  const list = document.createElement("ul");
  list.className = "sp-routes__list";
  // Open the question's group (a fold on a phone) and the groups of its ``also`` questions (age),
  // show the group from its heading and put focus on the question: one tap, no answer is changed.
  const unfold = (field) => {
    const fold = document.querySelector(`.sp-form__question[data-field="${field}"]`)?.closest("details");
    if (fold && !fold.open) fold.open = true;
  };
  const go = (field, also) => {
    (also || []).forEach(unfold);
    const wrapper = document.querySelector(`.sp-form__question[data-field="${field}"]`);
    if (!wrapper) return;
    const fold = wrapper.closest("details");
    if (fold && !fold.open) fold.open = true;
    (fold ? fold.querySelector("summary") : wrapper).scrollIntoView({ block: "start" });
    const input = wrapper.querySelector("input");
    if (input) input.focus();
  };
  const draw = () => {
    heading.textContent = model.get("heading");
    list.replaceChildren(...(model.get("routes") || []).map((route) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sp-routes__button";
      button.dataset.route = route.id;
      button.textContent = route.label;
      button.addEventListener("click", () => go(route.field, route.also));
      item.append(button);
      return item;
    }));
  };
  draw();
  model.on("change:routes", draw);
  model.on("change:heading", draw);
  nav.append(heading, list);
  el.append(nav);
}
export default { render };
