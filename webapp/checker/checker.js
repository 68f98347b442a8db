// The eligibility self-check page: wires the questions (questions.js), the results (results.js), the engine
// in its worker (engine.js) and where answers are kept (storage.js), and offers window.checker
// for automation. Loaded as a module from a content-hashed URL, as are the modules it imports.

import { LANG, Texts, abs, el, sentences } from "./dom.js";
import { ClausePanel } from "./clauses.js";
import * as editions from "./editions.js";
import { Engine, canRunWasm } from "./engine.js";
import { Guided } from "./guided.js";
import { qrFigure } from "./qr.js";
import { Form } from "./questions.js";
import { Results } from "./results.js";
import * as storage from "./storage.js";

const root = document.getElementById("checker");
const DEBOUNCE_MS = 150;
// A message names at most this many questions, each cut to SHORTEN characters (a link's keys can be anything).
const MAX_NAMED = 5;
const SHORTEN = 40;

/** Text cut to SHORTEN characters. */
function shorten(text) {
  const chars = [...String(text)];
  return chars.length > SHORTEN ? chars.slice(0, SHORTEN).join("") + "…" : chars.join("");
}

/** The engine's problems with a profile: every invalid field ("errors"), else the first ("error"). */
function problemsOf(result) {
  if (!result || typeof result !== "object" || Array.isArray(result)) return [];
  if (Array.isArray(result.errors) && result.errors.length) return result.errors;
  return result.error ? [result.error] : [];
}

class Checker {
  constructor(data, engine) {
    this.data = data;
    this.engine = engine;
    this.texts = new Texts(data);
    this.form = new Form(data, this.texts);
    this.results = new Results(data, this.texts, this.form);
    this.clauses = new ClausePanel(this.form, this.texts);
    this.guided = new Guided({
      form: this.form, texts: this.texts,
      askEngine: (profile, programme, skipped) => window.checker.nextStep(profile, programme, skipped),
      evaluate: () => this.update(),
      answers: () => this.shownProfile(),
      onFinish: () => this.setMode("form"),
    });
    this.timer = null;
    this.sequence = 0;
    this.clean = null; // the engine's reading of the answers last judged (JSON text cleanFor)
    this.cleanFor = null;
  }

  t(key, values) { return this.texts.t(key, values); }

