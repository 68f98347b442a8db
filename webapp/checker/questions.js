// The questions: built from the rules' field schema (form data), read into the profile contract
// and written back from it. The form checks nothing itself: the engine validates every answer and
// its messages are shown beside their questions (showProblems).

import { el, idOf, isObject, yieldToBrowser } from "./dom.js";

const BOOL_CHOICES = [["", "unanswered"], ["yes", "yes"], ["no", "no"]];
const LIST_CHOICES = [["", "unanswered"], ["none", "ach_none"], ["some", "ach_some"]];
// A path's list index: `project.achievements[0].kind` -> ["project.achievements", "0", "kind"].
const ITEM_PATH = /^(.*)\[(\d+)\]\.(\w+)$/;

export class Form {
  constructor(data, texts) {
    this.data = data;
    this.texts = texts;
    this.fields = data.fields;
    this.byPath = new Map(this.fields.map((f) => [f.path, f]));
    // The applicant's choices (the request) belong to one programme: in "all programmes" mode they are
    // neither asked nor judged; the engine gives each programme's admissible range instead.
    this.choiceFields = this.fields.filter((f) => f.applicant_choice).map((f) => f.path);
    this.itemCounter = 0;
  }

  t(key, values) { return this.texts.t(key, values); }
  text(value) { return this.texts.text(value); }

  /** The <form> with the programme choice and every question, grouped as the form data says. One
   * group per task: built at once, the questions held a phone's main thread for a few hundred ms. */
  async build() {
    const groups = [];
    for (const group of this.data.groups) {
      groups.push(this.buildGroup(group));
      await yieldToBrowser();
    }
    this.programme = el("select", { id: "ck-programme", class: "ck-programme-select" },
      el("option", { value: "", text: this.t("all_programmes") }),
      this.data.programmes.map((p) => el("option", { value: p.id, text: this.text(p.title) })));
    this.element = el("form", { class: "ck-form", novalidate: true, "aria-labelledby": "ck-form-title" },
      el("p", { class: "ck-intro", text: this.t("intro") }),
      el("div", { class: "ck-field ck-programme-choice" },
        el("label", { for: "ck-programme", class: "ck-label", text: this.t("programme_choice") }), this.programme),
      groups);
    // The questions outside list items never change once built: looked up by path, not searched for.
    this.tops = new Map([...this.element.querySelectorAll(".ck-field[data-type]")]
      .filter((w) => !w.closest(".ck-item")).map((w) => [w.dataset.path, w]));
    this.element.addEventListener("click", (event) => this.clicked(event));
    this.element.addEventListener("change", (event) => {
      if (event.target.dataset && event.target.dataset.listState) this.listChanged(event.target.closest(".ck-type-list"));
    });
    return this.element;
  }

  buildGroup(group) {
    const fieldset = el("fieldset", { class: "ck-group", "data-group": group },
      el("legend", { class: "ck-group-title", text: this.t("group_" + group) }));
    for (const field of this.fields.filter((f) => f.group === group)) {
      fieldset.append(field.type === "list" ? this.buildList(field) : this.buildField(field, field.path));
      if (field.applicant_choice) {
        this.perProgrammeNote = el("p", { class: "ck-per-programme ck-help", hidden: true, text: this.t("amount_per_programme") });
        fieldset.append(this.perProgrammeNote);
      }
    }
    return fieldset;
  }

  // ------------------------------------------------------------ clause references

  /** A question's clauses as one short link: the first clause's name, "and N more" when there are
   * several; it opens their text in place (applyProgramme keeps it to the chosen programme's). */
  clauseLinks(field) {
    const clauses = field.clauses || [];
    if (!clauses.length) return null;
    const button = el("button", { type: "button", class: "ck-clause-open", "data-action": "clauses", "data-clauses": clauses.join(" ") });
    this.showClauses(button, clauses);
    return el("p", { class: "ck-clauses" }, el("span", { text: this.t("clause") + this.t("colon") }), button);
  }

  /** Name the clauses a question's link opens (`refs`, the ones shown for the chosen programme). */
  showClauses(button, refs) {
    button.dataset.shown = refs.join(" ");
    button.textContent = this.clauseName(refs[0]) + (refs.length > 1 ? this.t("clause_more", { n: refs.length - 1 }) : "");
  }

  /** The page-relative URL of a clause reference `page#anchor`. */
  clauseHref(ref) {
    const [page, anchor] = String(ref).split("#");
    const path = this.data.pages[page] ?? (page ? `programmes/${page}/` : "");
    return "../" + path + (anchor ? "#" + anchor : "");
  }

