// The result panel: a programme x verdict matrix, then each programme's verdict, funding and
// reasons (what stands in the way first), named by the questions' wording.

import { el } from "./dom.js";
import { qrFigure } from "./qr.js";

const VERDICT_ICONS = { eligible: "✔", ineligible: "✘", incomplete: "?", review: "⚑" };
const STATUS_ICONS = { pass: "✔", fail: "✘", unknown: "?", review: "⚑" };
// What stands in the way comes first: failed, then needing review, then unanswered, then passed.
const STATUS_RANK = { fail: 0, review: 1, unknown: 2, pass: 3 };

/** A verdict's words as phrases that never break inside (checker.css): "信息不全，" "尚无结论", with
    the text between them (a space, or nothing) where a line may break. */
function phrases(text) {
  return text.split(/(?<=[，；：,;:])(\s*)/).map((part, i) => (i % 2 ? part : el("span", { class: "ck-phrase", text: part })));
}

export class Results {
  constructor(data, texts, form) {
    this.data = data;
    this.texts = texts;
    this.form = form;
  }

  t(key, values) { return this.texts.t(key, values); }
  text(value) { return this.texts.text(value); }

  /** The results section; its body is replaced on every render. */
  build() {
    this.printLine = el("p", { class: "ck-print-line" });
    this.printQr = el("a", { class: "ck-print-qr" });
    this.printMeta = el("div", { class: "ck-print-meta" }, this.printLine, this.printQr);
    this.printAnswers = el("div", { class: "ck-print-answers" });
    this.body = el("div", { class: "ck-results-body" }, el("p", { class: "ck-wait", text: this.t("results_wait") }));
    this.element = el("section", { class: "ck-results", "aria-labelledby": "ck-results-title" },
      el("h2", { id: "ck-results-title", text: this.t("results") }), this.printMeta, this.printAnswers, this.body);
    return this.element;
  }

  /** The printed report's first line: the edition, the date and the checker's address (the answers
      are in the QR code, not in a line of base64 no one types). */
  printLineText(link) {
    const page = new URL(link);
    page.hash = "";
    return this.t("print_meta", { edition: this.data.edition, date: this.lastResult?.judged_on?.text || "", url: page.href });
  }

  /** The printed report: edition, date and address, the share link as a QR code; the answers by
      question (each as [question, answer, a list question's items or null]); every reason
      unfolded, each clause with its absolute address. */
  updatePrintMeta(link = location.href, answers = []) {
    for (const details of this.body.querySelectorAll("details")) details.open = true;
    this.printLine.textContent = this.printLineText(link);
    this.printQr.href = link;
    this.printQr.replaceChildren(qrFigure(link, this.t("qr_print")));
    for (const a of this.element.querySelectorAll("a.ck-clause")) a.dataset.abs = a.href;
    this.printAnswers.replaceChildren(el("h3", { text: this.t("answers_given") }),
      answers.length ? el("dl", { class: "ck-print-dl" }, answers.map(({ question, text, items }) =>
        el("div", { class: items ? "ck-print-list" : null }, el("dt", { text: question }), el("dd", { text }),
          items ? el("dd", { class: "ck-print-items" }, items) : null)))
        : el("p", { text: this.t("no_answers") }));
    const open = this.openQuestions();
    if (open.length) {
      this.printAnswers.append(el("h3", { text: this.t("heading_missing") }),
        el("ul", { class: "ck-print-open" }, open.map((label) => el("li", { text: label }))));
    }
  }

  /** The questions any programme not yet ruled out still needs, each once (the printout lists them
      with the answers, not again under every programme). */
  openQuestions() {
    const labels = new Set();
    for (const res of Object.values(this.lastResult?.results || {})) {
      if (res.verdict === "ineligible") continue;
      for (const path of res.missing || []) labels.add(this.form.fieldLabel(path));
    }
    return [...labels];
  }

  /** The answers cannot be judged yet: say so, and keep the last result dimmed below. */
  invalid(count) {
    this.element.classList.add("ck-stale");
    let note = this.body.querySelector(":scope > .ck-invalid");
    if (!note) {
      note = el("p", { class: "ck-invalid ck-bad", role: "note" });
      this.body.prepend(note);
    }
    note.textContent = this.t("fix_answers", { n: count });
  }

