// The eligibility self-check page: a form generated from the rules' field schema, results from
// checker_py running in a module worker, answers kept in localStorage, export/import of the
// profile contract, and window.checker for automation. User text only ever goes in textContent.

const root = document.getElementById("checker");
const LANG = (document.documentElement.lang || "zh").toLowerCase().startsWith("en") ? "en" : "zh";
const STORAGE_KEY = "karamay-checker:profile";
const DEBOUNCE_MS = 150;
const MAX_IMPORT_BYTES = 1 << 20;
const BOOL_CHOICES = [["", "unanswered"], ["yes", "yes"], ["no", "no"]];

const COLON = LANG === "zh" ? "：" : ": ";
const abs = (rel) => new URL(rel, document.baseURI).href;

// ---------------------------------------------------------------- the engine, in a worker

class Engine {
  constructor(workerUrl, pyodideUrl, wheelUrl, onProgress) {
    this.pending = new Map();
    this.nextId = 1;
    this.loaded = false;
    this.worker = new Worker(workerUrl, { type: "module" });
    this.ready = new Promise((resolve, reject) => {
      this.worker.addEventListener("message", (event) => {
        const msg = event.data || {};
        if (msg.type === "progress") onProgress(msg.step);
        else if (msg.type === "ready") { this.loaded = true; resolve(true); }
        else if (msg.type === "failed") reject(new Error(msg.message));
        else if (msg.type === "result" || msg.type === "error") this.settle(msg);
      });
      this.worker.addEventListener("error", (event) => reject(new Error(event.message || "worker error")));
    });
    this.worker.postMessage({ type: "start", pyodide: pyodideUrl, wheel: wheelUrl });
  }

  settle(msg) {
    const waiting = this.pending.get(msg.id);
    if (!waiting) return;
    this.pending.delete(msg.id);
    if (msg.type === "result") waiting.resolve(msg.text);
    else waiting.reject(new Error(msg.message));
  }

  /** Promise of the JSON text checker_py.evaluate_json returns for a profile's JSON text. */
  evaluateText(text, programme, lang) {
    return this.ready.then(() => new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: "evaluate", id, text, programme: programme || null, lang });
    }));
  }
}

// ---------------------------------------------------------------- small DOM helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function fmt(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? String(values[key]) : `{${key}}`));
}

const idOf = (path) => "f-" + path.replace(/[^A-Za-z0-9_-]+/g, "-");

// ---------------------------------------------------------------- profile validation (contract)

