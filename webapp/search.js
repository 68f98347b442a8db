// The site's search worker, in place of Material's (Material lets a site bring its own: the page talks
// to it with the same four messages). It searches only the page's language (?lang= on this script's
// URL), one result per clause, pointing at the clause's anchor with the clause's words as excerpt.
//
// The index (sitegen/search.py) holds each entry's words, Chinese cut by jieba's search mode. A query
// is cut the same way as far as a browser can: with the index's own token pattern, and each run of
// Chinese characters split into the longest words the index knows (专利, 高新技术, 企业). Every word of
// the query must occur in an entry (all words, like a search engine, so a stray character does not
// bring up unrelated clauses); a Chinese word also matches inside a longer indexed word, and a Latin
// word matches the words it begins (fund -> funds, funding).
//
// Material hands over only its config (sitegen/search.py): this worker fetches its language's entries
// itself, at the first query that has a word, so a page load never downloads nor parses them.
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3; // Material's message types
const PARAMS = new URL(self.location.href).searchParams;
const LANG = PARAMS.get("lang") || "zh";
// An edition served under its year (?edition=2022) searches its own entries (sitegen/search.py).
const ENTRIES = PARAMS.get("edition") ? `${PARAMS.get("edition")}.${LANG}` : LANG;
const HAN = /^[\u3400-\u4dbf\u4e00-\u9fff]+$/;
const NUMBER = /^[0-9]/;
const TITLE_WEIGHT = 3; // a word in a clause's label or a heading counts three times
const MATCH_WEIGHT = { exact: 1, prefix: 0.8, inside: 0.6 };
const SPLIT_WEIGHT = 0.5; // a term found only as its parts
const BM25 = { k1: 1.2, b: 0.75 };
const MAX_RESULTS = 30;
const EXCERPT = 180; // characters of a long clause shown around its first match

let config = null; // Material's search config, with the entries files' paths
let loading = null; // the promise of this language's in-memory index, from the first query on

/** Build the in-memory index of one language from its entries. */
function setup(token, docs) {
  const entries = docs.map((doc) => {
    const counts = new Map();
    for (const word of doc.words.title) counts.set(word, (counts.get(word) || 0) + TITLE_WEIGHT);
    for (const word of doc.words.text) counts.set(word, (counts.get(word) || 0) + 1);
    return { doc, counts, length: doc.words.title.length * TITLE_WEIGHT + doc.words.text.length };
  });
  const vocabulary = new Set(entries.flatMap((entry) => [...entry.counts.keys()]));
  const average = entries.reduce((sum, entry) => sum + entry.length, 0) / Math.max(entries.length, 1);
  return { entries, vocabulary, average, token: new RegExp(token, "g") };
}

/** Cut a run of Chinese characters into the longest words the index knows (other than `except`);
 * unknown stretches stay whole. */
function segment(run, vocabulary, except = null) {
  const terms = [];
  let unknown = "";
  for (let i = 0; i < run.length;) {
    let j = run.length;
    while (j > i && (!vocabulary.has(run.slice(i, j)) || run.slice(i, j) === except)) j--;
    if (j > i) {
      if (unknown) terms.push(unknown), (unknown = "");
      terms.push(run.slice(i, j));
      i = j;
    } else {
      unknown += run[i++];
    }
  }
  if (unknown) terms.push(unknown);
  return terms;
}

/** The query's words, cut as the index was. */
function queryTerms(query, { token, vocabulary }) {
  const terms = [];
  for (const word of query.toLowerCase().match(token) || []) {
    terms.push(...(HAN.test(word) ? segment(word, vocabulary) : [word]));
  }
  return [...new Set(terms)];
}

/** How well an indexed word matches a query term: 0, or a weight for exact, prefix or inside matches. */
function matchWeight(term, word) {
  if (word === term) return MATCH_WEIGHT.exact;
  if (NUMBER.test(term)) return 0; // 80 must not find 8000
  if (word.startsWith(term)) return MATCH_WEIGHT.prefix;
  if (HAN.test(term) && word.includes(term)) return MATCH_WEIGHT.inside;
  return 0;
}

/** A query term's matching words in the vocabulary, with their weights. */
function expand(term, vocabulary) {
  const matches = [];
  for (const word of vocabulary) {
    const weight = matchWeight(term, word);
    if (weight) matches.push([word, weight]);
  }
  return matches;
}

/** How often an entry holds any of these matching words, weighted. */
function frequency(matches, entry) {
  let tf = 0;
  for (const [word, weight] of matches) tf += weight * (entry.counts.get(word) || 0);
  return tf;
}

/** A function giving a query term's weighted frequency in an entry. A Chinese term also counts,
 * at a lower weight, where all of its own shorter words occur (中级职称 in 中级及以上专业技术职称),
 * as jieba's search mode would have cut it had the whole word not been known. */
