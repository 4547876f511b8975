/* The door scanner's service worker: the scanner pages and their files reopen without network.
   Scanner pages: network first, the last copy when offline. Their files: from the cache, refreshed in the
   background. Everything else (the API, other pages) goes to the network untouched. */
"use strict";
var CACHE = "hd-scanner-" + {{ version|tojson }};
var FILES = {{ files|tojson }};
var SCOPE = {{ scope|tojson }};
var SCANNER_PAGE = /\/events\/\d+\/scan(\.webmanifest)?$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(FILES); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    var old = keys.filter(function (k) { return k.indexOf("hd-scanner-") === 0 && k !== CACHE; });
    return Promise.all(old.map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isScannerPage(url) {
  return url.origin === self.location.origin && url.pathname.indexOf(SCOPE) === 0 && SCANNER_PAGE.test(url.pathname);
}

var SLOW_NETWORK_MS = 6000;  // a stored scanner page is shown after this long without an answer

/* Fetch a scanner page and store it when it is the page itself. A navigation keeps its own redirect mode, so a
   redirect to the login page (the session has ended) reaches the browser as a redirect. */
function keep(request) {
  return fetch(request).then(function (response) {
    // A redirect to the login page or an error is not a scanner worth keeping.
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      return caches.open(CACHE).then(function (cache) { return cache.put(request.url, copy); })
        .then(function () { return response; });
    }
    return response;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (isScannerPage(url)) {
    var network = keep(request);
    var stored = caches.match(request.url);
    // Poor signal at an outdoor gathering point: after a while the stored copy answers, the network one
    // still refreshes the cache when it arrives.
    var slow = new Promise(function (resolve) {
      setTimeout(function () { stored.then(function (hit) { if (hit) resolve(hit); }); }, SLOW_NETWORK_MS);
    });
    event.waitUntil(network.catch(function () {}));
    // A server that answers with an error (a gateway down at the venue) is no better than no network.
    var usable = network.then(function (response) {
      if (response.status >= 500) return stored.then(function (hit) { return hit || response; });
      return response;
    });
    event.respondWith(Promise.race([usable, slow]).catch(function () {
      return stored.then(function (hit) {
        return hit || new Response("<!doctype html><meta charset=utf-8><p>" + {{ _('离线，且本机没有保存此签到页。')|tojson }},
                                   {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
      });
    }));
    return;
  }
  if (url.origin === self.location.origin && FILES.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (hit) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) cache.put(url.pathname, response.clone());
          return response;
        });
        if (hit) { fresh.catch(function () {}); return hit; }
        return fresh;
      });
    }));
  }
});

/* Messages from the scanner page: {type: "keep", urls: [...]} stores those pages now (the first visit is not
   yet controlled by this worker); {type: "forget", urls: [...]} drops them once the checkpoint is over.
   The answer goes back on the message's port. */
self.addEventListener("message", function (event) {
  var data = event.data || {}, port = event.ports && event.ports[0];
  var urls = (data.urls || []).filter(function (u) { return isScannerPage(new URL(u, self.location.href)); });
  var work;
  if (data.type === "keep") {
    work = Promise.all(urls.map(function (u) { return keep(new Request(u, {credentials: "same-origin"})); }))
      .then(function (responses) { return responses.every(function (r) { return r.ok && !r.redirected; }); });
  } else if (data.type === "forget") {
    work = caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.map(function (u) { return cache.delete(new URL(u, self.location.href).href); }));
    }).then(function () { return true; });
  } else {
    return;
  }
  event.waitUntil(work.catch(function () { return false; }).then(function (ok) { if (port) port.postMessage({ok: ok}); }));
});
