// The playground's service worker (hand-written; the build writes it to dist/sw.js with the two
// placeholders filled in, see build/service-worker-plugin.ts). It makes the page work offline
// once it has been loaded: at install it caches every built file, and it answers from that
// cache whenever the network cannot.
// - The page itself (navigations): network first, so a new build shows when online; the cached
//   page when offline, whatever the query string (the view's state lives there).
// - Everything else of this origin: the cache first (built assets have content hashes in their
//   names, so a cached copy is never stale), then the network.
// A new build has a new version: its worker installs beside the old one, takes over on
// activation, and deletes the old version's cache.

const VERSION = "__VERSION__";
const CACHE = `nnkit-playground-${VERSION}`;
/** URLs relative to this worker: "./", index.html and every built asset. */
const PRECACHE = "__PRECACHE__";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith("nnkit-playground-") && k !== CACHE)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() =>
        caches
          .match(request, { ignoreSearch: true })
          .then((hit) => hit ?? caches.match(new URL("./", self.registration.scope).href))
          .then((hit) => hit ?? Response.error()),
      ),
    );
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
});
