// Guided mode: one question at a time (or the few that one rule reads together), chosen by the
// engine's next_questions, so a question whose answers cannot change any verdict is never asked.
// It shows the same controls as the one-page form (questions.js), so both hold the same answers.
// "I don't know" keeps an answer unknown and tells the engine not to ask it again; Back returns
// to the previous step; at the end a "check your answers" page offers a change link per answer.

import { el } from "./dom.js";
import { get } from "./questions.js";

/** The question (a top-level field path) that asks for a path: a list item's field is its list. */
export const questionOf = (path) => String(path).replace(/\[\d+\].*$/, "");

export class Guided {
  constructor({ form, texts, askEngine, evaluate, answers, onFinish }) {
    this.form = form;
    this.texts = texts;
    this.askEngine = askEngine; // (profile, programme, skipped) -> Promise<{questions, paths, remaining}>
    this.evaluate = evaluate; // () -> Promise<{result, problems}>
    this.answers = answers; // () -> the profile as the engine read it, to list the answers
    this.onFinish = onFinish; // (programme ruled out?) -> void
    this.skipped = new Set();
    this.history = [];
    this.step = null; // ["programme"] | [question paths] | "summary"
    this.enginePaths = []; // the engine's paths the current step asks
  }

  t(key, values) { return this.texts.t(key, values); }

