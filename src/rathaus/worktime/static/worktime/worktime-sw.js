// The working time pages' service worker (served by worktime/employee_views.py at
// /verwaltung/arbeitszeit/sw.js, after the line that sets self.WORKTIME_CONFIG; see
// docs/decisions/0039). Pages and static files come from the network; when that fails,
// the clock page and the static files kept from before. A clock POST that finds no
// network is kept in the queue (clock-queue.js) and sent when the network is back.
/* global OfflineStore, ClockQueue */
"use strict";
importScripts(self.WORKTIME_CONFIG.storeScript, self.WORKTIME_CONFIG.queueScript);

const CONFIG = self.WORKTIME_CONFIG;
const CACHE = "rathaus-worktime-v1";

OfflineStore.dropOlderCaches("rathaus-worktime-", CACHE);

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    // Keep the clock page (to open the app offline) and the static files it uses.
    if (response.ok && !response.redirected
        && (url.pathname.indexOf("/static/") === 0 || url.pathname === CONFIG.scope)) {
      await cache.put(url.pathname === CONFIG.scope ? CONFIG.scope : request,
                      response.clone());
    }
    return response;
  } catch (error) {
    const saved = await cache.match(request, { ignoreVary: true })
      || (request.mode === "navigate"
          && await cache.match(CONFIG.scope, { ignoreVary: true, ignoreSearch: true }));
    return saved || Response.error();
  }
}

// The clock form posted while the phone believed it was online, but the network was
// gone (a dead zone): the event is kept with the form's client id (the server may have
// had it after all), then the clock page.
async function postOrQueue(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const data = await copy.formData();
    await ClockQueue.put(ClockQueue.event(data.get("action"), data.get("place"),
                                          data.get("client_id")));
    if (self.registration.sync) {
      self.registration.sync.register("worktime-clock").catch(function () {});
    }
    return Response.redirect(CONFIG.scope + "?gespeichert=1", 303);
  }
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate"
      && url.pathname === CONFIG.clockUrl) {
    event.respondWith(postOrQueue(request));
    return;
  }
  if (request.method !== "GET" || url.pathname === CONFIG.syncUrl) return;
  event.respondWith(networkFirst(request));
});

async function tellPages(result) {
  const pages = await self.clients.matchAll({ type: "window" });
  pages.forEach(function (page) { page.postMessage({ type: "worktime-sent", result: result }); });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== "worktime-clock") return;
  event.waitUntil(ClockQueue.flush(CONFIG.syncUrl).then(function (result) {
    return tellPages(result).then(function () {
      if (result.state === "offline" || result.state === "retry") {
        throw new Error("not sent yet");
      }
    });
  }));
});