  /** A clause's name as the guide numbers it (申报须知 一、（四）); the anchor id only if the label is unknown. */
  clauseName(ref) {
    const [page, anchor] = String(ref).split("#");
    const prog = this.data.programmes.find((p) => p.id === page);
    const name = page === "notice" ? this.t("notice_page") : prog ? this.text(prog.title) : page;
    const label = this.data.clauses && this.data.clauses[ref] ? this.text(this.data.clauses[ref]) : anchor && `§${anchor}`;
    return label ? `${name} ${label}` : name;
  }

  clauseLink(ref) {
    return el("a", { href: this.clauseHref(ref), class: "ck-clause", "data-clause": ref, text: this.clauseName(ref) });
  }

  // ------------------------------------------------------------ one question

  /** One question: label, control, unit, help, clause links, a warning and an error slot. */
  buildField(field, path, itemKey = null) {
    const id = idOf(itemKey ? `${itemKey}-${path}` : path);
    const helpId = id + "-help";
    const errorId = id + "-error";
    const warnId = id + "-warn";
    const wrap = el("div", { class: `ck-field ck-type-${field.type}`, "data-path": path, "data-type": field.type });
    if (!itemKey) wrap.dataset.programmes = (field.programmes || []).join(" ");
    if (!itemKey && field.ask_when) {
      wrap.dataset.askField = field.ask_when.field;
      wrap.dataset.askIn = field.ask_when.in.join(" ");
    }
    const described = `${helpId} ${errorId} ${warnId}`;
    const label = this.text(field.label);
    if (field.type === "bool") {
      wrap.append(this.choices(id, label, BOOL_CHOICES, described));
    } else {
      wrap.append(el("label", { for: id, class: "ck-label", text: label }));
      let control;
      if (field.type === "enum") {
        control = el("select", { id, "aria-describedby": described },
          el("option", { value: "", text: this.t("choose") }),
          (field.options || []).map((o) => el("option", { value: o.value, text: this.text(o.label) })));
      } else if (field.type === "date") {
        // Text, not type=date: a year or a year and month is a valid answer too (the engine decides).
        control = el("input", { id, type: "text", autocomplete: "off", spellcheck: "false", placeholder: this.t("date_placeholder"),
          "aria-describedby": described, class: "ck-date" });
      } else {
        // Text with a numeric keyboard: whatever is typed reaches the engine, which says what is wrong.
        control = el("input", { id, type: "text", autocomplete: "off", inputmode: field.type === "int" ? "numeric" : "decimal",
          "aria-describedby": described, class: "ck-number" });
      }
      const row = el("div", { class: "ck-control" }, control);
      if (field.type === "number") row.append(el("span", { class: "ck-unit", text: this.t("wan") }));
      wrap.append(row);
    }
    // The glossary entries the question's label uses (rules' `terms`), linked after the help.
    const terms = (field.terms || []).map((term) => el("a", { class: "ck-term",
      href: "../glossary/#term-" + String(term).replace(/[^a-z0-9]+/g, "-"), text: this.t("glossary_term") }));
    if (field.help || terms.length) wrap.append(el("p", { class: "ck-help", id: helpId }, this.text(field.help), terms.map((link) => [" ", link])));
    const clauses = this.clauseLinks(field);
    if (clauses) wrap.append(clauses);
    wrap.append(el("p", { class: "ck-warning", id: warnId, hidden: true }));
    wrap.append(el("p", { class: "ck-error", id: errorId, hidden: true }));
    return wrap;
  }

  /** A radio group (a fieldset with its legend) of [value, string key] choices, the first checked. */
  choices(id, label, choices, described, extra = {}) {
    const options = el("div", { class: "ck-bool-options" });
    for (const [value, key] of choices) {
      const radioId = `${id}-${value || "unset"}`;
      options.append(el("span", { class: "ck-radio" },
        el("input", { type: "radio", id: radioId, name: id, value, checked: value === "", ...extra }),
        el("label", { for: radioId, text: this.t(key) })));
    }
    return el("fieldset", { class: "ck-bool", id, "aria-describedby": described }, el("legend", { class: "ck-label", text: label }), options);
  }

