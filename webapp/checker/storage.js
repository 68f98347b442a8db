// Where answers go: this browser's localStorage, an exported JSON file, and the share link's
// URL fragment (a fragment is never sent to any server).

import { el, isObject } from "./dom.js";

export const STORAGE_KEY = "karamay-checker:profile";
export const MAX_IMPORT_BYTES = 1 << 20;

/** Keep the answers (and the chosen programme) for this edition in this browser, with the
 * fingerprint of the rules that judged them (a later visit under other rules is told so). */
export function save(edition, rules, programme, profile) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ edition, rules, programme, profile }));
  } catch (err) { /* storage full or disabled: answers simply stay on this page */ }
}

/** What is kept in this browser, whichever edition it was given under (the page says so when it is
 * another): see `readSaved`. */
export function load() {
  let text = null;
  try {
    text = localStorage.getItem(STORAGE_KEY);
  } catch (err) { /* storage disabled: nothing kept */ }
  return readSaved(text);
}

/** Kept answers from their stored text (this tab's, or another tab's in a `storage` event): null when
 * none are kept, {unreadable: true} when they cannot be read (any JSON may be there), else
 * {edition, programme, profile, rules}. The engine judges the profile later. */
export function readSaved(text) {
  if (text === null || text === undefined) return null;
  let saved;
  try {
    saved = JSON.parse(text);
  } catch (err) {
    return { unreadable: true };
  }
  if (!isObject(saved) || typeof saved.edition !== "string") return { unreadable: true };
  if (!isObject(saved.profile)) return { unreadable: true };
  return {
    edition: saved.edition,
    programme: typeof saved.programme === "string" ? saved.programme : "",
    profile: saved.profile,
    rules: typeof saved.rules === "string" ? saved.rules : null,
  };
}

const MODE_KEY = "karamay-checker:mode";

/** The answering mode last chosen in this tab ("guided" or "form"), or null; it holds no answer. */
export function loadMode() {
  try { return sessionStorage.getItem(MODE_KEY); } catch (err) { return null; }
}

export function saveMode(mode) {
  try { sessionStorage.setItem(MODE_KEY, mode); } catch (err) { /* the mode is simply not remembered */ }
}

export function forget() {
  try { localStorage.removeItem(STORAGE_KEY); } catch (err) { /* nothing stored */ }
}

/** Download the profile as the JSON file the command line reads. */
export function download(profile, edition) {
  const blob = new Blob([JSON.stringify(profile, null, 2) + "\n"], { type: "application/json" });
  const link = el("a", { href: URL.createObjectURL(blob), download: `checker-profile-${edition}.json`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// ---------------------------------------------------------------- the share link

/** base64url (no padding) of a text's UTF-8 bytes. */
export function toBase64Url(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The text whose UTF-8 bytes a base64url string (padding optional) holds; throws when it is not one. */
export function fromBase64Url(code) {
  if (!/^[A-Za-z0-9_-]*$/.test(code)) throw new Error("not base64url");
  const binary = atob(code.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((code.length + 3) % 4));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The fragment that carries a profile: `edition=<year>&programme=<id>&profile=<base64url of its JSON>`,
 * and `from=<year>` when the answers were given under another edition (editions.js). */
export function shareFragment(profile, programme, edition, from) {
  const parts = [];
  if (edition) parts.push(`edition=${encodeURIComponent(edition)}`);
  if (from) parts.push(`from=${encodeURIComponent(from)}`);
  if (programme) parts.push(`programme=${encodeURIComponent(programme)}`);
  parts.push(`profile=${toBase64Url(JSON.stringify(profile))}`);
  return parts.join("&");
}

/** {edition, from, programme, profile} from a location hash (edition "" in a link made before links
 * named it), null when it carries no profile; throws when it cannot be read or holds no object of
 * answers (null, a list, a string). */
export function readFragment(hash) {
  const params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  if (!params.has("profile")) return null;
  const profile = JSON.parse(fromBase64Url(params.get("profile")));
  if (!isObject(profile)) throw new Error("no answers in the link");
  return { edition: params.get("edition") || "", from: params.get("from") || "", programme: params.get("programme") || "", profile };
}