  /** The step's chrome around the form: progress, navigation and the "check your answers" page. */
  build() {
    this.progress = el("p", { class: "ck-g-progress", "aria-live": "polite" });
    this.stopped = el("div", { class: "ck-g-stopped", hidden: true });
    this.summary = el("div", { class: "ck-g-summary", hidden: true });
    this.backButton = el("button", { type: "button", class: "md-button ck-g-back", "data-guided": "back", text: this.t("back") });
    this.skipButton = el("button", { type: "button", class: "md-button ck-g-skip", "data-guided": "skip", text: this.t("dont_know") });
    this.nextButton = el("button", { type: "button", class: "md-button md-button--primary ck-g-next", "data-guided": "next", text: this.t("continue") });
    this.nav = el("div", { class: "ck-g-nav" }, this.backButton, this.skipButton, this.nextButton);
    this.start = el("p", { class: "ck-g-start", text: this.t("guided_start") });
    for (const node of [this.nav, this.summary, this.stopped]) node.addEventListener("click", (event) => this.clicked(event));
    // Enter in a question continues, as on a one-question page (the form itself never submits).
    this.form.element.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.isComposing || !this.form.element.classList.contains("ck-mode-guided")) return;
      if (!event.target.matches("[data-current] input:not([type=file]), [data-current] select")) return;
      event.preventDefault();
      this.advance(false);
    });
    return { top: [this.progress, this.start], bottom: [this.stopped, this.summary, this.nav] };
  }

  clicked(event) {
    const button = event.target.closest("[data-guided]");
    if (!button) return;
    const action = button.dataset.guided;
    if (action === "next") this.advance(false);
    else if (action === "skip") this.advance(true);
    else if (action === "back") this.back();
    else if (action === "change") this.change(button.dataset.path);
    else if (action === "remaining") this.onFinish("remaining");
  }

  /** Ask one question again (a change link, or a question named in the result). */
  change(path) {
    // A follow-up question waiting for its answer (the type of a public institution, before the
    // kind of unit is known) cannot be answered yet: the question it follows is asked instead.
    const wrap = this.form.wrapFor(path);
    if (wrap?.hidden && wrap.dataset.askField) path = wrap.dataset.askField;
    this.enginePaths = [path];
    this.show([path], { from: "change" });
  }

  /** Begin (again) at the programme choice. */
  restart(focus = true) {
    this.skipped.clear();
    this.history = [];
    this.step = null;
    this.show(["programme"], { focus });
  }

  /** Show one step: its questions only, with focus on the first control. */
  show(step, { from = null, focus = true, remaining = null } = {}) {
    if (from !== null && this.step) this.history.push(this.step);
    this.step = step;
    const summary = step === "summary";
    const paths = summary ? [] : step;
    for (const wrap of this.form.element.querySelectorAll(".ck-field")) wrap.removeAttribute("data-current");
    const programmeChoice = this.form.element.querySelector(".ck-programme-choice");
    if (paths.includes("programme")) programmeChoice.dataset.current = "1";
    for (const path of paths) this.form.wrapFor(path)?.setAttribute("data-current", "1");
    for (const group of this.form.element.querySelectorAll(".ck-group")) {
      group.toggleAttribute("data-current", Boolean(group.querySelector(":scope > .ck-field[data-current]")));
    }
    this.start.hidden = !paths.includes("programme");
    this.summary.hidden = !summary;
    this.skipButton.hidden = summary || paths.includes("programme");
    this.nextButton.hidden = summary;
    this.backButton.hidden = this.history.length === 0;
    if (summary) this.renderSummary();
    else this.stopped.hidden = true;
    this.updateProgress(remaining);
    if (summary && remaining === null) this.refreshRemaining();
    if (focus) {
      const target = summary ? this.summary.querySelector("h3") : this.form.element.querySelector("[data-current] select, [data-current] input");
      target?.focus({ preventScroll: false });
    }
  }

  /** Continue (or "I don't know"): ask the engine what can still change a verdict, and show it. */
  async advance(dontKnow) {
    // Busy until the next step is shown: assistive technology (and a test) waits for the step.
    this.form.element.setAttribute("aria-busy", "true");
    try {
      await this.nextStep(dontKnow);
    } finally {
      this.form.element.removeAttribute("aria-busy");
    }
  }

  /** Keep the step's answers (or clear them: "I don't know"), then show what the engine asks next. */
  async nextStep(dontKnow) {
    const step = this.step;
    if (Array.isArray(step) && !step.includes("programme")) {
      if (dontKnow) for (const path of step) this.clear(path);
      const profile = this.form.readProfile();
      // The engine's own paths this step stood for (a list's item fields included): an unanswered
      // one, left by "I don't know" or by "Continue", is not asked again.
      for (const path of this.enginePaths) {
        if (get(profile, path) === undefined) this.skipped.add(path);
        else this.skipped.delete(path);
      }
    }
    const { problems } = await this.evaluate();
    if (problems.length) return; // shown beside their questions; the step stays
    let next;
    try {
      next = await this.askEngine(this.form.judgedProfile(), this.form.programme.value || null, [...this.skipped]);
    } catch (err) {
      return;
    }
    this.enginePaths = next.paths;
    this.show(next.questions.length ? next.questions : "summary", { from: "step", remaining: next.remaining });
  }

  back() {
    const previous = this.history.pop();
    if (!previous) return;
    this.step = null;
    if (Array.isArray(previous)) {
      for (const path of [...this.skipped]) if (previous.includes(questionOf(path))) this.skipped.delete(path);
      this.enginePaths = previous.filter((path) => path !== "programme");
    }
    this.show(previous);
  }

  clear(path) {
    const wrap = this.form.wrapFor(path);
    if (!wrap) return;
    if (wrap.dataset.type === "list") this.form.writeList(wrap, undefined);
    else this.form.setField(wrap, undefined);
    wrap.dispatchEvent(new Event("change", { bubbles: true }));
  }

  /** Honest progress: how many questions are answered (here or restored from a link), how many could
   * still change a verdict now, and "nothing else can" only once no verdict waits for an answer. */
  updateProgress(remaining) {
    const profile = this.form.judgedProfile();
    const answered = this.form.topFields().filter((wrap) => get(profile, wrap.dataset.path) !== undefined).length;
    const waiting = Object.values(this.lastResult?.results || {}).some((res) => res.verdict === "incomplete");
    this.progress.textContent = remaining === 0 ? this.t(waiting ? "progress_unknown" : "progress_done", { n: answered })
      : remaining ? this.t("progress_answered", { n: answered, m: remaining }) : this.t("progress_count", { n: answered });
  }

  /** On the summary page, the engine's count of the questions that can still change a verdict. */
  async refreshRemaining() {
    let next;
    try {
      next = await this.askEngine(this.form.judgedProfile(), this.form.programme.value || null, [...this.skipped]);
    } catch (err) {
      return; // the result says what is wrong
    }
    if (this.step === "summary") this.updateProgress(next.remaining);
  }

  /** The "check your answers" page: every question answered or skipped, with a change link. */
  renderSummary() {
    const profile = this.answers();
    this.summaryAnswers = JSON.stringify(this.lastResult?.answers || []);
    const rows = [];
    for (const wrap of this.form.topFields()) {
      const path = wrap.dataset.path;
      const skipped = get(profile, path) === undefined;
      // An answer as the last result words it; one it did not judge (the request before a
      // programme is chosen) is not listed.
      const given = skipped ? null : this.form.givenAnswer(this.lastResult, path);
      if (skipped ? !this.skipped.has(path) : !given) continue;
      rows.push(el("div", { class: "ck-g-row", "data-path": path },
        el("dt", { text: this.form.fieldLabel(path) }),
        el("dd", {}, el("span", { class: "ck-g-answer", text: skipped ? this.t("skipped_answer") : given.text }), " ",
          skipped ? null : given.items,
          el("button", { type: "button", class: "ck-g-change", "data-guided": "change", "data-path": path },
            this.t("change"), el("span", { class: "ck-visually-hidden", text: " " + this.form.fieldLabel(path) })))));
    }
    const programme = this.form.programme.value;
    const title = programme ? this.form.programme.selectedOptions[0].textContent : this.t("all_programmes");
    this.summary.replaceChildren(
      el("h3", { tabindex: "-1", text: this.t("check_answers") }),
      el("p", { class: "ck-g-programme" }, el("strong", { text: this.t("programme_choice") + " " }), title, " ",
        el("button", { type: "button", class: "ck-g-change", "data-guided": "change", "data-path": "programme", text: this.t("change") })),
      rows.length ? el("dl", { class: "ck-g-answers" }, rows) : el("p", { text: this.t("no_answers") }));
  }

  /** After each result: a ruled-out chosen programme stops the questions and says why. */
  resultShown(result) {
    this.lastResult = result;
    if (this.step === "summary") {
      this.refreshRemaining();
      // A result that words the answers differently (it came after the page was shown) is shown.
      if (JSON.stringify(result.answers || []) !== this.summaryAnswers) this.renderSummary();
    }
    const programme = this.form.programme.value;
    const res = programme && result.results && result.results[programme];
    const out = Boolean(res && res.verdict === "ineligible");
    this.stopped.hidden = !out || this.step === null || this.step.includes?.("programme");
    if (!out) return;
    const fails = (res.rules || []).filter((rule) => rule.status === "fail");
    this.stopped.replaceChildren(
      el("p", { class: "ck-bad", text: this.t("stopped", { programme: this.texts.text(res.title) || programme }) }),
      el("ul", {}, fails.map((rule) => el("li", { text: this.texts.text(rule.message) }))),
      el("button", { type: "button", class: "md-button", "data-guided": "remaining", text: this.t("see_remaining") }));
  }
}