  /** A list question (the achievements): unanswered / none / a list of items, each a small group of questions. */
  buildList(field) {
    const id = idOf(field.path);
    const wrap = el("div", { class: "ck-field ck-type-list", "data-path": field.path, "data-type": "list",
      "data-programmes": (field.programmes || []).join(" ") });
    const state = this.choices(id, this.text(field.label) || this.t("ach_state"), LIST_CHOICES, `${id}-help ${id}-error`, { "data-list-state": "1" });
    const box = el("div", { class: "ck-list", hidden: true },
      el("ol", { class: "ck-items" }),
      el("button", { type: "button", class: "md-button ck-add", "data-action": "add-item", text: this.t("ach_add") }));
    wrap.append(state, field.help ? el("p", { class: "ck-help", id: `${id}-help`, text: this.text(field.help) }) : null);
    const clauses = this.clauseLinks(field);
    if (clauses) wrap.append(clauses);
    wrap.append(el("p", { class: "ck-error", id: `${id}-error`, hidden: true }), box);
    return wrap;
  }

  items(listWrap) { return listWrap.querySelector(".ck-items"); }

  /** A new item of a list question, with `values` put into its questions; returns the item and
   * the names (as `name`) of the values that could not be put. */
  addItem(listWrap, values = {}) {
    const field = this.byPath.get(listWrap.dataset.path);
    const key = `item${++this.itemCounter}`;
    const fieldset = el("fieldset", {}, el("legend", { class: "ck-item-title" }));
    for (const sub of field.item_fields || []) fieldset.append(this.buildField(sub, sub.path, key));
    fieldset.append(el("button", { type: "button", class: "md-button ck-remove", "data-action": "remove-item", text: this.t("ach_remove") }));
    const item = el("li", { class: "ck-item", "data-item": key }, fieldset);
    this.items(listWrap).append(item);
    const names = new Set((field.item_fields || []).map((sub) => sub.path));
    const rejected = Object.keys(values).filter((name) => !names.has(name));
    for (const wrap of item.querySelectorAll(".ck-field[data-type]")) {
      if (!this.setField(wrap, get(values, wrap.dataset.path))) rejected.push(wrap.dataset.path);
    }
    this.renumber(listWrap);
    return { item, rejected };
  }

  /** Number the items; at the list's limit (max_items, the engine's too) no more can be added. */
  renumber(listWrap) {
    const items = [...this.items(listWrap).children];
    items.forEach((item, i) => {
      item.querySelector(".ck-item-title").textContent = this.t("ach_item", { n: i + 1 });
    });
    listWrap.querySelector(".ck-add").hidden = items.length >= this.byPath.get(listWrap.dataset.path).max_items;
  }

  listState(listWrap) {
    const checked = listWrap.querySelector("input[data-list-state]:checked");
    return checked ? checked.value : "";
  }

  setListState(listWrap, state) {
    for (const radio of listWrap.querySelectorAll("input[data-list-state]")) radio.checked = radio.value === state;
    listWrap.querySelector(".ck-list").hidden = state !== "some";
  }

  /** "Some" opens the list with a first item to fill. */
  listChanged(listWrap) {
    const state = this.listState(listWrap);
    this.setListState(listWrap, state);
    if (state === "some" && !this.items(listWrap).children.length) this.addItem(listWrap);
  }