  /** The checker in place of the page's loading note: status, modes, toolbar, questions, results, clauses. */
  async build() {
    const params = new URLSearchParams(location.search);
    const known = this.data.programmes.map((p) => p.id);
    const asked = params.get("programme");

    this.status = el("div", { class: "ck-status", role: "status", "aria-live": "polite" },
      el("span", { class: "ck-status-text", text: this.t("loading") }),
      el("progress", { class: "ck-progress", max: "3", value: "0", "aria-hidden": "true" }));
    this.message = el("p", { class: "ck-message", role: "alert" });
    this.fileInput = el("input", { type: "file", accept: "application/json,.json", id: "ck-import-file", class: "ck-visually-hidden", tabindex: "-1", "aria-label": this.t("import") });
    // The actions a person uses stay in view; the rarer ones (JSON files) wait behind "More".
    this.moreMenu = el("div", { class: "ck-more-menu", id: "ck-more-menu", hidden: true },
      el("button", { type: "button", class: "md-button", "data-action": "export", text: this.t("export") }),
      el("button", { type: "button", class: "md-button ck-import", "data-action": "import", text: this.t("import") }),
      this.fileInput);
    this.toolbar = el("div", { class: "ck-toolbar" },
      el("button", { type: "button", class: "md-button", "data-action": "share", text: this.t("share") }),
      el("button", { type: "button", class: "md-button", "data-action": "print", text: this.t("print") }),
      el("button", { type: "button", class: "md-button ck-clear", "data-action": "clear", text: this.t("clear") }),
      el("button", { type: "button", class: "md-button ck-more", "data-action": "more", "aria-expanded": "false",
        "aria-controls": "ck-more-menu", text: this.t("more") }),
      this.moreMenu,
      el("span", { class: "ck-confirm", hidden: true },
        el("span", { text: this.t("clear_confirm") }), " ",
        el("button", { type: "button", class: "md-button ck-clear-yes", "data-action": "clear-yes", text: this.t("clear_yes") }),
        el("button", { type: "button", class: "md-button", "data-action": "clear-no", text: this.t("clear_no") })),
      el("span", { class: "ck-stored", text: this.t("stored") }));
    this.sharePanel = el("div", { class: "ck-share", hidden: true });
    this.modes = el("div", { class: "ck-modes", role: "group", "aria-label": this.t("mode_label") },
      el("button", { type: "button", class: "md-button", "data-mode": "guided", "aria-pressed": "false", text: this.t("mode_guided") }),
      el("button", { type: "button", class: "md-button", "data-mode": "form", "aria-pressed": "false", text: this.t("mode_form") }));
    this.verdictBar = el("div", { class: "ck-verdict-bar", hidden: true });

    const form = await this.form.build();
    const guided = this.guided.build();
    form.prepend(...guided.top);
    form.append(...guided.bottom);
    root.replaceChildren(
      el("h2", { id: "ck-form-title", class: "ck-visually-hidden", text: this.t("questions") }),
      this.status, this.modes, this.toolbar, this.message, this.sharePanel,
      // Wide screens: questions on the left, results beside them and always in view (checker.css).
      el("div", { class: "ck-layout" }, form, this.results.build()),
      // Phones: the verdict stays in view at the bottom and leads to the reasons.
      this.verdictBar, this.clauses.build());
    root.classList.add("ck-built");

    this.form.programme.value = known.includes(asked) ? asked : "";
    const saved = this.restoreSaved(known.includes(asked));
    const shared = this.restoreLink();
    this.form.applyProgramme();
    // Answers given under another edition: say so, with the changes since then that concern them.
    const note = editions.carriedNote(this, shared ? shared.from : saved && saved.edition, this.profile(), this.form.programme.value);
    if (note) this.message.after(note);
    editions.bindOffer(() => ({ profile: this.profile(), programme: this.form.programme.value }));
    this.bind();
    this.setMode(storage.loadMode() || "guided", { focus: false });
    if (shared && this.mode === "guided") this.guided.show("summary", { focus: false });
  }

  /** The answers kept in this browser, if any (returned, whichever edition they were given under): what could not be read is named, and answers judged
   * under other rules (the site was rebuilt since) are said to be judged anew. */
  restoreSaved(programmeAsked) {
    const saved = storage.load();
    if (!saved) return null;
    if (saved.unreadable) {
      this.say(this.t("stored_bad"), true);
      return null;
    }
    const left = this.leftOut(this.form.writeProfile(saved.profile));
    if (!programmeAsked && this.data.programmes.some((p) => p.id === saved.programme)) this.form.programme.value = saved.programme;
    const notes = left.length ? [this.t("stored_restored"), ...left] : [];
    if (saved.edition === this.data.edition && saved.rules && saved.rules !== this.data.rules) {
      notes.push(this.t("rules_changed"));
      // Said once: the answers are kept as they were, now as judged under these rules.
      storage.save(this.data.edition, this.data.rules, saved.programme, saved.profile);
    }
    if (notes.length) this.say(sentences(notes), left.length > 0);
    return saved;
  }

  /** Answers from a share link (the URL fragment), when it carries them: what the link holds, else false. A link
   * may hold anything: what cannot be read is named, and the rest of the page stays as it was. */
  restoreLink() {
    let shared;
    try {
      shared = storage.readFragment(location.hash);
    } catch (err) {
      this.say(this.t("share_bad"), true);
      return false;
    }
    if (!shared) return false;
    const left = this.leftOut(this.form.writeProfile(shared.profile));
    const known = this.data.programmes.some((p) => p.id === shared.programme);
    this.form.programme.value = known ? shared.programme : "";
    const notes = [this.t("share_restored")];
    if (shared.programme && !known) notes.push(this.t("share_unknown_programme", { programme: shorten(shared.programme) }));
    this.say(sentences([...notes, ...left]), notes.length > 1 || left.length > 0);
    return shared;
  }

