// Clause references open the clause's text in place, in a side panel, both languages, so reading
// the guide neither leaves the page nor restarts the engine. The text is read from the guide's own
// pages (same origin, cached like any page; the service worker keeps them offline) by DOMParser,
// which runs no script, and is copied as text only.

import { LANG, el } from "./dom.js";

const HEADING = /^H[1-6]$/;
// What a guide page adds around a clause's words: its permalink ("#", "¶") and the "checked by the self-check" mark.
const CHROME = ".headerlink, .clause-meta, .clause-anchor";

/** An element's text without the page's permalinks and marks. */
function words(node) {
  const copy = node.cloneNode(true);
  for (const extra of copy.querySelectorAll(CHROME)) extra.remove();
  return copy.textContent.trim();
}

/** The text of the clause with this id in a guide page: a heading's whole section, or the element. */
function clauseText(doc, anchor) {
  const node = doc.getElementById(anchor);
  if (!node) return "";
  if (!HEADING.test(node.tagName)) return words(node);
  const level = Number(node.tagName[1]);
  const parts = [words(node)];
  for (let next = node.nextElementSibling; next; next = next.nextElementSibling) {
    if (HEADING.test(next.tagName) && Number(next.tagName[1]) <= level) break;
    parts.push(words(next));
  }
  return parts.filter(Boolean).join("\n");
}

export class ClausePanel {
  constructor(form, texts) {
    this.form = form;
    this.texts = texts;
    this.pages = new Map(); // page URL -> Promise<Document>
  }

  build() {
    this.title = el("h2", { id: "ck-clause-title", tabindex: "-1", text: this.texts.t("clause") });
    this.body = el("div", { class: "ck-clause-body" });
    this.element = el("aside", { class: "ck-clause-panel", role: "dialog", "aria-labelledby": "ck-clause-title", hidden: true },
      el("div", { class: "ck-clause-head" }, this.title,
        el("button", { type: "button", class: "md-button ck-clause-close", "data-clause-close": "1", text: this.texts.t("close") })),
      this.body);
    this.element.addEventListener("click", (event) => {
      if (event.target.closest("[data-clause-close]")) this.close();
    });
    this.element.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
    return this.element;
  }

  /** The page-relative URL of a clause's page in the other language. */
  otherHref(ref) {
    const href = this.form.clauseHref(ref).split("#")[0]; // ../programmes/major/
    return LANG === "zh" ? "../en/" + href.slice(3) : "../" + href;
  }

  page(href) {
    const url = new URL(href, document.baseURI).href;
    if (!this.pages.has(url)) {
      this.pages.set(url, fetch(url, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.text() : ""))
        .then((html) => new DOMParser().parseFromString(html, "text/html"))
        .catch(() => null));
    }
    return this.pages.get(url);
  }

  /** Show these clauses (references `page#anchor`) beside the questions; focus comes back on close. */
  async open(refs, opener) {
    this.opener = opener;
    this.element.hidden = false;
    this.body.replaceChildren(el("p", { text: "…" }));
    this.title.focus();
    const sections = await Promise.all(refs.map(async (ref) => {
      const anchor = String(ref).split("#")[1] || "";
      const [own, other] = await Promise.all([this.page(this.form.clauseHref(ref)), this.page(this.otherHref(ref))]);
      const ownText = own ? clauseText(own, anchor) : "";
      const otherText = other ? clauseText(other, anchor) : "";
      return el("section", { class: "ck-clause-text", "data-clause": ref },
        el("h3", {}, el("a", { href: this.form.clauseHref(ref), text: this.form.clauseName(ref) })),
        el("p", { lang: LANG === "zh" ? "zh" : "en", text: ownText }),
        otherText ? el("details", {}, el("summary", { text: this.texts.t("clause_other_language") }),
          el("p", { lang: LANG === "zh" ? "en" : "zh", text: otherText })) : null);
    }));
    this.body.replaceChildren(...sections);
  }

  close() {
    this.element.hidden = true;
    this.opener?.focus();
  }
}