  clicked(event) {
    const button = event.target.closest("[data-action]");
    const listWrap = button && button.closest(".ck-type-list");
    if (!listWrap) return;
    if (button.dataset.action === "add-item") {
      this.addItem(listWrap).item.querySelector("select, input")?.focus();
    } else if (button.dataset.action === "remove-item") {
      button.closest(".ck-item").remove();
      this.renumber(listWrap);
      listWrap.querySelector(".ck-add").focus();
    } else {
      return;
    }
    this.element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // ------------------------------------------------------------ reading and writing answers

  /** The answer of one question's control as the profile holds it; undefined when unanswered. */
  readField(wrap) {
    const type = wrap.dataset.type;
    if (type === "bool") {
      const checked = wrap.querySelector("input[type=radio]:checked");
      return !checked || checked.value === "" ? undefined : checked.value === "yes";
    }
    // Dates and amounts go to the engine as typed (1988年7月1日, 250万元): it alone reads them.
    const raw = wrap.querySelector("select, input").value.trim();
    return raw === "" ? undefined : raw;
  }

  /** Put one answer into its question; false when the value does not fit it (then it stays unanswered). */
  setField(wrap, value) {
    const unanswered = value === null || value === undefined;
    if (wrap.dataset.type === "bool") {
      const wanted = value === true ? "yes" : value === false ? "no" : "";
      for (const radio of wrap.querySelectorAll("input[type=radio]")) radio.checked = radio.value === wanted;
      return unanswered || wanted !== "";
    }
    const control = wrap.querySelector("select, input");
    // Only text and numbers are put: String() of anything else may throw ({"toString": 1}).
    const fits = typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
    control.value = fits ? String(value) : "";
    // A select keeps a value only when it is one of its options.
    return unanswered || (fits && control.value === String(value));
  }

  /** The questions outside list items (a list question itself included), in form order. */
  topFields() {
    return [...this.tops.values()];
  }

  /** Every answer the form holds, in the contract's shape (absent = unknown): what is kept, shared and exported. */
  readProfile() {
    const profile = {};
    for (const wrap of this.topFields()) {
      const path = wrap.dataset.path;
      if (wrap.dataset.type === "list") {
        const state = this.listState(wrap);
        const items = [...this.items(wrap).children];
        if (state === "none") put(profile, path, []);
        else if (state === "some" && items.length) {
          put(profile, path, items.map((item) => {
            const entry = {};
            for (const sub of item.querySelectorAll(".ck-field[data-type]")) {
              const value = this.readField(sub);
              if (value !== undefined) entry[sub.dataset.path] = value;
            }
            return entry;
          }));
        }
        continue;
      }
      const value = this.readField(wrap);
      if (value !== undefined) put(profile, path, value);
    }
    return profile;
  }

  /** The answers the engine judges: without the applicant's choices when no programme is chosen (they
   * stay in their boxes, the link and the export for when one is). */
  judged(profile) {
    if (this.programme.value) return profile;
    const judged = JSON.parse(JSON.stringify(profile));
    for (const path of this.choiceFields) {
      const [group, name] = path.split(".");
      if (judged[group] && typeof judged[group] === "object") delete judged[group][name];
    }
    return judged;
  }

  /** The form's answers as the engine judges them (see judged). */
  judgedProfile() {
    return this.judged(this.readProfile());
  }

  /** Put a profile (any JSON value: it may come from a link or from storage) into the form;
   * everything it does not mention becomes unanswered. Returns what it holds that could not be
   * put: `unread`, the paths of unknown questions and of values of the wrong kind, and `cut`, the
   * lists longer than their limit as [path, items left out]. */
  writeProfile(profile) {
    const unread = [];
    const cut = [];
    if (!isObject(profile)) return { unread, cut };
    const groups = new Set(this.fields.filter((f) => f.path.includes(".")).map((f) => f.path.split(".")[0]));
    for (const [key, value] of Object.entries(profile)) {
      if (this.byPath.has(key) || (groups.has(key) && value === null)) continue;
      if (!groups.has(key) || !isObject(value)) unread.push(key);
      else unread.push(...Object.keys(value).map((name) => `${key}.${name}`).filter((path) => !this.byPath.has(path)));
    }
    for (const wrap of this.topFields()) {
      const path = wrap.dataset.path;
      const value = get(profile, path);
      if (wrap.dataset.type !== "list") {
        if (!this.setField(wrap, value)) unread.push(path);
        continue;
      }
      const list = this.writeList(wrap, value);
      unread.push(...list.unread);
      if (list.cut) cut.push([path, list.cut]);
    }
    return { unread, cut };
  }

  /** Put a list answer (undefined: unanswered, []: none, items) into its question, at most
   * max_items of them (the engine refuses more); returns {unread: paths, cut: items left out}. */
  writeList(wrap, value) {
    const path = wrap.dataset.path;
    this.items(wrap).replaceChildren();
    if (!Array.isArray(value)) {
      this.setListState(wrap, "");
      return { unread: value === null || value === undefined ? [] : [path], cut: 0 };
    }
    this.setListState(wrap, value.length ? "some" : "none");
    const unread = [];
    const max = this.byPath.get(path).max_items;
    value.slice(0, max).forEach((item, i) => {
      if (!isObject(item)) unread.push(`${path}[${i}]`);
      else unread.push(...this.addItem(wrap, item).rejected.map((name) => `${path}[${i}].${name}`));
    });
    this.renumber(wrap);
    return { unread, cut: Math.max(0, value.length - max) };
  }

  /** A question's answer as the engine worded it in `result` (its `answers`): {question, text,
   * items: a list's items, one per line, or null}; null when the result has no answer for it. */
  givenAnswer(result, path) {
    const answer = (result?.answers || []).find((a) => a.path === path);
    if (!answer) return null;
    const items = answer.items?.length ? el("ol", { class: "ck-items-given" }, answer.items.map((text) => el("li", { text }))) : null;
    return { question: answer.question, text: answer.text, items };
  }

  // ------------------------------------------------------------ what is asked

  /** Show the questions that matter for the chosen programme and whose follow-up condition holds. */
  applyProgramme() {
    const chosen = this.programme.value;
    for (const wrap of this.topFields()) {
      const list = (wrap.dataset.programmes || "").split(" ").filter(Boolean);
      const offTopic = Boolean(chosen) && list.length > 0 && !list.includes(chosen);
      // A follow-up question (ask_when) waits for the answer it depends on.
      const waiting = wrap.dataset.askField !== undefined && !this.askedFor(wrap.dataset.askField, wrap.dataset.askIn);
      const perProgramme = !chosen && this.choiceFields.includes(wrap.dataset.path);
      wrap.hidden = offTopic || waiting || perProgramme;
    }
    this.perProgrammeNote.hidden = Boolean(chosen);
    // Only the clauses of the common notice and of the chosen programme are worth a link here.
    for (const button of this.element.querySelectorAll(".ck-clause-open")) {
      const refs = button.dataset.clauses.split(" ");
      const shown = refs.filter((ref) => {
        const page = ref.split("#")[0];
        return !chosen || page === chosen || !this.data.programmes.some((p) => p.id === page);
      });
      this.showClauses(button, shown.length ? shown : refs);
    }
    for (const group of this.element.querySelectorAll(".ck-group")) {
      group.hidden = ![...group.querySelectorAll(":scope > .ck-field")].some((w) => !w.hidden);
    }
  }

  askedFor(path, values) {
    const control = this.element.querySelector(`.ck-field[data-path="${CSS.escape(path)}"] select`);
    return Boolean(control) && values.split(" ").includes(control.value);
  }

  /** Whether a change of this control can show or hide follow-up questions. */
  isAskWhenSource(target) {
    const path = target.closest && target.closest(".ck-field")?.dataset.path;
    return Boolean(path) && Boolean(this.element.querySelector(`[data-ask-field="${CSS.escape(path)}"]`));
  }

  // ------------------------------------------------------------ problems beside their questions

  /** The form's question for an engine field path such as project.achievements[0].date. */
  wrapFor(path) {
    const match = ITEM_PATH.exec(path || "");
    if (match) {
      const listWrap = this.tops.get(match[1]);
      const item = listWrap && this.items(listWrap).children[Number(match[2])];
      return item ? item.querySelector(`.ck-field[data-path="${CSS.escape(match[3])}"]`) : listWrap || null;
    }
    const base = String(path || "").replace(/\[\d+\].*$/, "");
    return this.tops.get(base) || null;
  }

  /** The question's wording for a field path (an item's question says which list and item it
   * belongs to; a name no question has, as a link may hold, is given as it is). */
  fieldLabel(path) {
    const base = String(path).replace(/\[\d+\].*$/, "");
    const field = this.byPath.get(base);
    if (!field) return String(path);
    const sub = /\[(\d+)\](?:\.(.+))?$/.exec(path);
    if (!sub) return this.text(field.label);
    const item = (field.item_fields || []).find((f) => f.path === sub[2]);
    const words = [this.text(field.label), this.t("ach_item", { n: Number(sub[1]) + 1 })];
    if (sub[2] !== undefined) words.push(item ? this.text(item.label) : sub[2]);
    return words.join(" · ");
  }

  /** Show each {field, message} beside its question (slot: "error" or "warning"); clear the others. */
  showProblems(problems, slot = "error") {
    for (const node of this.element.querySelectorAll(`.ck-${slot}`)) {
      node.hidden = true;
      node.textContent = "";
      if (slot === "error") node.closest(".ck-field")?.querySelectorAll("[aria-invalid]").forEach((c) => c.removeAttribute("aria-invalid"));
    }
    const unplaced = [];
    for (const problem of problems) {
      const wrap = this.wrapFor(problem.field);
      const target = wrap && wrap.querySelector(`:scope > .ck-${slot}`);
      if (!target) { unplaced.push(problem); continue; }
      // Beside its question the message need not name the field again.
      const message = String(problem.message).startsWith(`${problem.field}: `) ? problem.message.slice(problem.field.length + 2) : problem.message;
      target.textContent = target.textContent ? `${target.textContent} ${message}` : message;
      target.hidden = false;
      if (slot === "error") wrap.querySelector("input:not([type=radio]), select, input[type=radio]")?.setAttribute("aria-invalid", "true");
    }
    return unplaced;
  }
}

/** Set a dotted path of a profile (groups are created as needed). */
export function put(profile, path, value) {
  const parts = path.split(".");
  let node = profile;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts.at(-1)] = value;
}

/** The value at a dotted path with list indexes (`project.achievements[0].kind`), or undefined;
 * only a value of the profile's own, never one it inherits (`constructor`, `toString`). */
export function get(profile, path) {
  return String(path).replace(/\[(\d+)\]/g, ".$1").split(".")
    .reduce((node, part) => (node && typeof node === "object" && Object.hasOwn(node, part) ? node[part] : undefined), profile);
}
