// The field app's service worker (served by fieldapp/field_views.py at
// /verwaltung/kontrolle/sw.js, after the line that sets self.FIELD_CONFIG). Pages and
// static files come from the network; when that fails, from the pages the inspector
// saved for offline use ("Route offline speichern", field.js). Background sync sends
// the queued inspections (field-queue.js) when the network is back.
/* global OfflineStore, FieldQueue */
"use strict";
importScripts(self.FIELD_CONFIG.storeScript, self.FIELD_CONFIG.queueScript);

const CACHE = "rathaus-field-v1";

OfflineStore.dropOlderCaches("rathaus-field-", CACHE);

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    const isStatic = url.pathname.indexOf("/static/") === 0;
    // Keep saved pages fresh (a newer version seen), and static files once fetched.
    if (response.ok && !response.redirected
        && (isStatic || await cache.match(request, { ignoreVary: true }))) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const saved = await cache.match(request, { ignoreVary: true })
      || (request.mode === "navigate"
          && await cache.match(url.pathname, { ignoreVary: true, ignoreSearch: true }));
    return saved || Response.error();
  }
}

// An inspection form's POST that finds no network although the phone believed it had
// one (a dead zone): queued here like field.js queues it offline, then the route.
const INSPECTION_FORM = new RegExp("^" + self.FIELD_CONFIG.scope + "\\d+/$");

async function postOrQueue(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    await FieldQueue.put(FieldQueue.itemFrom(await copy.formData()));
    if (self.registration.sync) {
      self.registration.sync.register("field-inspections").catch(function () {});
    }
    return Response.redirect(self.FIELD_CONFIG.scope + "?gespeichert=1", 303);
  }
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method === "POST" && request.mode === "navigate"
      && url.origin === self.location.origin && INSPECTION_FORM.test(url.pathname)) {
    event.respondWith(postOrQueue(request));
    return;
  }
  if (request.method !== "GET" || url.origin !== self.location.origin
      || url.pathname === self.FIELD_CONFIG.syncUrl) {
    return;
  }
  event.respondWith(networkFirst(request));
});

async function tellPages(result) {
  const pages = await self.clients.matchAll({ type: "window" });
  pages.forEach(function (page) { page.postMessage({ type: "field-sent", result: result }); });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== "field-inspections") return;
  event.waitUntil(FieldQueue.flush(self.FIELD_CONFIG.syncUrl).then(function (result) {
    return tellPages(result).then(function () {
      // The browser tries again later when the network was still away.
      if (result.state === "offline" || result.state === "retry") {
        throw new Error("not sent yet");
      }
    });
  }));
});