  render(result, profile = {}) {
    this.lastResult = result;
    this.element.classList.remove("ck-stale");
    this.printLine.textContent = this.printLineText(location.href);
    const ids = Object.keys(result.results || {});
    const order = this.data.programmes.map((p) => p.id).filter((id) => ids.includes(id));
    const body = [];
    if (order.length > 1) body.push(this.fitting(result, order), this.matrix(result, order));
    for (const id of order) body.push(this.programmeResult(id, result.results[id], order.length > 1, profile));
    this.body.replaceChildren(...body);
    this.body.classList.toggle("ck-many", order.length > 1);
  }

  verdictBadge(verdict) {
    return el("span", { class: `ck-verdict ck-verdict-${verdict}`, "data-verdict": verdict },
      el("span", { class: "ck-icon", "aria-hidden": "true", text: VERDICT_ICONS[verdict] || "•" }),
      el("span", { class: "ck-verdict-text" }, phrases(this.t("verdict_" + verdict))));
  }

  statusBadge(status) {
    return el("span", { class: `ck-status-badge ck-s-${status}`, "data-status": status },
      el("span", { class: "ck-icon", "aria-hidden": "true", text: STATUS_ICONS[status] || "•" }),
      el("span", { text: this.t("status_" + status) }));
  }

  programmeInfo(id) {
    return this.data.programmes.find((p) => p.id === id) || { id, title: id, url: `programmes/${id}/` };
  }

  /** "Which programme fits me?": the programmes these answers admit (eligible, or for review), each with
   * the engine's verdict in words, which names the request range when no request was given. */
  fitting(result, order) {
    const fits = order.filter((id) => ["eligible", "review"].includes(result.results[id].verdict));
    return el("div", { class: "ck-fits" }, el("h3", { text: this.t("fits_heading") }),
      fits.length ? el("ul", {}, fits.map((id) => el("li", { "data-programme": id },
        el("a", { href: `#ck-result-${id}`, text: this.text(this.programmeInfo(id).title) }), this.t("colon"),
        result.results[id].verdict_text)))
        : el("p", { text: this.t("fits_none") }));
  }