function termFrequency(term, vocabulary) {
  const whole = expand(term, vocabulary);
  const parts = HAN.test(term) && term.length > 1 ? segment(term, vocabulary, term) : [];
  const split = parts.length > 1 ? parts.map((part) => expand(part, vocabulary)) : [];
  return (entry) => {
    const tf = frequency(whole, entry);
    if (!split.length) return tf;
    return Math.max(tf, SPLIT_WEIGHT * Math.min(...split.map((matches) => frequency(matches, entry))));
  };
}

/** HTML-escape text for Material's result template, which inserts it as HTML. */
function escape(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Escape a string for use inside a regular expression. */
function literal(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The text with the query terms marked, cut to an excerpt around the first match when long. */
function highlight(text, terms, excerpt) {
  if (!text) return "";
  const pattern = new RegExp(terms.map((t) => (HAN.test(t) ? literal(t) : `(?<![a-z0-9])${literal(t)}`)).join("|"), "gi");
  let start = 0, end = text.length;
  if (excerpt && text.length > EXCERPT) {
    const first = text.search(pattern);
    start = Math.max(0, Math.min(first - EXCERPT / 3, text.length - EXCERPT));
    end = start + EXCERPT;
  }
  const part = text.slice(start, end);
  let html = "", last = 0;
  for (const match of part.matchAll(pattern)) {
    html += escape(part.slice(last, match.index)) + `<mark>${escape(match[0])}</mark>`;
    last = match.index + match[0].length;
  }
  html += escape(part.slice(last));
  return (start > 0 ? "…" : "") + html + (end < text.length ? "…" : "");
}

/** The results for a query, as Material's list of result groups. */
function run(query, index) {
  const terms = queryTerms(query, index);
  if (!terms.length) return { items: [] };
  const tfs = terms.map((term) => termFrequency(term, index.vocabulary));
  const scored = [];
  const documentFrequency = tfs.map((tf) => index.entries.filter((entry) => tf(entry) > 0).length);
  for (const entry of index.entries) {
    let score = 0;
    for (let t = 0; t < terms.length; t++) {
      const tf = tfs[t](entry);
      if (!tf) {
        score = 0;
        break; // every word of the query must be there
      }
      const n = index.entries.length, df = documentFrequency[t];
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const norm = BM25.k1 * (1 - BM25.b + (BM25.b * entry.length) / index.average);
      score += (idf * tf * (BM25.k1 + 1)) / (tf + norm);
    }
    if (score) scored.push({ entry, score: score * entry.doc.boost });
  }
  scored.sort((a, b) => b.score - a.score || a.entry.doc.location.localeCompare(b.entry.doc.location));
  // Marked in the excerpt: each term and, for Chinese, its shorter words; longest first.
  const marks = [...new Set(terms.flatMap((t) => (HAN.test(t) ? [t, ...segment(t, index.vocabulary, t)] : [t])))]
    .sort((a, b) => b.length - a.length);
  const found = Object.fromEntries(terms.map((term) => [term, true]));
  const items = scored.slice(0, MAX_RESULTS).map(({ entry, score }) => {
    const { doc } = entry;
    const result = {
      location: doc.location,
      title: highlight(doc.title, marks, false),
      text: doc.text ? `<p>${highlight(doc.text, marks, true)}</p>` : "",
      score,
      terms: found,
    };
    // Material shows the last entry of a group without '#' (or else the last one) as its heading:
    // the page and section the clause belongs to, then the clause with its excerpt.
    if (!doc.context) return [result];
    return [result, { location: doc.context.location, title: escape(doc.context.title), text: "", score, terms: {} }];
  });
  return { items };
}

/** This language's in-memory index, fetched once (again after a failure, e.g. offline before the
 * service worker has the file). */
function load() {
  if (!loading) {
    const root = new URL("../", self.location.href); // this worker is assets/search.js
    loading = fetch(new URL(config.entries[ENTRIES], root))
      .then((response) => {
        if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
        return response.json();
      })
      .then(({ docs }) => setup(config.token, docs))
      .catch((error) => {
        loading = null;
        throw error;
      });
  }
  return loading;
}

/** The results for a query; a query without a word needs no index. */
async function answer(query) {
  if (!query.trim()) return { items: [] };
  try {
    return run(query, await load());
  } catch (error) {
    console.error("search: the index could not be loaded", error);
    return { items: [] };
  }
}

// Answers go out in the order the queries came (an empty query typed while the index loads must not
// be overtaken by the results of the word before it).
let answered = Promise.resolve();
addEventListener("message", (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    config = message.data.config;
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    answered = answered.then(() => answer(message.data)).then((data) => postMessage({ type: RESULT, data }));
  }
});
