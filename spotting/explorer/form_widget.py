"""The explorer's questions as one form drawn in the browser (an anywidget), from :func:`.form.form_spec`.

Why one anywidget instead of a widget per question:
* **Radios that are named properly.** Short choices are radio groups, as the GOV.UK and NHS design
  systems advise (a ``<select>`` is their last resort): each is a ``<fieldset>`` whose
  ``<legend>`` is the question, with its hint tied by ``aria-describedby``, and nothing is
  preselected. ipywidgets' ``RadioButtons`` has no legend and cannot start with nothing chosen.
* **Short first.** The app shows the form in two parts: the emergency check, then (after the
  advice, on a phone) the other groups, which on a narrow screen are native disclosures that say
  how many of their questions are answered. On a wide screen they start open.
* **Light.** One widget model instead of about a hundred (a Dropdown, its layout and style per
  question): the browser builds every model before anything shows, so this is most of the
  first-load cost on a phone (issue 9, item 10).

Which questions are shown is still decided in Python by :mod:`spotting.relevance` (``shown``);
the browser only hides and reveals. Every value the browser sends is re-checked with
``spotting.validate_answers``, because widget state is client input. The JavaScript is inline (no
build step, nothing fetched at run time) and uses only DOM APIs.
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

_FORM_ESM = r"""
function render({ model, el }) {
  const uid = "sp" + Math.random().toString(36).slice(2, 8);
  const root = document.createElement("div");
  root.className = "sp-form";
  el.appendChild(root);
  let syncs = [];
  let wrappers = new Map();

  const answers = () => model.get("answers") || {};
  const send = (field, value) => {
    const next = { ...answers() };
    const had = Object.prototype.hasOwnProperty.call(next, field);
    const same = value === undefined ? !had : had && next[field] === value;
    if (value === undefined) delete next[field]; else next[field] = value;
    // Counted for the live region, which speaks once the kernel has caught up (live.LiveRegion);
    // an unchanged answer is never sent, so it is not counted.
    if (!same) window.spottingSent = (window.spottingSent || 0) + 1;
    model.set("answers", next);
    model.save_changes();
  };
  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const hint = (q, id) => {
    const node = make("p", "sp-hint", q.help);
    node.id = id;
    return node;
  };

  const radios = (q) => {
    const box = make("fieldset", "sp-fieldset");
    box.append(make("legend", "sp-legend", q.label));
    if (q.help) {
      box.setAttribute("aria-describedby", `${uid}-${q.field}-hint`);
      box.append(hint(q, `${uid}-${q.field}-hint`));
    }
    // Short answers (Yes / No / I'm not sure) sit side by side, as GOV.UK's inline radios: a
    // third of the height on a phone. Longer answers stack.
    const inline = q.options.length <= 3 && q.options.every((option) => option.label.length <= 14);
    const list = make("div", inline ? "sp-radios sp-radios--inline" : "sp-radios");
    const inputs = q.options.map((option, i) => {
      const row = make("div", "sp-radio");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = `${uid}-${q.field}`;
      input.id = `${uid}-${q.field}-${i}`;
      input.value = String(i);
      input.addEventListener("change", () => { if (input.checked) send(q.field, option.value); });
      const label = make("label", "sp-radio__label", option.label);
      label.htmlFor = input.id;
      row.append(input, label);
      list.append(row);
      return input;
    });
    box.append(list);
    syncs.push(() => {
      const all = answers();
      const has = Object.prototype.hasOwnProperty.call(all, q.field);
      q.options.forEach((option, i) => { inputs[i].checked = has && all[q.field] === option.value; });
    });
    return box;
  };

  const number = (q) => {
    const box = make("div", "sp-number");
    const id = `${uid}-${q.field}`;
    const label = make("label", "sp-legend", q.label);
    label.htmlFor = id;
    const range = `Type a number from ${q.minimum} to ${q.maximum}.`;
    const help = hint({ help: q.help ? `${q.help} ${range}` : range }, `${id}-hint`);
    const error = make("p", "sp-error");
    error.id = `${id}-error`;
    error.hidden = true;
    const input = document.createElement("input");
    input.type = "text";
    input.inputMode = "numeric";
    input.pattern = "[0-9]*";
    input.autocomplete = "off";
    input.id = id;
    input.className = "sp-number__input";
    input.setAttribute("aria-describedby", `${id}-hint`);
    const showError = (message) => {
      error.replaceChildren(make("span", "sp-visually-hidden", "Error: "), document.createTextNode(message));
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", `${id}-error ${id}-hint`);
    };
    const clearError = () => {
      error.hidden = true;
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", `${id}-hint`);
    };
    // The advice must never stand for a number that is not on screen: anything that is not a
    // whole number in range removes the answer; the message waits until the person moves on.
    const commit = (final) => {
      const text = input.value.trim();
      let message = null;
      let value;
      if (text === "") value = undefined;
      else if (!/^[0-9]{1,3}$/.test(text)) message = q.error_format;
      else if (Number(text) < q.minimum) message = q.error_low;
      else if (Number(text) > q.maximum) message = q.error_high;
      else value = Number(text);
      if (message === null) clearError(); else if (final) showError(message);
      const current = answers()[q.field];
      if (current !== value && !(current === null && value === undefined)) send(q.field, value);
    };
    let timer = null;
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => commit(false), 400); });
    input.addEventListener("change", () => { clearTimeout(timer); commit(true); });
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") { clearTimeout(timer); commit(true); } });
    box.append(label, help, error, input);
    syncs.push((reset) => {
      if (reset) { input.value = ""; clearError(); return; }
      if (document.activeElement === input) return;  // never rewrite what someone is typing
      const value = answers()[q.field];
      if (value !== undefined && value !== null) { input.value = String(value); clearError(); }
      else if (error.hidden) input.value = "";  // keep an unusable entry on screen beside its message
    });
    return box;
  };

  const question = (q) => {
    const wrapper = make("div", "sp-form__question");
    wrapper.dataset.field = q.field;
    wrapper.append(q.kind === "number" ? number(q) : radios(q));
    wrappers.set(q.field, wrapper);
    if (q.followups.length) {
      const more = make("div", "sp-followups");
      q.followups.forEach((child) => more.append(question(child)));
      wrapper.append(more);
    }
    return wrapper;
  };

  // The emergency check is always open. On a narrow screen the other groups (``folds``) start
  // folded, each a native disclosure that says how many of its questions are answered, so the
  // advice is two screens down a phone instead of nine; on a wide screen the advice sits beside
  // the questions, so they start open. A fold a person opened or closed stays so on a rebuild.
  const opened = new Map();
  let counts = [];
  const build = () => {
    syncs = [];
    wrappers = new Map();
    counts = [];
    const wide = window.matchMedia("(min-width: 48rem)").matches;
    const groups = (model.get("spec") || []).map((group) => {
      const heading = make("h2", "sp-group-heading", group.title);
      heading.id = `${uid}-${group.id}`;
      const questions = group.questions.map(question);
      if (!model.get("folds")) {
        const section = make("section", `sp-group sp-group-${group.id}`);
        section.setAttribute("aria-labelledby", heading.id);
        section.append(heading, ...questions);
        return section;
      }
      const fold = make("details", `sp-group sp-group--fold sp-group-${group.id}`);
      fold.setAttribute("aria-labelledby", heading.id);  // a details is a group: named by its heading
      fold.open = opened.has(group.id) ? opened.get(group.id) : wide;
      fold.addEventListener("toggle", () => opened.set(group.id, fold.open));
      const summary = make("summary", "sp-group__summary");
      const count = make("span", "sp-group__count");
      const fields = [];
      const collect = (q) => { fields.push(q.field); q.followups.forEach(collect); };
      group.questions.forEach(collect);
      counts.push(() => {
        const all = answers();
        const answered = fields.filter((field) => Object.prototype.hasOwnProperty.call(all, field)).length;
        count.textContent = answered ? ` (${answered} answered)` : "";
      });
      heading.append(count);
      summary.append(heading);
      fold.append(summary, ...questions);
      return fold;
    });
    root.replaceChildren(...groups);
    sync();
  };
  const show = () => {
    const shown = new Set(model.get("shown") || []);
    wrappers.forEach((wrapper, field) => { wrapper.hidden = !shown.has(field); });
  };
  const sync = (reset) => {
    syncs.forEach((update) => update(reset === true));
    counts.forEach((update) => update());
    show();
  };

  build();
  model.on("change:spec", build);
  model.on("change:answers", () => sync(false));
  model.on("change:generation", () => sync(true));
  model.on("change:shown", show);
}
export default { render };
"""

_FORM_CSS = """
.sp-form .sp-group-heading { font-size: 1.25rem; margin: 1.25rem 0 0.5rem 0; }
.sp-form .sp-form__question { margin: 0 0 1rem 0; }
.sp-form .sp-group__summary { cursor: pointer; min-height: 2.75rem; display: list-item; padding: 0.25rem 0; }
.sp-form .sp-group__summary .sp-group-heading { display: inline; }
.sp-form .sp-group__count { font-size: 1rem; font-weight: 400; color: #4c6272; }
.sp-form .sp-group--fold { border-top: 1px solid #aeb7bd; padding-top: 0.25rem; }
.sp-form .sp-group--fold[open] > .sp-group__summary { margin-bottom: 0.5rem; }
.sp-form summary:focus-visible { outline: 3px solid #ffeb3b; box-shadow: 0 0 0 6px #212b32; }
.sp-form .sp-form__question[hidden] { display: none; }
.sp-form .sp-fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.sp-form .sp-legend { display: block; font-weight: 700; font-size: 1rem; line-height: 1.4; color: #212b32;
  padding: 0; margin: 0 0 0.25rem 0; white-space: normal; }
.sp-form .sp-hint { color: #4c6272; font-size: 0.95rem; margin: 0 0 0.5rem 0; }
.sp-form .sp-radios { display: flex; flex-flow: column nowrap; gap: 0.25rem; }
.sp-form .sp-radios--inline { flex-flow: row wrap; column-gap: 1.25rem; }
.sp-form .sp-radio { display: flex; align-items: flex-start; gap: 0.5rem; min-height: 2.75rem; }
.sp-form .sp-radio input { flex: 0 0 auto; width: 1.75rem; height: 1.75rem; margin: 0.4rem 0 0 0;
  accent-color: #005eb8; cursor: pointer; }
.sp-form .sp-radio__label { padding: 0.5rem 0; cursor: pointer; line-height: 1.35; color: #212b32; }
.sp-form .sp-number__input { display: block; width: 5rem; min-height: 2.75rem; font-size: 1.1rem;
  padding: 0.25rem 0.5rem; border: 2px solid #4c6272; box-sizing: border-box; }
.sp-form .sp-number__input[aria-invalid="true"] { border: 4px solid #d5281b; }
.sp-form .sp-error { color: #212b32; margin: 0 0 0.5rem 0; border-left: 4px solid #d5281b; padding-left: 0.5rem; }
.sp-form input:focus-visible { outline: 3px solid #ffeb3b; box-shadow: 0 0 0 6px #212b32; }
.sp-form .sp-followups { border-left: 4px solid #aeb7bd; margin: 0.5rem 0 0 0.8rem; padding: 0 0 0 1rem; }
.sp-form .sp-visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
"""


_ROUTES_ESM = r"""
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
"""

_ROUTES_CSS = """
.sp-routes { margin: 0 0 1rem 0; }
.sp-routes .sp-routes__heading { font-size: 1.25rem; margin: 0.5rem 0; }
.sp-routes .sp-routes__list { list-style: none; margin: 0; padding: 0; display: flex; flex-flow: row wrap;
  gap: 0.5rem; }
.sp-routes .sp-routes__button { min-height: 2.75rem; padding: 0.4rem 0.9rem; font-size: 1rem; text-align: left;
  color: #003087; background: #ffffff; border: 2px solid #005eb8; border-radius: 0.25rem; cursor: pointer; }
.sp-routes .sp-routes__button:hover { background: #e8edee; }
.sp-routes .sp-routes__button:focus-visible { outline: 3px solid #ffeb3b; box-shadow: 0 0 0 6px #212b32; }
"""


class Routes(anywidget.AnyWidget):
    """The first choice at the top of the explorer (data/routes.csv): buttons that each open and
    focus one question, in the browser, without answering anything.

    Why: the assault question was 6.9 phone screens down in a folded group and age was folded too
    (UX review 3). A route takes someone there in one tap, and the words about assault are one
    short button, so nobody else has to read more about it first."""

    _esm = _ROUTES_ESM
    _css = _ROUTES_CSS
    heading = traitlets.Unicode("").tag(sync=True)
    routes: traitlets.List[dict[str, object]] = traitlets.List().tag(sync=True)


class QuestionForm(anywidget.AnyWidget):
    """Every question as one form. ``spec`` is :func:`form_spec`; ``answers`` is what the person
    chose (``null`` for "I'm not sure"); ``shown`` lists the questions currently asked."""

    _esm = _FORM_ESM
    _css = _FORM_CSS
    spec: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    answers = traitlets.Dict().tag(sync=True, echo_update=False)
    """No echo: ipywidgets would first send every answer straight back to the page (for other views
    of the same widget, which a dashboard never has), and the advice waited behind it. A change made
    here (``reset``) still reaches the page as an ordinary update."""
    shown = traitlets.List(traitlets.Unicode()).tag(sync=True)
    folds = traitlets.Bool(False).tag(sync=True)
    """Whether every group folds on a narrow screen (the questions after the emergency check)."""
    generation = traitlets.Int(0).tag(sync=True)
    """Raised by "Start again", so the browser also clears what it never sent (an unusable entry)."""
