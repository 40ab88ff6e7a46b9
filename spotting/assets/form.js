// The words this script writes itself, together (every other word comes from data/ through the
// model: questions, hints, answers and the number errors). The kernel sends them in the reader's
// language as ``messages`` (spotting/explorer/form_widget.py); these English ones are the default.
const MESSAGES = {
  numberRange: "Type a number from {minimum} to {maximum}.",
  errorPrefix: "Error: ",
  answeredCount: " ({count} answered)",
};
const fill = (template, values) => template.replace(/\{([a-z_]+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

function render({ model, el }) {
  const uid = "sp" + Math.random().toString(36).slice(2, 8);
  const root = document.createElement("div");
  root.className = "sp-form";
  el.appendChild(root);
  let syncs = [];
  let wrappers = new Map();

  const words = () => ({ ...MESSAGES, ...(model.get("messages") || {}) });
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
    const range = fill(words().numberRange, { minimum: q.minimum, maximum: q.maximum });
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
      error.replaceChildren(make("span", "sp-visually-hidden", words().errorPrefix), document.createTextNode(message));
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
        count.textContent = answered ? fill(words().answeredCount, { count: answered }) : "";
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