  /** What writeProfile could not put, in sentences: "N answers could not be read and were left
   * blank: <their questions>", and "<list> takes at most M items; the other N were not restored". */
  leftOut({ unread, cut }) {
    const notes = cut.map(([path, n]) => this.t("items_cut", {
      list: this.form.fieldLabel(path), max: this.form.byPath.get(path).max_items, n }));
    if (unread.length) {
      const names = [...new Set(unread.map((path) => shorten(this.form.fieldLabel(path))))];
      const shown = names.slice(0, MAX_NAMED).join(this.t("list_separator")) + (names.length > MAX_NAMED ? this.t("ellipsis") : "");
      notes.unshift(this.t("answers_left_out", { n: unread.length, fields: shown }));
    }
    return notes;
  }

  /** Another tab kept other answers (the `storage` event): this one follows them and says so, so
   * that neither tab's answers vanish unseen when the other saves. */
  followOtherTab(text) {
    const saved = storage.readSaved(text);
    if (saved && (saved.unreadable || saved.edition !== this.data.edition)) return; // another edition's are its own
    const profile = saved ? saved.profile : {};
    const programme = saved ? saved.programme : this.form.programme.value;
    if (JSON.stringify(profile) === JSON.stringify(this.profile()) && programme === this.form.programme.value) return;
    const left = this.leftOut(this.form.writeProfile(profile));
    this.form.programme.value = this.data.programmes.some((p) => p.id === programme) ? programme : "";
    this.form.applyProgramme();
    this.say(sentences([this.t("other_tab"), ...left]));
    if (this.mode === "guided") this.guided.show("summary", { focus: false });
    this.update({ persist: false });
  }

  /** Guided (one question at a time) or the whole form on one page: the same answers either way. */
  setMode(mode, { focus = true } = {}) {
    this.mode = mode === "form" ? "form" : "guided";
    storage.saveMode(this.mode);
    this.form.element.classList.toggle("ck-mode-guided", this.mode === "guided");
    this.form.element.classList.toggle("ck-mode-form", this.mode === "form");
    for (const button of this.modes.querySelectorAll("[data-mode]")) button.setAttribute("aria-pressed", String(button.dataset.mode === this.mode));
    if (this.mode === "guided") this.guided.restart(focus);
  }