  matrix(result, order) {
    const rows = order.map((id) => {
      const info = this.programmeInfo(id);
      const res = result.results[id];
      return el("tr", { "data-programme": id },
        el("th", { scope: "row" }, el("a", { href: `#ck-result-${id}`, text: this.text(info.title) })),
        el("td", {}, this.verdictBadge(res.verdict)),
        el("td", {}, this.fundingText(res.funding, info), this.requestHint(res)));
    });
    // On a narrow screen the table scrolls sideways in its own box; the page does not.
    return el("div", { class: "ck-matrix-scroll" }, el("table", { class: "ck-matrix" },
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: this.t("matrix_programme") }),
        el("th", { scope: "col", text: this.t("matrix_verdict") }),
        el("th", { scope: "col", text: this.t("matrix_funding") }))),
      el("tbody", {}, rows)));
  }

  /** What may be requested: the range when no request was given, else the largest admissible request. */
  requestHint(res) {
    const range = res.verdict === "ineligible" ? null : res.funding?.request_range;
    if (range) return el("span", { class: "ck-matrix-max", "data-hint": "request_range", text: ` · ${this.t("request_range_short")}${this.t("colon")}${range.text}` });
    if (typeof res.funding?.max_request !== "number" || res.funding?.request_range) return null;
    return el("span", { class: "ck-matrix-max", "data-hint": "max_request", text: ` · ${this.t("max_request_short")}${this.t("colon")}${res.funding.max_request_text}` });
  }

  fundingText(funding, info) {
    if (funding && typeof funding === "object") {
      const label = this.text(funding.label);
      const form = this.text(funding.form_label || funding.form_text || "");
      if (label) return form && !label.includes(form) ? `${label} · ${form}` : label;
    }
    return this.text(info.funding);
  }

  /** The questions a programme still needs, each linked to its question when it is on the page. */
  missingList(res) {
    return el("ul", {}, res.missing.map((path) => {
      const wrap = this.form.wrapFor(path);
      const label = this.form.fieldLabel(path);
      return el("li", { "data-path": path }, wrap && !wrap.hidden
        ? el("a", { href: "#" + (wrap.querySelector("[id]")?.id || ""), text: label })
        : label);
    }));
  }

  /** The questions a failing rule read, by their wording, each leading to its question. */
  questionsOf(rule) {
    const paths = [...new Set((rule.fields || []).map((path) => String(path).replace(/\[\d+\].*$/, "")))];
    if (!paths.length) return null;
    return el("span", { class: "ck-rule-fields" }, el("span", { text: this.t("rule_questions") + this.t("colon") }),
      paths.map((path, i) => {
        const wrap = this.form.wrapFor(path);
        const label = this.form.fieldLabel(path);
        return [i ? this.t("list_separator") : "", wrap ? el("a", { href: "#" + (wrap.querySelector("[id]")?.id || ""), "data-path": path, text: label }) : label];
      }));
  }

  /** What this applicant does next, in order, each step with its clause (folded when all programmes are shown). */
  nextSteps(steps, inMatrix) {
    return el("details", { class: "ck-next", open: inMatrix ? null : true },
      el("summary", { text: this.t("heading_next_steps") }),
      el("ol", {}, steps.map((step) => el("li", { "data-step": step.id },
        el("span", { text: step.text }), step.clause ? [" ", this.form.clauseLink(step.clause)] : null))));
  }

  programmeResult(id, res, inMatrix, profile) {
    const info = this.programmeInfo(id);
    const section = el("section", { class: `ck-programme ck-programme-${res.verdict}`, id: `ck-result-${id}`, "data-programme": id, "data-verdict": res.verdict });
    section.append(el("h3", { class: "ck-programme-title" },
      el("a", { href: "../" + info.url, text: this.text(info.title) }), " ", this.verdictBadge(res.verdict)));
    if (res.funding?.request_range && res.verdict !== "ineligible") {
      section.append(el("p", { class: "ck-verdict-line", "data-hint": "request_range", text: res.verdict_text }));
    }

    section.append(el("div", { class: "ck-funding" }, el("strong", { text: this.t("funding") + this.t("colon") }), this.fundingText(res.funding, info)));
    const maxRequest = res.funding && res.funding.max_request;
    // A null largest request means "none fits" only once the total investment is known.
    const totalKnown = typeof profile?.project?.total_investment === "number";
    if (typeof maxRequest === "number" || (maxRequest === null && totalKnown && res.verdict === "ineligible")) {
      section.append(el("p", { class: "ck-hint", "data-hint": "max_request" },
        maxRequest === null ? this.t("no_max_request") : `${res.funding.max_request_label}${this.t("colon")}${res.funding.max_request_text}`));
    }

    const ordered = (res.rules || []).map((rule, i) => [rule, i])
      .sort((a, b) => (STATUS_RANK[a[0].status] ?? 4) - (STATUS_RANK[b[0].status] ?? 4) || a[1] - b[1]).map(([rule]) => rule);
    const rules = el("ul", { class: "ck-rules" }, ordered.map((rule) =>
      el("li", { class: `ck-rule ck-rule-${rule.status}`, "data-rule": rule.id, "data-status": rule.status },
        this.statusBadge(rule.status), " ",
        el("span", { class: "ck-rule-message", text: this.text(rule.message) }), " ",
        rule.clause ? this.form.clauseLink(rule.clause) : null,
        rule.status === "fail" ? this.questionsOf(rule) : null)));
    const details = el("details", { class: "ck-details", open: !inMatrix || res.verdict !== "eligible" ? true : null },
      el("summary", { text: this.t(inMatrix ? "details" : "rules") }), rules);

    const missing = res.missing && res.missing.length ? res.missing : null;
    if (missing && res.verdict !== "ineligible") {
      section.append(el("div", { class: "ck-missing" }, el("p", { text: this.t("missing") }), this.missingList(res)));
    }
    section.append(details);
    if (missing && res.verdict === "ineligible") {
      // A programme already ruled out needs no more answers: the list is folded, after its reasons.
      section.append(el("details", { class: "ck-missing ck-missing-folded" },
        el("summary", { text: this.t("missing_anyway", { n: missing.length }) }), this.missingList(res)));
    }

    if (res.next_steps && res.next_steps.length) section.append(this.nextSteps(res.next_steps, inMatrix));
    if (res.notes && res.notes.length) {
      details.append(el("div", { class: "ck-notes" }, el("h4", { text: this.t("notes") }),
        el("ul", {}, res.notes.map((note) => el("li", { "data-note": note.id },
          el("span", { text: this.text(note.message) }), note.clause ? [" ", this.form.clauseLink(note.clause)] : null)))));
    }
    if (res.unmodelled && res.unmodelled.length) {
      details.append(el("div", { class: "ck-unmodelled" }, el("h4", { text: this.t("unmodelled") }),
        el("ul", {}, res.unmodelled.map((item) => el("li", {},
          el("span", { class: "ck-unmodelled-label", text: this.text(item.label) }),
          item.reason ? el("span", { class: "ck-unmodelled-reason", text: " — " + this.text(item.reason) }) : null,
          item.clause ? [" ", this.form.clauseLink(item.clause)] : null)))));
    }
    return section;
  }
}
