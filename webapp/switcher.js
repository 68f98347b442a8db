// The language switcher leads to the same page in the other language. This keeps the reader's place:
// the #anchor (clause ids are the same in both languages) and the query (?programme= on the checker
// page) carry over. The links are set when the page loads, when the anchor changes, and again at the
// click, since a page may change its own query (history.replaceState) without any event.
"use strict";
(function () {
  /** Give one switcher link the current page's query and anchor. */
  function keepPlace(link) {
    if (!link.dataset.page) link.dataset.page = link.getAttribute("href");
    const url = new URL(link.dataset.page, location.href);
    const query = new URLSearchParams(location.search);
    query.delete("h"); // search highlights are words of this language
    url.search = query.toString();
    url.hash = location.hash;
    link.href = url.href;
  }

  /** Update every switcher link. */
  function keepPlaces() {
    document.querySelectorAll("a.md-select__link[hreflang]").forEach(keepPlace);
  }

  keepPlaces();
  addEventListener("hashchange", keepPlaces);
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (link) keepPlace(link);
  }, true);
})();
