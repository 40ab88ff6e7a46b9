// The words this script writes itself, together (every other word comes from data/ through the
// model: questions, hints, answers and the number errors). The kernel sends them in the reader's
// language as ``messages`` (spotting/explorer/form_widget.py); these English ones are the default.
const MESSAGES = {
  numberRange: "Type a number from {minimum} to {maximum}.",
  errorPrefix: "Error: ",
  answeredCount: " ({count} answered)",
};
const fill = (template, values) => template.replace(/\{([a-z_]+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

// What a drawn form is made of, without its words: two specs of the same shape differ only in
// words (another language or region), which are written into the nodes already drawn.
const questionShape = (q) => [
  q.field, q.kind, q.minimum, q.maximum, Boolean(q.help),
  (q.options || []).map((option) => option.value), q.followups.map(questionShape),
];
const shape = (spec) => JSON.stringify((spec || []).map((group) => [group.id, group.questions.map(questionShape)]));

function render({ model, el }) {
  const uid = "sp" + Math.random().toString(36).slice(2, 8);
  const root = document.createElement("div");
  root.className = "sp-form";
  el.appendChild(root);
  let syncs = [];
  let wrappers = new Map();
  // A change of language or region sends the same questions in new words. Those are written into
  // the nodes already drawn (``retext``), not drawn again: no new nodes to lay out, and focus, an
  // open fold and a half-typed number all stay. Any other change of ``spec`` draws the form anew.
  let retexts = new Map();
  let headings = [];
  let drawnShape = "";

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

  // Short answers (Yes / No / I'm not sure) sit side by side, as GOV.UK's inline radios: a
  // third of the height on a phone. Longer answers stack.
  const inline = (q) => q.options.length <= 3 && q.options.every((option) => option.label.length <= 14);

  const radios = (q) => {
    const box = make("fieldset", "sp-fieldset");
    const legend = make("legend", "sp-legend", q.label);
    box.append(legend);
    const help = q.help ? hint(q, `${uid}-${q.field}-hint`) : null;
    if (help) {
      box.setAttribute("aria-describedby", help.id);
      box.append(help);
    }
    const list = make("div", "sp-radios");
    list.classList.toggle("sp-radios--inline", inline(q));
    const labels = [];
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
      labels.push(label);
      row.append(input, label);
      list.append(row);
      return input;
    });
    box.append(list);
    retexts.set(q.field, (next) => {
      legend.textContent = next.label;
      if (help) help.textContent = next.help;
      next.options.forEach((option, i) => { labels[i].textContent = option.label; });
      list.classList.toggle("sp-radios--inline", inline(next));
    });
    syncs.push(() => {
      const all = answers();
      const has = Object.prototype.hasOwnProperty.call(all, q.field);
      q.options.forEach((option, i) => { inputs[i].checked = has && all[q.field] === option.value; });
    });
    return box;
  };

  const number = (question) => {
    let q = question;  // the words in use: ``retext`` puts in the new language's
    const box = make("div", "sp-number");
    const id = `${uid}-${q.field}`;
    const label = make("label", "sp-legend", q.label);
    label.htmlFor = id;
    const helpText = () => {
      const range = fill(words().numberRange, { minimum: q.minimum, maximum: q.maximum });
      return q.help ? `${q.help} ${range}` : range;
    };
    const help = hint({ help: helpText() }, `${id}-hint`);
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
    let shownError = null;  // which of q's messages is on screen
    const showError = (key) => {
      shownError = key;
      error.replaceChildren(make("span", "sp-visually-hidden", words().errorPrefix), document.createTextNode(q[key]));
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", `${id}-error ${id}-hint`);
    };
    const clearError = () => {
      shownError = null;
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
      else if (!/^[0-9]{1,3}$/.test(text)) message = "error_format";
      else if (Number(text) < q.minimum) message = "error_low";
      else if (Number(text) > q.maximum) message = "error_high";
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
    retexts.set(q.field, (next) => {
      q = next;
      label.textContent = q.label;
      help.textContent = helpText();
      if (shownError) showError(shownError);
    });
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
    retexts = new Map();
    headings = [];
    counts = [];
    const spec = model.get("spec") || [];
    drawnShape = shape(spec);
    const wide = window.matchMedia("(min-width: 48rem)").matches;
    const groups = spec.map((group) => {
      const title = document.createTextNode(group.title);  // the answered count follows it
      const heading = make("h2", "sp-group-heading");
      heading.append(title);
      heading.id = `${uid}-${group.id}`;
      headings.push(title);
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

  const retext = (spec) => {
    spec.forEach((group, i) => { headings[i].nodeValue = group.title; });
    const walk = (q) => { retexts.get(q.field)(q); q.followups.forEach(walk); };
    spec.forEach((group) => group.questions.forEach(walk));
    counts.forEach((update) => update());  // "(2 answered)" in the new words
  };

  build();
  model.on("change:spec", () => {
    const spec = model.get("spec") || [];
    if (shape(spec) === drawnShape) retext(spec); else build();
  });
  model.on("change:answers", () => sync(false));
  model.on("change:generation", () => sync(true));
  model.on("change:shown", show);
}
export default { render };
