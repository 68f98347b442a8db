// The site's editions on the checker page. A share link names the edition its answers were given under
// (storage.js), and opens that edition's checker when the page is another's; answers given under
// another edition (kept in this browser, or brought by the current rules' offer) are checked here with
// the changes since then that concern them; an older edition's checker offers the current rules for the
// same answers. The page names every edition's checker (#checker's data-editions: relative URLs), its
// own edition (data-edition) and the one a link naming none was made under (data-unmarked).

import { el } from "./dom.js";
import { readFragment, shareFragment } from "./storage.js";

/** {edition: URL of its checker} of the site's editions. */
function checkers(root) {
  try {
    return JSON.parse(root.dataset.editions || "{}");
  } catch (err) {
    return {};
  }
}

/** The address of an edition's checker holding these answers. */
function checkerWith(url, profile, programme, edition, from) {
  const target = new URL(url, location.href);
  target.search = programme ? `?programme=${encodeURIComponent(programme)}` : "";
  target.hash = shareFragment(profile, programme, edition, from);
  return target.href;
}

/** Open the checker of the edition a share link was made under, when that is another edition of this
 * site (the address keeps its query and its answers); true when leaving this page. */
export function followLink(root) {
  let shared;
  try {
    shared = readFragment(location.hash);
  } catch (err) {
    return false; // unreadable: this page says so
  }
  const edition = shared && (shared.edition || root.dataset.unmarked);
  const url = shared && checkers(root)[edition];
  if (!url || edition === root.dataset.edition) return false;
  const target = new URL(url, location.href);
  target.search = location.search;
  target.hash = location.hash;
  location.replace(target.href);
  return true;
}

/** The field paths a profile answers, as the rules name them (`project.achievements[].kind`). */
function answered(value, prefix = "", paths = new Set()) {
  for (const [key, answer] of Object.entries(value || {})) {
    if (answer === null || answer === undefined) continue;
    const path = prefix + key;
    if (Array.isArray(answer)) {
      paths.add(path);
      for (const item of answer) answered(item, `${path}[].`, paths);
    } else if (typeof answer === "object") {
      answered(answer, `${path}.`, paths);
    } else {
      paths.add(path);
    }
  }
  return paths;
}

/** One change in words: a condition added, dropped or changed, or a funding range. */
function describe(change, data, texts) {
  const values = { old: texts.text(change.old), new: texts.text(change.new) };
  if (change.status === "funding") {
    const programme = data.programmes.find((p) => p.id === change.programmes[0]);
    return texts.t("edition_rule_funding", { ...values, programme: programme ? texts.text(programme.title) : "" });
  }
  return texts.t(`edition_rule_${change.status}`, values);
}

/** The note above answers given under edition `from` and checked here: the changes since then that
 * concern them (those reading an answered question, of the chosen programme), and the way back to the
 * result under `from`'s rules. Null when the answers are this edition's. */
export function carriedNote({ data, texts, form }, from, profile, programme) {
  if (!from || from === data.edition) return null;
  const note = el("div", { class: "ck-edition-note", role: "note" },
    el("p", { text: texts.t("edition_carried", { from, edition: data.edition }) }));
  const since = (data.changes_since || {})[from];
  if (since) {
    const fields = answered(profile);
    const mine = since.filter((change) => change.fields.some((path) => fields.has(path))
      && (!programme || change.programmes.includes(programme)));
    if (mine.length) {
      note.append(el("p", { text: texts.t("edition_changes", { from }) }),
        el("ul", {}, mine.map((change) => el("li", { "data-status": change.status }, describe(change, data, texts),
          change.clause ? [" ", form.clauseLink(change.clause)] : null))));
    } else {
      note.append(el("p", { text: texts.t("edition_no_changes", { from }) }));
    }
  }
  const old = checkers(document.getElementById("checker"))[from];
  if (old) {
    note.append(el("p", {}, el("a", { class: "ck-edition-old", href: checkerWith(old, profile, programme, from), text: texts.t("edition_see_old", { from }) })));
  }
  return note;
}

/** An older edition's offer of the current rules (`.ck-newer`) carries the answers given here; its
 * address is made as it is followed, since the answers change as the visitor answers. */
export function bindOffer(current) {
  const link = document.querySelector(".ck-newer a[data-edition]");
  if (!link) return;
  const update = () => {
    const { profile, programme } = current();
    link.href = checkerWith(link.getAttribute("href"), profile, programme, link.dataset.edition, link.dataset.from);
  };
  for (const type of ["pointerdown", "focus", "click"]) link.addEventListener(type, update);
}
