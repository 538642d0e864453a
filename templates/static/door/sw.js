// Service worker of the door's scan page (scope /deur): it keeps the page, its scripts and
// styles and the QR decoders in a cache, so that the page opens and works without network.
// The API is never cached here: the page keeps its own copy of the check-in list.
"use strict";

// The server fills in the fingerprinted address of every /static/ file below and names the
// cache after the list ("dagplanner-door-v1" becomes "dagplanner-door-<hash>"), so a changed
// file makes a new worker that keeps the new files.
var CACHE = "dagplanner-door-v1";
var SHELL = [
  "/deur",
  "/deur/manifest.webmanifest",
  "/static/site.css",
  "/static/vendor/utrecht/used.css",
  "/static/vendor/voorbeeld-tokens/used.css",
  "/static/door/door.css",
  "/static/door/ticket.js",
  "/static/door/store.js",
  "/static/door/sync.js",
  "/static/door/camera.js",
  "/static/door/room.js",
  "/static/door/door.js",
  "/static/door/icon-192.png",
  "/static/door/icon-512.png",
  "/static/favicon.svg",
  "/static/vendor/door/barcode-detector.js",
  "/static/vendor/door/zxing_reader.wasm",
  "/static/vendor/door/jsQR.js"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL.map(function (u) { return new Request(u, { credentials: "same-origin", cache: "reload" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("dagplanner-door-") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

// fromNetwork fetches and stores a fresh copy; it gives up after ms, so a network that
// hangs rather than fails does not keep the door waiting.
function fromNetwork(request, key, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
      }
      resolve(response);
    }, function (err) {
      clearTimeout(timer);
      reject(err);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;

  if (req.mode === "navigate" && (url.pathname === "/deur" || url.pathname === "/deur/")) {
    // The page: fresh from the server when it answers within 4 s, else the copy. The copy
    // serves every /deur?locatie=...: the script reads the venue from the address itself.
    event.respondWith(fromNetwork(req, "/deur", 4000).catch(function () {
      return caches.match("/deur").then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (SHELL.indexOf(url.pathname) >= 0 && !url.search) {
    // Scripts, styles and decoders: the copy at once, refreshed in the background.
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      var fresh = fromNetwork(req, url.pathname, 30000);
      if (hit) {
        event.waitUntil(fresh.catch(function () {}));
        return hit;
      }
      return fresh;
    }));
  }
});
