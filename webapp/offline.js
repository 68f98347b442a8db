// Registers the site's service worker (sw.js at the site root, so that its scope covers both
// languages under any sub-path). Precaching downloads the whole build (~16 MB), so it starts only
// once the page has loaded and settled, and on the checker page once the engine is ready: a first
// visit never waits for it nor shares the network with it.
(function () {
  if (!("serviceWorker" in navigator) || !document.currentScript) return;
  // Most of the precache is the checker's runtime: a browser that cannot compile WebAssembly (as
  // canRunWasm in assets/checker/engine.js tests it) would download ~10 MB for nothing.
  try {
    new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  } catch (err) {
    return;
  }
  var worker = new URL("../sw.js", document.currentScript.src).href;
  var SETTLE_MS = 2000; // the search index and the page's own fetches go first
  function idle() {
    return new Promise(function (resolve) {
      setTimeout(function () {
        if (window.requestIdleCallback) window.requestIdleCallback(resolve, { timeout: 5000 });
        else resolve();
      }, SETTLE_MS);
    });
  }
  window.addEventListener("load", function () {
    Promise.resolve(window.checker && window.checker.ready)
      .catch(function () {})
      .then(idle)
      .then(function () { return navigator.serviceWorker.register(worker); })
      .catch(function () {}); // e.g. a file:// or insecure origin: the site works without it
  });
})();