function validDate(text) {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function validValue(field, value) {
  if (value === null) return true;
  switch (field.type) {
    case "bool": return typeof value === "boolean";
    case "enum": return typeof value === "string" && (field.options || []).some((o) => o.value === value);
    case "date": return validDate(value);
    case "number": return typeof value === "number" && Number.isFinite(value) && value >= 0;
    case "int": return Number.isInteger(value) && value >= 0;
    default: return false;
  }
}

// ---------------------------------------------------------------- the page

class Checker {
  constructor(data, engine) {
    this.data = data;
    this.engine = engine;
    this.ui = Object.fromEntries(Object.entries(data.ui).map(([key, text]) => [key, text[LANG]]));
    this.fields = data.fields;
    this.byPath = new Map(this.fields.map((f) => [f.path, f]));
    this.listField = this.fields.find((f) => f.type === "list");
    this.itemCounter = 0;
    this.timer = null;
    this.sequence = 0;
  }

  t(key, values) {
    const text = this.ui[key] ?? key;
    return values ? fmt(text, values) : text;
  }

  text(value) {
    if (value && typeof value === "object" && (value.zh || value.en)) return value[LANG] || value.zh || value.en;
    return value === null || value === undefined ? "" : String(value);
  }

  // ------------------------------------------------------------ building the form

  build() {
    const params = new URLSearchParams(location.search);
    const known = this.data.programmes.map((p) => p.id);
    const asked = params.get("programme");

    this.status = el("div", { class: "ck-status", role: "status", "aria-live": "polite" },
      el("span", { class: "ck-status-text", text: this.t("loading") }),
      el("progress", { class: "ck-progress", max: "3", value: "0", "aria-hidden": "true" }));

    this.programme = el("select", { id: "ck-programme", class: "ck-programme-select" },
      el("option", { value: "", text: this.t("all_programmes") }),
      this.data.programmes.map((p) => el("option", { value: p.id, text: this.text(p.title) })));

    this.form = el("form", { class: "ck-form", novalidate: true, "aria-labelledby": "ck-form-title" },
      el("p", { class: "ck-intro", text: this.t("intro") }),
      el("div", { class: "ck-field ck-programme-choice" },
        el("label", { for: "ck-programme", class: "ck-label", text: this.t("programme_choice") }), this.programme),
      this.data.groups.map((group) => this.buildGroup(group)));

    this.message = el("p", { class: "ck-message", role: "alert" });
    this.fileInput = el("input", { type: "file", accept: "application/json,.json", id: "ck-import-file", class: "ck-visually-hidden", tabindex: "-1", "aria-label": this.t("import") });
    const toolbar = el("div", { class: "ck-toolbar" },
      el("button", { type: "button", class: "md-button", "data-action": "export", text: this.t("export") }),
      el("button", { type: "button", class: "md-button ck-import", "data-action": "import", text: this.t("import") }),
      this.fileInput,
      el("button", { type: "button", class: "md-button", "data-action": "print", text: this.t("print") }),
      el("button", { type: "button", class: "md-button ck-clear", "data-action": "clear", text: this.t("clear") }),
      el("span", { class: "ck-stored", text: this.t("stored") }));

    this.printMeta = el("p", { class: "ck-print-meta" });
    this.results = el("div", { class: "ck-results-body" },
      el("p", { class: "ck-wait", text: this.t("results_wait") }));
    const results = el("section", { class: "ck-results", "aria-labelledby": "ck-results-title" },
      el("h2", { id: "ck-results-title", text: this.t("results") }), this.printMeta, this.results);

    root.replaceChildren(
      el("h2", { id: "ck-form-title", class: "ck-visually-hidden", text: this.t("questions") }),
      this.status, toolbar, this.message,
      // Wide screens: questions on the left, results beside them and always in view (checker.css).
      el("div", { class: "ck-layout" }, this.form, results));

    this.programme.value = known.includes(asked) ? asked : "";
    const saved = this.load();
    if (saved) {
      this.writeProfile(saved.profile);
      if (!known.includes(asked) && known.includes(saved.programme)) this.programme.value = saved.programme;
    }
    this.applyProgramme();
    this.bind(toolbar);
  }

  buildGroup(group) {
    const fields = this.fields.filter((f) => f.group === group);
    const fieldset = el("fieldset", { class: "ck-group", "data-group": group },
      el("legend", { class: "ck-group-title", text: this.t("group_" + group) }));
    for (const field of fields) {
      fieldset.append(field.type === "list" ? this.buildList(field) : this.buildField(field, field.path));
    }
    return fieldset;
  }

  clauseLinks(field) {
    const clauses = field.clauses || [];
    if (!clauses.length) return null;
    return el("span", { class: "ck-clauses" }, el("span", { text: this.t("clause") + COLON }),
      clauses.map((ref) => el("span", { class: "ck-clause-item", "data-page": String(ref).split("#")[0] }, this.clauseLink(ref))));
  }

  clauseHref(ref) {
    const [page, anchor] = String(ref).split("#");
    const path = this.data.pages[page] ?? (page ? `programmes/${page}/` : "");
    return "../" + path + (anchor ? "#" + anchor : "");
  }

  clauseLink(ref) {
    const [page, anchor] = String(ref).split("#");
    const prog = this.data.programmes.find((p) => p.id === page);
    const name = page === "notice" ? this.t("notice_page") : prog ? this.text(prog.title) : page;
    // Named as the guide numbers it (申报须知 一、（四）); the anchor id only if the label is unknown.
    const label = this.data.clauses && this.data.clauses[ref] ? this.text(this.data.clauses[ref]) : anchor && `§${anchor}`;
    return el("a", { href: this.clauseHref(ref), class: "ck-clause", text: label ? `${name} ${label}` : name });
  }

  /** One question: label, control, unit, help, clause links and an error slot. */
  buildField(field, path, itemRoot = null) {
    const id = idOf(itemRoot ? `${itemRoot}-${path}` : path);
    const helpId = id + "-help";
    const errorId = id + "-error";
    const wrap = el("div", { class: `ck-field ck-type-${field.type}`, "data-path": path, "data-type": field.type });
    if (!itemRoot) wrap.dataset.programmes = (field.programmes || []).join(" ");
    if (!itemRoot && field.ask_when) {
      wrap.dataset.askField = field.ask_when.field;
      wrap.dataset.askIn = field.ask_when.in.join(" ");
    }
    const described = `${helpId} ${errorId}`;
    const label = this.text(field.label);
    const help = this.text(field.help);
    if (field.type === "bool") {
      const group = el("fieldset", { class: "ck-bool", id, "aria-describedby": described },
        el("legend", { class: "ck-label", text: label }));
      const options = el("div", { class: "ck-bool-options" });
      for (const [value, key] of BOOL_CHOICES) {
        const radioId = `${id}-${value || "unset"}`;
        options.append(el("span", { class: "ck-radio" },
          el("input", { type: "radio", id: radioId, name: id, value, checked: value === "" }),
          el("label", { for: radioId, text: this.t(key) })));
      }
      group.append(options);
      wrap.append(group);
    } else {
      wrap.append(el("label", { for: id, class: "ck-label", text: label }));
      let control;
      if (field.type === "enum") {
        control = el("select", { id, "aria-describedby": described },
          el("option", { value: "", text: this.t("choose") }),
          (field.options || []).map((o) => el("option", { value: o.value, text: this.text(o.label) })));
      } else if (field.type === "date") {
        control = el("input", { id, type: "date", min: "1900-01-01", max: "2100-12-31", "aria-describedby": described });
      } else {
        const integer = field.type === "int";
        control = el("input", {
          id, type: "number", min: "0", step: integer ? "1" : "any", inputmode: integer ? "numeric" : "decimal",
          "aria-describedby": described,
        });
      }
      const row = el("div", { class: "ck-control" }, control);
      if (field.type === "number") row.append(el("span", { class: "ck-unit", text: this.t("wan") }));
      wrap.append(row);
    }
    // The glossary entries the question's label uses (rules' `terms`), linked after the help.
    const terms = (field.terms || []).map((term) => el("a", { class: "ck-term",
      href: "../glossary/#term-" + String(term).replace(/[^a-z0-9]+/g, "-"), text: this.t("glossary_term") }));
    wrap.append(el("p", { class: "ck-help", id: helpId }, help, terms.map((link) => [" ", link])));
    const clauses = this.clauseLinks(field);
    if (clauses) wrap.append(clauses);
    wrap.append(el("p", { class: "ck-error", id: errorId, hidden: true }));
    return wrap;
  }

  /** The achievements: unanswered / none / a list of items, each a small group of questions. */
  buildList(field) {
    const id = idOf(field.path);
    const wrap = el("div", { class: "ck-field ck-type-list", "data-path": field.path, "data-type": "list",
      "data-programmes": (field.programmes || []).join(" ") });
    const state = el("fieldset", { class: "ck-bool", id, "aria-describedby": `${id}-help` },
      el("legend", { class: "ck-label", text: this.text(field.label) || this.t("ach_state") }));
    const options = el("div", { class: "ck-bool-options" });
    for (const [value, key] of [["", "unanswered"], ["none", "ach_none"], ["some", "ach_some"]]) {
      const radioId = `${id}-${value || "unset"}`;
      options.append(el("span", { class: "ck-radio" },
        el("input", { type: "radio", id: radioId, name: id, value, checked: value === "", "data-list-state": "1" }),
        el("label", { for: radioId, text: this.t(key) })));
    }
    state.append(options);
    this.items = el("ol", { class: "ck-items" });
    this.addButton = el("button", { type: "button", class: "md-button ck-add", "data-action": "add-item", text: this.t("ach_add") });
    this.listBox = el("div", { class: "ck-list", hidden: true }, this.items, this.addButton);
    wrap.append(state, el("p", { class: "ck-help", id: `${id}-help`, text: this.text(field.help) }));
    const clauses = this.clauseLinks(field);
    if (clauses) wrap.append(clauses);
    wrap.append(el("p", { class: "ck-error", id: `${id}-error`, hidden: true }), this.listBox);
    this.listWrap = wrap;
    return wrap;
  }

  addItem(values = {}) {
    const n = ++this.itemCounter;
    const key = `ach${n}`;
    const title = el("legend", { class: "ck-item-title" });
    const item = el("li", { class: "ck-item", "data-item": key });
    const fieldset = el("fieldset", {}, title);
    for (const sub of this.listField.item_fields || []) fieldset.append(this.buildField(sub, sub.path, key));
    fieldset.append(el("button", { type: "button", class: "md-button ck-remove", "data-action": "remove-item", text: this.t("ach_remove") }));
    item.append(fieldset);
    this.items.append(item);
    this.setValues(item, values);
    this.renumber();
    return item;
  }

  renumber() {
    [...this.items.children].forEach((item, i) => {
      item.querySelector(".ck-item-title").textContent = this.t("ach_item", { n: i + 1 });
    });
  }

  listState() {
    const checked = this.listWrap.querySelector("input[data-list-state]:checked");
    return checked ? checked.value : "";
  }

  setListState(state) {
    for (const radio of this.listWrap.querySelectorAll("input[data-list-state]")) radio.checked = radio.value === state;
    this.listBox.hidden = state !== "some";
  }

  // ------------------------------------------------------------ reading and writing answers

  /** The value of one question's control: undefined when unanswered, {error} when invalid. */
  readField(wrap) {
    const type = wrap.dataset.type;
    if (type === "bool") {
      const checked = wrap.querySelector("input[type=radio]:checked");
      return !checked || checked.value === "" ? undefined : checked.value === "yes";
    }
    const control = wrap.querySelector("select, input");
    if (type === "enum") return control.value === "" ? undefined : control.value;
    if (control.validity && control.validity.badInput) return { error: type === "date" ? "invalid_date" : type === "int" ? "invalid_int" : "invalid_number" };
    const raw = control.value.trim();
    if (raw === "") return undefined;
    if (type === "date") return validDate(raw) ? raw : { error: "invalid_date" };
    const number = Number(raw);
    if (type === "int") return Number.isInteger(number) && number >= 0 ? number : { error: "invalid_int" };
    return Number.isFinite(number) && number >= 0 ? number : { error: "invalid_number" };
  }

  setField(wrap, value) {
    const type = wrap.dataset.type;
    if (type === "bool") {
      const wanted = value === true ? "yes" : value === false ? "no" : "";
      for (const radio of wrap.querySelectorAll("input[type=radio]")) radio.checked = radio.value === wanted;
      return;
    }
    const control = wrap.querySelector("select, input");
    control.value = value === null || value === undefined ? "" : String(value);
  }

  setValues(container, values) {
    for (const wrap of container.querySelectorAll(":scope .ck-field[data-type]:not([data-type=list])")) {
      if (wrap.closest(".ck-item") !== container.closest(".ck-item")) continue;
      const path = wrap.dataset.path;
      this.setField(wrap, values ? values[path] : undefined);
    }
  }

  topFields() {
    return [...this.form.querySelectorAll(".ck-field[data-type]")].filter((w) => !w.closest(".ck-item"));
  }

  /** {profile, errors}: the profile contract (absent = unknown) and the client-side input errors. */
  readProfile() {
    const profile = {};
    const errors = [];
    const put = (path, value) => {
      const parts = path.split(".");
      let node = profile;
      for (const part of parts.slice(0, -1)) node = node[part] ??= {};
      node[parts.at(-1)] = value;
    };
    for (const wrap of this.topFields()) {
      const path = wrap.dataset.path;
      if (wrap.dataset.type === "list") {
        const state = this.listState();
        if (state === "none") put(path, []);
        else if (state === "some" && this.items.children.length) {
          put(path, [...this.items.children].map((item, index) => {
            const entry = {};
            for (const sub of item.querySelectorAll(".ck-field[data-type]")) {
              const value = this.readField(sub);
              if (value && typeof value === "object") errors.push({ wrap: sub, key: value.error, path: `${path}[${index}].${sub.dataset.path}` });
              else if (value !== undefined) entry[sub.dataset.path] = value;
            }
            return entry;
          }));
        }
        continue;
      }
      const value = this.readField(wrap);
      if (value && typeof value === "object") errors.push({ wrap, key: value.error, path });
      else if (value !== undefined) put(path, value);
    }
    return { profile, errors };
  }

  /** Put a (validated) profile into the form; everything it does not mention becomes unanswered. */
  writeProfile(profile) {
    const get = (path) => path.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), profile);
    for (const wrap of this.topFields()) {
      if (wrap.dataset.type !== "list") this.setField(wrap, get(wrap.dataset.path));
    }
    this.items.replaceChildren();
    const list = this.listField ? get(this.listField.path) : undefined;
    if (Array.isArray(list)) {
      this.setListState(list.length ? "some" : "none");
      for (const item of list) this.addItem(item || {});
    } else {
      this.setListState("");
    }
  }

  /** Why a profile breaks the contract (a message in the page language), or null. */
  contractError(profile) {
    if (!profile || typeof profile !== "object" || Array.isArray(profile)) return this.t("bad_root");
    const check = (obj, prefix, fields) => {
      for (const [key, value] of Object.entries(obj)) {
        const path = prefix ? `${prefix}.${key}` : key;
        const field = fields.get(key);
        const groupFields = prefix ? null : this.groupFields(key);
        if (groupFields) {
          if (value === null) continue;
          if (typeof value !== "object" || Array.isArray(value)) return this.t("bad_value", { path });
          const problem = check(value, path, groupFields);
          if (problem) return problem;
        } else if (!field) {
          return this.t("bad_key", { path });
        } else if (field.type === "list") {
          if (value === null) continue;
          if (!Array.isArray(value)) return this.t("bad_value", { path });
          const items = new Map((field.item_fields || []).map((f) => [f.path, f]));
          for (const [i, item] of value.entries()) {
            if (!item || typeof item !== "object" || Array.isArray(item)) return this.t("bad_value", { path: `${path}[${i}]` });
            const problem = check(item, `${path}[${i}]`, items);
            if (problem) return problem.replace(`${path}[${i}].${path}[${i}]`, `${path}[${i}]`);
          }
        } else if (!validValue(field, value)) {
          return this.t("bad_value", { path });
        }
      }
      return null;
    };
    return check(profile, "", new Map(this.fields.filter((f) => !f.path.includes(".")).map((f) => [f.path, f])));
  }

  groupFields(name) {
    const prefix = name + ".";
    const fields = this.fields.filter((f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes("."));
    return fields.length ? new Map(fields.map((f) => [f.path.slice(prefix.length), f])) : null;
  }

  // ------------------------------------------------------------ events

  bind(toolbar) {
    this.form.addEventListener("input", (event) => this.changed(event));
    this.form.addEventListener("change", (event) => this.changed(event));
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.form.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "add-item") {
        const item = this.addItem();
        item.querySelector("select, input")?.focus();
        this.schedule();
      } else if (action === "remove-item") {
        event.target.closest(".ck-item").remove();
        this.renumber();
        this.addButton.focus();
        this.schedule();
      }
    });
    toolbar.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "export") this.exportProfile();
      else if (action === "print") { this.updatePrintMeta(); window.print(); }
      else if (action === "clear") this.clear();
      else if (action === "import") this.fileInput.click();
    });
    this.fileInput.addEventListener("change", () => this.importFile());
    window.addEventListener("beforeprint", () => this.updatePrintMeta());
  }

  changed(event) {
    if (event.target === this.programme) {
      this.applyProgramme();
      const url = new URL(location.href);
      if (this.programme.value) url.searchParams.set("programme", this.programme.value);
      else url.searchParams.delete("programme");
      history.replaceState(history.state, "", url);
    } else if (event.target.closest && event.target.closest(".ck-field")?.dataset.path
               && this.form.querySelector(`[data-ask-field="${event.target.closest(".ck-field").dataset.path}"]`)) {
      this.applyProgramme();
    } else if (event.target.dataset && event.target.dataset.listState) {
      this.setListState(this.listState());
      if (this.listState() === "some" && !this.items.children.length) this.addItem();
    }
    this.schedule();
  }

  applyProgramme() {
    const chosen = this.programme.value;
    for (const wrap of this.topFields()) {
      const list = (wrap.dataset.programmes || "").split(" ").filter(Boolean);
      const offTopic = Boolean(chosen) && list.length > 0 && !list.includes(chosen);
      // A follow-up question (ask_when) waits for the answer it depends on.
      const waiting = wrap.dataset.askField !== undefined && !this.askedFor(wrap.dataset.askField, wrap.dataset.askIn);
      wrap.hidden = offTopic || waiting;
    }
    // Only the clauses of the common notice and of the chosen programme are worth a link here.
    for (const item of this.form.querySelectorAll(".ck-clause-item")) {
      const page = item.dataset.page;
      item.hidden = Boolean(chosen) && page !== chosen && this.data.programmes.some((p) => p.id === page);
    }
    for (const group of this.form.querySelectorAll(".ck-group")) {
      group.hidden = ![...group.querySelectorAll(":scope > .ck-field")].some((w) => !w.hidden);
    }
  }

  askedFor(path, values) {
    const control = this.form.querySelector(`.ck-field[data-path="${path}"] select`);
    return Boolean(control) && values.split(" ").includes(control.value);
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
  }

  // ------------------------------------------------------------ storage, export, import

  save(profile) {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ edition: this.data.edition, programme: this.programme.value, profile }));
    } catch (err) { /* storage full or disabled: answers simply stay on this page */ }
  }

  load() {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
      if (saved && saved.edition === this.data.edition && !this.contractError(saved.profile)) return saved;
    } catch (err) { /* unreadable: start afresh */ }
    return null;
  }

  clear() {
    try { localStorage.removeItem(STORAGE_KEY); } catch (err) { /* nothing stored */ }
    this.writeProfile({});
    this.applyProgramme();
    this.showErrors([]);
    this.say(this.t("cleared"));
    this.update({ persist: false });
  }

  say(text, bad = false) {
    this.message.textContent = text;
    this.message.classList.toggle("ck-bad", bad);
  }

  exportProfile() {
    const { profile } = this.readProfile();
    const blob = new Blob([JSON.stringify(profile, null, 2) + "\n"], { type: "application/json" });
    const link = el("a", { href: URL.createObjectURL(blob), download: `checker-profile-${this.data.edition}.json`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  async importFile() {
    const file = this.fileInput.files && this.fileInput.files[0];
    this.fileInput.value = "";
    if (!file) return;
    const reject = (reason) => this.say(this.t("import_bad", { reason }), true);
    if (file.size > MAX_IMPORT_BYTES) return reject(this.t("too_big"));
    let profile;
    try {
      profile = JSON.parse(await file.text());
    } catch (err) {
      return reject(this.t("bad_json"));
    }
    const problem = this.contractError(profile);
    if (problem) return reject(problem);
    if (this.engine && this.engine.loaded) {
      const result = JSON.parse(await this.engine.evaluateText(JSON.stringify(profile), null, LANG));
      if (result.error) return reject(`${result.error.field}: ${result.error.message}`);
    }
    this.writeProfile(profile);
    this.applyProgramme();
    this.say(this.t("imported"));
    this.update();
  }

  // ------------------------------------------------------------ evaluation and results

  progress(step) {
    const steps = { runtime: [1, "loading_runtime"], rules: [2, "loading_rules"], ready: [3, "ready"] };
    const [value, key] = steps[step] || [0, "loading"];
    this.status.querySelector("progress").value = value;
    this.status.querySelector(".ck-status-text").textContent = this.t(key);
    this.status.classList.toggle("ck-ready", step === "ready");
  }

  failed(err) {
    this.status.querySelector(".ck-status-text").textContent = this.t("failed") + (err && err.message ? err.message : String(err));
    this.status.classList.add("ck-bad");
    this.status.querySelector("progress").hidden = true;
  }

  showErrors(errors) {
    for (const slot of this.form.querySelectorAll(".ck-error")) {
      slot.hidden = true;
      slot.textContent = "";
      slot.closest(".ck-field")?.querySelectorAll("[aria-invalid]").forEach((c) => c.removeAttribute("aria-invalid"));
    }
    for (const { wrap, text } of errors) {
      const slot = wrap.querySelector(":scope > .ck-error");
      if (!slot) continue;
      slot.textContent = text;
      slot.hidden = false;
      wrap.querySelector("input, select")?.setAttribute("aria-invalid", "true");
    }
  }

  /** The form's question for an engine field path such as project.achievements[0].date. */
  wrapFor(path) {
    const match = /^(.*)\[(\d+)\]\.(\w+)$/.exec(path || "");
    if (match) {
      const item = this.items.children[Number(match[2])];
      return item ? item.querySelector(`.ck-field[data-path="${CSS.escape(match[3])}"]`) : this.listWrap;
    }
    const base = String(path || "").replace(/\[\d+\].*$/, "");
    return this.topFields().find((w) => w.dataset.path === base) || null;
  }

  async update({ persist = true } = {}) {
    const { profile, errors } = this.readProfile();
    const shown = errors.map((e) => ({ wrap: e.wrap, text: this.t(e.key) }));
    if (persist) this.save(profile);
    this.showErrors(shown);
    if (!this.engine) return;
    const sequence = ++this.sequence;
    let result;
    try {
      await this.engine.ready;
      // An invalid value is reported beside its question and left out, so the rest still counts.
      const work = structuredClone(profile);
      for (let attempt = 0; attempt < 20; attempt++) {
        result = JSON.parse(await this.engine.evaluateText(JSON.stringify(work), this.programme.value || null, LANG));
        if (!result.error) break;
        const wrap = this.wrapFor(result.error.field);
        if (!wrap || !this.removePath(work, result.error.field)) break;
        shown.push({ wrap, text: result.error.message });
      }
    } catch (err) {
      return;
    }
    if (sequence !== this.sequence) return;
    this.showErrors(shown);
    this.render(result, profile);
  }

  removePath(profile, path) {
    const parts = String(path).replace(/\[(\d+)\]/g, ".$1").split(".");
    let node = profile;
    for (const part of parts.slice(0, -1)) {
      if (!node || typeof node !== "object") return false;
      node = node[part];
    }
    const last = parts.at(-1);
    if (!node || typeof node !== "object" || !(last in node)) return false;
    delete node[last];
    return true;
  }

  updatePrintMeta() {
    // A printout shows every reason, folded or not.
    for (const details of this.results.querySelectorAll("details")) details.open = true;
    this.printMeta.textContent = this.t("print_meta", {
      edition: this.data.edition,
      date: new Date().toISOString().slice(0, 10),
      url: location.href,
    });
  }

  verdictBadge(verdict) {
    const icons = { eligible: "✔", ineligible: "✘", incomplete: "?", review: "⚑" };
    return el("span", { class: `ck-verdict ck-verdict-${verdict}`, "data-verdict": verdict },
      el("span", { class: "ck-icon", "aria-hidden": "true", text: icons[verdict] || "•" }),
      el("span", { class: "ck-verdict-text", text: this.t("verdict_" + verdict) }));
  }

  statusBadge(status) {
    const icons = { pass: "✔", fail: "✘", unknown: "?", review: "⚑" };
    return el("span", { class: `ck-status-badge ck-s-${status}`, "data-status": status },
      el("span", { class: "ck-icon", "aria-hidden": "true", text: icons[status] || "•" }),
      el("span", { text: this.t("status_" + status) }));
  }

  fieldLabel(path) {
    const base = String(path).replace(/\[\d+\].*$/, "");
    const field = this.byPath.get(base);
    if (!field) return path;
    const sub = /\]\.(\w+)$/.exec(path);
    const item = sub && (field.item_fields || []).find((f) => f.path === sub[1]);
    return item ? `${this.text(field.label)} · ${this.text(item.label)}` : this.text(field.label);
  }

  render(result, profile = {}) {
    this.printMeta.textContent = this.t("print_meta", { edition: this.data.edition, date: new Date().toISOString().slice(0, 10), url: location.href });
    if (!result || result.error) {
      this.results.replaceChildren(el("p", { class: "ck-bad", text: result && result.error ? `${result.error.field}: ${result.error.message}` : "" }));
      return;
    }
    const ids = Object.keys(result.results || {});
    const order = this.data.programmes.map((p) => p.id).filter((id) => ids.includes(id));
    const body = [];
    if (order.length > 1) body.push(this.matrix(result, order));
    for (const id of order) body.push(this.programmeResult(id, result.results[id], order.length > 1, profile));
    this.results.replaceChildren(...body);
  }

  programmeInfo(id) {
    return this.data.programmes.find((p) => p.id === id) || { id, title: id, url: `programmes/${id}/` };
  }

  matrix(result, order) {
    const rows = order.map((id) => {
      const info = this.programmeInfo(id);
      const res = result.results[id];
      return el("tr", { "data-programme": id },
        el("th", { scope: "row" }, el("a", { href: `#ck-result-${id}`, text: this.text(info.title) })),
        el("td", {}, this.verdictBadge(res.verdict)),
        el("td", { text: this.fundingText(res.funding, info) }));
    });
    return el("table", { class: "ck-matrix" },
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: this.t("matrix_programme") }),
        el("th", { scope: "col", text: this.t("matrix_verdict") }),
        el("th", { scope: "col", text: this.t("matrix_funding") }))),
      el("tbody", {}, rows));
  }

  fundingText(funding, info) {
    if (funding && typeof funding === "object") {
      const label = this.text(funding.label);
      const form = this.text(funding.form_label || funding.form_text || "");
      if (label) return form && !label.includes(form) ? `${label} · ${form}` : label;
    }
    return this.text(info.funding);
  }

  programmeResult(id, res, inMatrix, profile) {
    const info = this.programmeInfo(id);
    const section = el("section", { class: `ck-programme ck-programme-${res.verdict}`, id: `ck-result-${id}`, "data-programme": id, "data-verdict": res.verdict });
    section.append(el("h3", { class: "ck-programme-title" },
      el("a", { href: "../" + info.url, text: this.text(info.title) }), " ", this.verdictBadge(res.verdict)));

    const funding = el("div", { class: "ck-funding" }, el("strong", { text: this.t("funding") + COLON }), this.fundingText(res.funding, info));
    section.append(funding);
    const maxRequest = res.max_request !== undefined ? res.max_request : res.funding && res.funding.max_request;
    // A null largest request means "none fits" only once the total investment is known.
    const totalKnown = typeof profile?.project?.total_investment === "number";
    if (typeof maxRequest === "number" || (maxRequest === null && totalKnown && res.verdict === "ineligible")) {
      section.append(el("p", { class: "ck-hint", "data-hint": "max_request" },
        maxRequest === null ? this.t("no_max_request") : `${this.t("max_request")}${COLON}${maxRequest} ${this.t("wan_unit")}`));
    }

    if (res.missing && res.missing.length) {
      section.append(el("div", { class: "ck-missing" },
        el("p", { text: this.t("missing") }),
        el("ul", {}, res.missing.map((path) => {
          const wrap = this.wrapFor(path);
          const label = this.fieldLabel(path);
          return el("li", { "data-path": path }, wrap && !wrap.hidden
            ? el("a", { href: "#" + (wrap.querySelector("[id]")?.id || ""), text: label })
            : label);
        }))));
    }

    // What stands in the way comes first: failed, then needing review, then unanswered, then passed.
    const rank = { fail: 0, review: 1, unknown: 2, pass: 3 };
    const ordered = (res.rules || []).map((rule, i) => [rule, i])
      .sort((a, b) => (rank[a[0].status] ?? 4) - (rank[b[0].status] ?? 4) || a[1] - b[1]).map(([rule]) => rule);
    const rules = el("ul", { class: "ck-rules" }, ordered.map((rule) =>
      el("li", { class: `ck-rule ck-rule-${rule.status}`, "data-rule": rule.id, "data-status": rule.status },
        this.statusBadge(rule.status), " ",
        el("span", { class: "ck-rule-message", text: this.text(rule.message) }), " ",
        rule.clause ? this.clauseLink(rule.clause) : null)));
    const details = el("details", { class: "ck-details", open: !inMatrix || res.verdict !== "eligible" ? true : null },
      el("summary", { text: this.t(inMatrix ? "details" : "rules") }), rules);
    section.append(details);

    if (res.notes && res.notes.length) {
      details.append(el("div", { class: "ck-notes" }, el("h4", { text: this.t("notes") }),
        el("ul", {}, res.notes.map((note) => el("li", { "data-note": note.id },
          el("span", { text: this.text(note.message) }), note.clause ? [" ", this.clauseLink(note.clause)] : null)))));
    }
    if (res.unmodelled && res.unmodelled.length) {
      details.append(el("div", { class: "ck-unmodelled" }, el("h4", { text: this.t("unmodelled") }),
        el("ul", {}, res.unmodelled.map((item) => el("li", {},
          el("span", { class: "ck-unmodelled-label", text: this.text(item.label) }),
          item.reason ? el("span", { class: "ck-unmodelled-reason", text: " — " + this.text(item.reason) }) : null,
          item.clause ? [" ", this.clauseLink(item.clause)] : null)))));
    }
    return section;
  }
}

// ---------------------------------------------------------------- start

function boot() {
  if (!root) return;
  let checker = null;
  const engine = new Engine(abs(root.dataset.worker), abs(root.dataset.pyodide), abs(root.dataset.wheel),
    (step) => checker && checker.progress(step));
  engine.ready.catch(() => {}); // reported on the page below; consumers still see the rejection

  window.checker = {
    ready: engine.ready,
    /** Promise of exactly the parsed JSON `python -m checker_py check --format json` prints. */
    evaluate(profile, { programme = null, lang = "zh" } = {}) {
      const text = typeof profile === "string" ? profile : JSON.stringify(profile);
      return engine.evaluateText(text, programme, lang).then((out) => JSON.parse(out));
    },
  };

  fetch(abs(root.dataset.form), { credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.url}`);
      return response.json();
    })
    .then((data) => {
      checker = new Checker(data, engine);
      checker.build();
      if (engine.loaded) checker.progress("ready");
      engine.ready.then(() => checker.progress("ready"), (err) => checker.failed(err));
      checker.update({ persist: false });
    })
    .catch((err) => {
      root.replaceChildren(el("p", { class: "ck-bad", role: "alert", text: String(err && err.message ? err.message : err) }));
    });
}

boot();
