// The councillors' reading room's service worker (served by council/reading_offline.py
// at /ratsinfo/mandat/sw.js, after the line that sets self.READING_CONFIG). Pages come
// from the network; when that fails, from what the member saved for offline reading
// ("Für offline speichern", reading.js): a meeting, its papers and their files.
//
// Privacy: the kept answers hold non-public papers and the member's notes. They are
// forgotten at logout (reading.js clears them before the logout form is sent) and, if
// the session ended another way, as soon as an online answer of the reading room is
// the login page, the two-factor page (403) or a 404 of the start page (no member any
// more). The HTTP cache keeps nothing (every answer is private, no-store); this Cache
// Storage is the one explicit store.
/* global OfflineStore */
"use strict";
importScripts(self.READING_CONFIG.storeScript);

const CONFIG = self.READING_CONFIG;
const CACHE = CONFIG.cache;
// A synthetic entry: when each kept address was saved, for the offline banner.
const SAVED_AT = CONFIG.scope + "__gespeichert__";

OfflineStore.dropOlderCaches(CONFIG.cachePrefix, CACHE);

function inScope(url) {
  return url.pathname.indexOf(CONFIG.scope) === 0;
}

async function forgetAll() {
  await caches.delete(CACHE);
}

// The session is gone (or is no member's): nothing kept may outlive it.
function sessionEnded(url, response) {
  if (!inScope(url)) return false;
  if (response.type === "opaqueredirect") return true;
  if (response.redirected && new URL(response.url).pathname.indexOf(CONFIG.loginUrl) === 0) {
    return true;
  }
  return response.status === 403 || (response.status === 404 && url.pathname === CONFIG.scope);
}

async function savedTimes(cache) {
  const saved = await cache.match(SAVED_AT);
  return saved ? saved.json() : {};
}

async function networkFirst(request) {
  const url = new URL(request.url);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const cache = await caches.open(CACHE);
    const kept = await cache.match(request, { ignoreVary: true, ignoreSearch: true });
    if (kept) return kept;
    if (request.mode !== "navigate") return Response.error();
    return new Response("<!DOCTYPE html><html lang=\"de\"><meta charset=\"utf-8\">"
      + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      + "<title>Offline</title><p style=\"font-family:sans-serif;padding:1rem\">"
      + CONFIG.notSaved.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</p></html>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  if (sessionEnded(url, response)) {
    await forgetAll();
    return response;
  }
  const cache = await caches.open(CACHE);
  if (response.status === 404 && inScope(url)) {
    await cache.delete(request, { ignoreVary: true, ignoreSearch: true }); // gone or no longer readable
  } else if (response.ok && !response.redirected
             && await cache.match(request, { ignoreVary: true, ignoreSearch: true })) {
    // Keep a saved page fresh: the newest version seen online.
    await cache.put(url.pathname, response.clone());
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!inScope(url) && url.pathname.indexOf("/static/") !== 0) return;
  event.respondWith(networkFirst(request));
});

// Saving a meeting: the page sends {type: "reading-save", listUrl, extra} with a port
// for the answer; the worker fetches the meeting's list of addresses and keeps each
// (the page's style sheets and scripts come as `extra`).
async function saveMeeting(listUrl, extra) {
  const answer = await fetch(listUrl, { credentials: "same-origin", cache: "no-store",
                                        headers: { Accept: "application/json" } });
  if (!answer.ok || answer.redirected) throw new Error("list refused: " + answer.status);
  const list = await answer.json();
  const cache = await caches.open(CACHE);
  const urls = Array.from(new Set(list.urls.concat(extra || [])));
  await cache.addAll(urls.map(function (address) {
    return new Request(address, { credentials: "same-origin", cache: "no-store" });
  }));
  const times = await savedTimes(cache);
  list.urls.forEach(function (address) { times[address] = list.saved_at; });
  await cache.put(SAVED_AT, new Response(JSON.stringify(times),
                                         { headers: { "Content-Type": "application/json" } }));
  return { ok: true, savedAt: list.saved_at, count: list.urls.length };
}

self.addEventListener("message", function (event) {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  if (data.type === "reading-save") {
    event.waitUntil(saveMeeting(data.listUrl, data.extra).then(
      function (result) { if (port) port.postMessage(result); },
      function (error) { if (port) port.postMessage({ ok: false, error: String(error) }); }));
  } else if (data.type === "reading-forget") {
    event.waitUntil(forgetAll().then(function () { if (port) port.postMessage({ ok: true }); }));
  }
});