  bind() {
    this.form.element.addEventListener("input", (event) => this.changed(event));
    this.form.element.addEventListener("change", (event) => this.changed(event));
    this.form.element.addEventListener("submit", (event) => event.preventDefault());
    const act = (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "export") storage.download(this.shownProfile(), this.data.edition);
      else if (action === "print") { this.preparePrint(); window.print(); }
      else if (action === "share") this.share();
      else if (action === "clear") this.confirmClear(true);
      else if (action === "clear-no") this.confirmClear(false);
      else if (action === "clear-yes") this.clear();
      else if (action === "undo") this.undo();
      else if (action === "import") this.fileInput.click();
      else if (action === "more") this.showMore(this.moreMenu.hidden);
      if (action && action !== "more") this.showMore(false, false);
    };
    this.toolbar.addEventListener("click", act);
    this.toolbar.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !this.moreMenu.hidden) this.showMore(false);
    });
    this.message.addEventListener("click", act);
    this.modes.addEventListener("click", (event) => {
      const mode = event.target.closest("[data-mode]")?.dataset.mode;
      if (mode && mode !== this.mode) this.setMode(mode);
    });
    // Clause references open their text in place (a plain click; a new tab still works as a link).
    root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-action=clauses]");
      const link = event.target.closest("a.ck-clause");
      const question = event.target.closest(".ck-results a[href^='#f-']");
      if (question && this.mode === "guided") {
        // In guided mode a question named in the result opens as a step of its own.
        event.preventDefault();
        const path = question.closest("[data-path]")?.dataset.path;
        if (path) this.guided.change(path.replace(/\[\d+\].*$/, ""));
      } else if (button) {
        this.clauses.open(button.dataset.shown.split(" "), button);
      } else if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
        event.preventDefault();
        this.clauses.open([link.dataset.clause], link);
      }
    });
    this.fileInput.addEventListener("change", () => this.importFile());
    window.addEventListener("beforeprint", () => this.preparePrint());
    window.addEventListener("storage", (event) => {
      if (event.storageArea === localStorage && (event.key === storage.STORAGE_KEY || event.key === null)) this.followOtherTab(event.newValue);
    });
    window.addEventListener("hashchange", () => {
      if (this.restoreLink()) {
        this.form.applyProgramme();
        this.update({ persist: false });
        if (this.mode === "guided") this.guided.show("summary", { focus: false });
      }
    });
  }

  /** Open or close the toolbar's "More" actions; closing by key puts the focus back on "More". */
  showMore(open, focus = true) {
    const button = this.toolbar.querySelector(".ck-more");
    if (!open && this.moreMenu.hidden) return;
    const inside = this.moreMenu.contains(document.activeElement);
    this.moreMenu.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) this.moreMenu.querySelector("button").focus();
    else if (focus && inside) button.focus();
  }

  /** The report a printout shows: the answers by question, and the link that restores them. */
  preparePrint() {
    const result = this.results.lastResult;
    const answers = (result?.answers || []).map((answer) => this.form.givenAnswer(result, answer.path));
    const link = new URL(location.href);
    link.hash = storage.shareFragment(this.profile(), this.form.programme.value, this.data.edition);
    this.results.updatePrintMeta(link.href, answers);
  }

  /** Put the answers in the address's fragment, copy the link, and show it with its QR code. */
  async share() {
    const url = new URL(location.href);
    url.hash = storage.shareFragment(this.profile(), this.form.programme.value, this.data.edition);
    history.replaceState(history.state, "", url);
    const input = el("input", { type: "text", readonly: true, class: "ck-share-link", id: "ck-share-link", value: url.href });
    this.sharePanel.replaceChildren(el("label", { for: "ck-share-link", text: this.t("share_link") }), input);
    this.sharePanel.hidden = false;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url.href);
      copied = true;
    } catch (err) { /* no clipboard here (plain http, or refused): the link is shown to copy */ }
    this.say(this.t(copied ? "share_copied" : "share_shown"));
    input.select();
    this.sharePanel.append(qrFigure(url.href, this.t("qr")));
  }

  changed(event) {
    if (event.target === this.form.programme) {
      this.form.applyProgramme();
      const url = new URL(location.href);
      if (this.form.programme.value) url.searchParams.set("programme", this.form.programme.value);
      else url.searchParams.delete("programme");
      history.replaceState(history.state, "", url);
    } else if (this.form.isAskWhenSource(event.target)) {
      this.form.applyProgramme();
    }
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
  }

  /** The profile the page holds now, dates and amounts as typed: what the engine, the share link
   * and this browser's storage are given. */
  profile() {
    return this.form.readProfile();
  }

  /** The answers as the engine read them (1988年7月1日 as 1988-07-01, 250万元 as 250), for Export
   * and the pages that list them; as typed while the engine has not read these very answers. */
  shownProfile() {
    const profile = this.profile();
    return this.clean && this.cleanFor === JSON.stringify(profile) ? this.clean : profile;
  }

  programme() {
    return this.form.programme.value || null;
  }

  // ------------------------------------------------------------ evaluation

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

  /** Evaluate the answers; every invalid one is shown beside its question and nothing is judged. */
  async update({ persist = true } = {}) {
    const profile = this.profile();
    if (persist) storage.save(this.data.edition, this.data.rules, this.form.programme.value, profile);
    const sequence = ++this.sequence;
    const text = JSON.stringify(profile);
    let result, clean;
    try {
      // The answers as typed go to the engine; it reads them (dates, amounts) for the warnings too.
      // It judges them without the request in "all programmes" mode (Form.judged).
      [result, clean] = (await Promise.all([this.engine.evaluateText(JSON.stringify(this.form.judged(profile)), this.programme(), LANG),
        this.engine.normaliseText(text, LANG)])).map((out) => JSON.parse(out));
    } catch (err) {
      return { result: null, problems: [] };
    }
    const problems = problemsOf(result);
    if (sequence !== this.sequence) return { result, problems };
    [this.clean, this.cleanFor] = problems.length ? [null, null] : [clean, text];
    this.form.showProblems(problems.length ? [] : result.warnings || [], "warning");
    const unplaced = this.form.showProblems(problems);
    if (problems.length) {
      this.results.invalid(problems.length);
      if (unplaced.length) this.say(unplaced.map((p) => p.message).join(this.t("clause_separator")), true); // each names its field
      return { result, problems };
    }
    this.results.render(result, clean);
    this.renderVerdictBar(result);
    this.guided.resultShown(result);
    return { result, problems };
  }

  /** The phone's sticky bar: the chosen programme's verdict, or how many programmes fit. */
  renderVerdictBar(result) {
    const ids = Object.keys(result.results || {});
    const link = el("a", { href: "#ck-results-title", class: "ck-bar-link", text: this.t("verdict_bar") });
    if (ids.length === 1) {
      const res = result.results[ids[0]];
      this.verdictBar.replaceChildren(el("span", { class: "ck-bar-title", text: this.texts.text(res.title) }), " ",
        this.results.verdictBadge(res.verdict), " ", link);
    } else {
      const counts = {};
      for (const id of ids) counts[result.results[id].verdict] = (counts[result.results[id].verdict] || 0) + 1;
      this.verdictBar.replaceChildren(...Object.entries(counts).map(([verdict, n]) =>
        el("span", { class: "ck-bar-count" }, this.results.verdictBadge(verdict), ` ×${n} `)), link);
    }
    this.verdictBar.dataset.verdict = ids.length === 1 ? result.results[ids[0]].verdict : "";
    this.verdictBar.hidden = false;
  }

  // ------------------------------------------------------------ import and clear

  say(text, bad = false) {
    this.message.textContent = text;
    this.message.classList.toggle("ck-bad", bad);
  }

  async importFile() {
    const file = this.fileInput.files && this.fileInput.files[0];
    this.fileInput.value = "";
    if (!file) return;
    const reject = (reason) => this.say(this.t("import_bad", { reason }), true);
    if (file.size > storage.MAX_IMPORT_BYTES) return reject(this.t("too_big"));
    let profile;
    try {
      profile = JSON.parse(await file.text());
    } catch (err) {
      return reject(this.t("bad_json"));
    }
    // The engine is the only judge of a profile: every problem it finds is named.
    let problems;
    try {
      problems = problemsOf(JSON.parse(await this.engine.evaluateText(JSON.stringify(profile), null, LANG)));
    } catch (err) {
      return reject(String(err && err.message ? err.message : err));
    }
    // The engine's message already names its field.
    if (problems.length) return reject(problems.map((p) => p.message).join(this.t("clause_separator")));
    this.form.writeProfile(profile);
    this.form.applyProgramme();
    this.say(this.t("imported"));
    this.update();
  }

  /** Clear asks first: the toolbar shows "Clear all your answers? Clear / Cancel". */
  confirmClear(asking) {
    this.toolbar.querySelector(".ck-confirm").hidden = !asking;
    this.toolbar.querySelector(asking ? ".ck-clear-yes" : ".ck-clear").focus();
  }

  clear() {
    this.undoState = { profile: this.profile(), programme: this.form.programme.value };
    this.toolbar.querySelector(".ck-confirm").hidden = true;
    storage.forget();
    this.form.writeProfile({});
    this.form.applyProgramme();
    this.form.showProblems([]);
    this.message.replaceChildren(this.t("cleared"), " ",
      el("button", { type: "button", class: "md-button ck-undo", "data-action": "undo", text: this.t("undo") }));
    this.message.classList.remove("ck-bad");
    this.message.querySelector(".ck-undo").focus();
    if (this.mode === "guided") this.guided.restart(false);
    this.update({ persist: false });
  }

  /** Undo a clear: the answers (and the programme) come back, and are kept again. */
  undo() {
    if (!this.undoState) return;
    this.form.writeProfile(this.undoState.profile);
    this.form.programme.value = this.undoState.programme;
    this.undoState = null;
    this.form.applyProgramme();
    this.say(this.t("restored"));
    this.update();
  }
}

