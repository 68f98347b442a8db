// The eligibility self-check page: wires the questions (questions.js), the results (results.js), the engine
// in its worker (engine.js) and where answers are kept (storage.js), and offers window.checker
// for automation. Loaded as a module from a content-hashed URL, as are the modules it imports.

import { LANG, Texts, abs, el } from "./dom.js";
import { Engine } from "./engine.js";
import { Form } from "./questions.js";
import { Results } from "./results.js";
import * as storage from "./storage.js";

const root = document.getElementById("checker");
const DEBOUNCE_MS = 150;

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
    this.timer = null;
    this.sequence = 0;
  }

  t(key, values) { return this.texts.t(key, values); }

  build() {
    const params = new URLSearchParams(location.search);
    const known = this.data.programmes.map((p) => p.id);
    const asked = params.get("programme");

    this.status = el("div", { class: "ck-status", role: "status", "aria-live": "polite" },
      el("span", { class: "ck-status-text", text: this.t("loading") }),
      el("progress", { class: "ck-progress", max: "3", value: "0", "aria-hidden": "true" }));
    this.message = el("p", { class: "ck-message", role: "alert" });
    this.fileInput = el("input", { type: "file", accept: "application/json,.json", id: "ck-import-file", class: "ck-visually-hidden", tabindex: "-1", "aria-label": this.t("import") });
    this.toolbar = el("div", { class: "ck-toolbar" },
      el("button", { type: "button", class: "md-button", "data-action": "export", text: this.t("export") }),
      el("button", { type: "button", class: "md-button ck-import", "data-action": "import", text: this.t("import") }),
      this.fileInput,
      el("button", { type: "button", class: "md-button", "data-action": "print", text: this.t("print") }),
      el("button", { type: "button", class: "md-button ck-clear", "data-action": "clear", text: this.t("clear") }),
      el("span", { class: "ck-stored", text: this.t("stored") }));

    const form = this.form.build();
    root.replaceChildren(
      el("h2", { id: "ck-form-title", class: "ck-visually-hidden", text: this.t("questions") }),
      this.status, this.toolbar, this.message,
      // Wide screens: questions on the left, results beside them and always in view (checker.css).
      el("div", { class: "ck-layout" }, form, this.results.build()));
    root.classList.add("ck-built");

    this.form.programme.value = known.includes(asked) ? asked : "";
    const saved = storage.load(this.data.edition);
    if (saved) {
      this.form.writeProfile(saved.profile);
      if (!known.includes(asked) && known.includes(saved.programme)) this.form.programme.value = saved.programme;
    }
    this.form.applyProgramme();
    this.bind();
  }

  bind() {
    this.form.element.addEventListener("input", (event) => this.changed(event));
    this.form.element.addEventListener("change", (event) => this.changed(event));
    this.form.element.addEventListener("submit", (event) => event.preventDefault());
    this.toolbar.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "export") storage.download(this.profile(), this.data.edition);
      else if (action === "print") { this.results.updatePrintMeta(); window.print(); }
      else if (action === "clear") this.clear();
      else if (action === "import") this.fileInput.click();
    });
    this.fileInput.addEventListener("change", () => this.importFile());
    window.addEventListener("beforeprint", () => this.results.updatePrintMeta());
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

  /** The profile the page holds now (what Export writes). */
  profile() {
    return this.form.readProfile();
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
    if (persist) storage.save(this.data.edition, this.form.programme.value, profile);
    const sequence = ++this.sequence;
    let result;
    try {
      result = JSON.parse(await this.engine.evaluateText(JSON.stringify(profile), this.programme(), LANG));
    } catch (err) {
      return;
    }
    if (sequence !== this.sequence) return;
    const problems = problemsOf(result);
    const unplaced = this.form.showProblems(problems);
    if (problems.length) {
      this.results.invalid(problems.length);
      if (unplaced.length) this.say(unplaced.map((p) => `${p.field}: ${p.message}`).join(" "), true);
      return;
    }
    this.results.render(result, profile);
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
    if (problems.length) return reject(problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join("; "));
    this.form.writeProfile(profile);
    this.form.applyProgramme();
    this.say(this.t("imported"));
    this.update();
  }

  clear() {
    storage.forget();
    this.form.writeProfile({});
    this.form.applyProgramme();
    this.form.showProblems([]);
    this.say(this.t("cleared"));
    this.update({ persist: false });
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
    /** Promise of the field paths whose answer can still change a verdict, in asking order. */
    nextQuestions(profile, programme = null, skipped = []) {
      const text = typeof profile === "string" ? profile : JSON.stringify(profile);
      return engine.nextQuestionsText(text, programme, skipped).then((out) => {
        const value = JSON.parse(out);
        if (!Array.isArray(value)) throw new Error(problemsOf(value).map((p) => `${p.field}: ${p.message}`).join("; ") || out);
        return value;
      });
    },
    /** The profile the page holds now: the same object Export writes. */
    currentProfile() {
      return checker ? checker.profile() : {};
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
