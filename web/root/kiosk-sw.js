// The kiosk's service worker: keeps the kiosk page and its assets so the survey opens with no
// network. Answers are never sent from here; the page queues them in IndexedDB itself.
"use strict";
var CACHE = "mlf-kiosk-v1";

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(["/kiosk"]); }).catch(function () {}));
  self.skipWaiting();
});

self.addEventListener("activate", function (e) {
  e.waitUntil(self.clients.claim());
});

// The page tells which hashed assets it uses, so they are cached before the network goes.
self.addEventListener("message", function (e) {
  if (e.data && Array.isArray(e.data.cache)) {
    e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(e.data.cache); }).catch(function () {}));
  }
});

self.addEventListener("fetch", function (e) {
  var req = e.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    // Hashed names never change content: cache first.
    e.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (resp) {
        if (resp.ok) { var copy = resp.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
        return resp;
      });
    }));
    return;
  }
  if (url.pathname === "/kiosk" || url.pathname === "/api/v1/stops") {
    // Network first, so a new version or today's stops arrive; the cache when offline.
    e.respondWith(fetch(req).then(function (resp) {
      if (resp.ok) { var copy = resp.clone(); caches.open(CACHE).then(function (c) { c.put(url.pathname === "/kiosk" ? "/kiosk" : req, copy); }); }
      // A tablet whose pairing was revoked or expired still opens the survey it has: its
      // queue stays in view and the page itself tells staff to pair it again.
      if (resp.status === 401 && url.pathname === "/kiosk") {
        return caches.match("/kiosk").then(function (hit) { return hit || resp; });
      }
      return resp;
    }).catch(function () {
      return caches.match(url.pathname === "/kiosk" ? "/kiosk" : req).then(function (hit) {
        return hit || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
      });
    }));
  }
});