// ---------------------------------------------------------------- start

/** The form data: questions, programmes and the page's words. */
function formData() {
  return fetch(abs(root.dataset.form), { credentials: "same-origin" }).then((response) => {
    if (!response.ok) throw new Error(`${response.status} ${response.url}`);
    return response.json();
  });
}

/** The page could not be built (its form data did not load): the reason, in place of the checker. */
function broken(err) {
  root.replaceChildren(el("p", { class: "ck-bad", role: "alert", text: String(err && err.message ? err.message : err) }));
}

/** A browser that cannot run the engine: say so plainly and link each programme's checklist. */
function unsupported(data) {
  const texts = new Texts(data);
  root.replaceChildren(el("div", { class: "ck-fallback" },
    el("p", { text: texts.t("no_wasm") }),
    el("p", { text: texts.t("checklists_instead") }),
    el("ul", {}, data.programmes.map((p) => el("li", {}, el("a", { href: "../" + p.checklist, text: texts.text(p.title) }))))));
}

function boot() {
  if (!root || editions.followLink(root)) return;
  if (!canRunWasm()) {
    // No worker, no runtime download, no form: nothing here could answer it.
    formData().then(unsupported).catch(broken);
    return;
  }
  let checker = null; // once its form is built
  let lastStep = null;
  const engine = new Engine(abs(root.dataset.worker), abs(root.dataset.pyodide), abs(root.dataset.wheel), (step) => {
    lastStep = step;
    if (checker) checker.progress(step);
  });
  engine.ready.catch(() => {}); // reported on the page below; consumers still see the rejection

  window.checker = {
    ready: engine.ready,
    /** Promise of exactly the parsed JSON `python -m checker_py check --format json` prints. */
    evaluate(profile, { programme = null, lang = "zh" } = {}) {
      const text = typeof profile === "string" ? profile : JSON.stringify(profile);
      return engine.evaluateText(text, programme, lang).then((out) => JSON.parse(out));
    },
    /** Promise of the field paths whose answer can still change a verdict, in asking order. */
    nextQuestions(profile, programme = null, skipped = []) {
      const text = typeof profile === "string" ? profile : JSON.stringify(profile);
      return engine.nextQuestionsText(text, programme, skipped).then((out) => {
        const value = JSON.parse(out);
        if (!Array.isArray(value)) throw new Error(problemsOf(value).map((p) => p.message).join("; ") || out);
        return value;
      });
    },
    /** Promise of the guided mode's next step, {questions, paths, remaining}, as checker_py.next_step. */
    nextStep(profile, programme = null, skipped = []) {
      const text = typeof profile === "string" ? profile : JSON.stringify(profile);
      return engine.nextStepText(text, programme, skipped).then((out) => {
        const value = JSON.parse(out);
        if (!Array.isArray(value.questions)) throw new Error(problemsOf(value).map((p) => `${p.field}: ${p.message}`).join("; ") || out);
        return value;
      });
    },
    /** The profile the page holds now, as the engine read it: the same object Export writes. */
    currentProfile() {
      return checker ? checker.shownProfile() : {};
    },
  };

  formData()
    .then(async (data) => {
      const built = new Checker(data, engine);
      await built.build();
      checker = built;
      if (lastStep) checker.progress(lastStep);
      if (engine.loaded) checker.progress("ready");
      engine.ready.then(() => checker.progress("ready"), (err) => checker.failed(err));
      checker.update({ persist: false });
    })
    .catch(broken);
}

boot();
