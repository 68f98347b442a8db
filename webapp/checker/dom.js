// Small helpers shared by the checker's modules: the page language, element building, templates.
// User text only ever goes in textContent, never into markup.

export const LANG = (document.documentElement.lang || "zh").toLowerCase().startsWith("en") ? "en" : "zh";

/** Sentences one after another: Chinese ones with no space between them (after “。”), others with one. */
export const sentences = (texts) => texts.join(LANG === "zh" ? "" : " ");

/** An absolute URL for a page-relative one (the site may live under any sub-path). */
export const abs = (rel) => new URL(rel, document.baseURI).href;

/** An element with attributes (class, text, or any attribute) and children (nodes or text). */
export function el(tag, attrs = {}, ...children) {
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

/** Whether a JSON value is an object (not null, not an array). */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A promise resolved in a later task: the browser can paint and handle input in between. */
export function yieldToBrowser() {
  if (globalThis.scheduler && typeof scheduler.yield === "function") return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A template with {name} slots filled from values; unknown slots stay as they are. A plural template
 * ({count, one, other}) takes the form that the number in its count slot calls for. */
export function fmt(template, values) {
  const text = typeof template === "string" ? template : template[values[template.count] === 1 ? "one" : "other"];
  return text.replace(/\{(\w+)\}/g, (_, key) => (key in values ? String(values[key]) : `{${key}}`));
}

/** A DOM id for a field path (`project.achievements[0].kind` -> `f-project-achievements-0-kind`). */
export const idOf = (path) => "f-" + path.replace(/[^A-Za-z0-9_-]+/g, "-");

/** The interface strings and bilingual texts of the form data, in the page language. */
export class Texts {
  constructor(data) {
    this.ui = Object.fromEntries(Object.entries(data.ui).map(([key, text]) => [key, text[LANG]]));
  }

  /** An interface string, with its {slots} filled. */
  t(key, values) {
    const text = this.ui[key] ?? key;
    return values ? fmt(text, values) : text;
  }

  /** A {zh, en} text in the page language (or the other one when it is missing), or a plain value. */
  text(value) {
    if (value && typeof value === "object" && (value.zh || value.en)) return value[LANG] || value.zh || value.en;
    return value === null || value === undefined ? "" : String(value);
  }
}
