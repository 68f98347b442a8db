// The site's service worker: the guide, its search and the checker keep working offline after the
// first visit. Served from the site root so that its scope covers both languages, under any sub-path.
// sitegen/offline.py writes the build's precache manifest (site path -> SHA-256 of the file) below;
// any change to any file changes this script, so the browser installs the new worker, which fills a
// new cache and deletes the old ones.
//
// Strategy:
//   install   every file of the manifest into CACHE, verified against its hash; a file whose hash
//             is unchanged is copied from the previous cache instead of downloaded again.
//   fetch     versioned files (hashed names, pinned runtime): the browser's HTTP cache, then CACHE,
//             then the network;
//             pages and unversioned files: network first, the cache when the network fails.
//   The cache is never updated from ordinary responses, so offline it always holds one whole build.
//
// Why the HTTP cache first: Chromium keeps the compiled code of a script or WebAssembly module beside
// the stored response it came from. The first visit compiles Pyodide's wasm from the network, so its
// compiled code sits with the HTTP-cache entry; a copy from CACHE would be compiled once more. A
// response this worker passes through unchanged keeps that code, provided the entry is not
// revalidated in between (a 304 gives the entry a new response time, and the code is dropped).

"use strict";

const MANIFEST = /*MANIFEST*/ {};
const VERSIONED = new Set(/*VERSIONED*/ []);
// The versioned files whose name does not change (the checker's worker, the offline script): only the
// `?v=<hash>` of their URL says which build a copy is, so a copy fetched without it may be any build's.
const BY_QUERY = new Set(/*BY_QUERY*/ []);
const CACHE = /*CACHE*/ "guide";
const PREFIX = "guide-";
const INDEX = "__manifest__"; // the manifest of a cache, kept inside it for the next build's install
const SCOPE = new URL(self.registration.scope);

// Site-relative path of a URL in scope ("" for the home page, "programmes/major/" for a page), or null.
function sitePath(url) {
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return null;
  let path = decodeURI(url.pathname.slice(SCOPE.pathname.length));
  if (path === "index.html" || path.endsWith("/index.html")) path = path.slice(0, -"index.html".length);
  return path;
}

function cacheKey(path) {
  return new URL(path, SCOPE).href;
}

async function sha256(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

// The cached responses of older builds whose hash matches, so an unchanged 10 MB runtime is not
// downloaded again after every build.
async function previousCopies() {
  const copies = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    const index = await cache.match(INDEX);
    if (!index) continue;
    const hashes = await index.json();
    for (const [path, hash] of Object.entries(hashes)) {
      if (MANIFEST[path] === hash && !copies.has(path)) copies.set(path, cache);
    }
  }
  return copies;
}

// The response for one manifest file, checked against its hash. A file with a versioned name is
// taken from the HTTP cache as it is (force-cache: no revalidation, which would drop its compiled
// code); anything else, or a copy of another build after all, is revalidated (no-cache).
async function download(key, path) {
  for (const mode of VERSIONED.has(path) && !BY_QUERY.has(path) ? ["force-cache", "no-cache"] : ["no-cache"]) {
    const response = await fetch(key, { cache: mode, credentials: "same-origin" });
    if (!response.ok) throw new Error(`${response.status} ${key}`);
    if ((await sha256(await response.clone().arrayBuffer())) === MANIFEST[path]) return response;
  }
  // The server holds another build (a deploy in progress): keep the current worker.
  throw new Error(`${key} does not match this build`);
}

async function precacheOne(cache, path, copies) {
  const key = cacheKey(path);
  const old = copies.get(path);
  const kept = old && (await old.match(key));
  return cache.put(key, kept || (await download(key, path)));
}

async function precache() {
  const copies = await previousCopies();
  const cache = await caches.open(CACHE);
  const paths = Object.keys(MANIFEST);
  let next = 0;
  const lane = async () => {
    while (next < paths.length) await precacheOne(cache, paths[next++], copies);
  };
  await Promise.all(Array.from({ length: 4 }, lane));
  await cache.put(INDEX, new Response(JSON.stringify(MANIFEST), { headers: { "Content-Type": "application/json" } }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// A versioned URL asks for `?v=<hash prefix>`: serve the cached copy only if it is that version.
function cachedVersionFits(url, path) {
  const wanted = url.searchParams.get("v");
  return !wanted || MANIFEST[path].startsWith(wanted);
}

// The HTTP cache's copy, whatever its age and without the network (only-if-cached), or null.
async function httpCached(request) {
  try {
    const response = await fetch(new Request(request, { cache: "only-if-cached", mode: "same-origin" }));
    return response.ok ? response : null;
  } catch (err) {
    return null; // not in the HTTP cache
  }
}

async function cacheFirst(request, url, path) {
  const exact = !BY_QUERY.has(path) || url.searchParams.has("v"); // the HTTP cache's copy is of this build
  const cached = (exact && (await httpCached(request))) || (await caches.match(cacheKey(path), { cacheName: CACHE }));
  return cached || fetch(request);
}

async function networkFirst(request, path) {
  try {
    return await fetch(request);
  } catch (err) {
    const cached = await caches.match(cacheKey(path), { cacheName: CACHE });
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const path = sitePath(url);
  if (path === null || !(path in MANIFEST)) return; // not ours: the browser handles it as usual
  if (VERSIONED.has(path) && cachedVersionFits(url, path)) {
    event.respondWith(cacheFirst(request, url, path));
  } else if (!VERSIONED.has(path)) {
    event.respondWith(networkFirst(request, path));
  }
});
