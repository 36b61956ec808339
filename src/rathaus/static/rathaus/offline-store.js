// What the offline apps share (docs/decisions/0039-offline-field-app.md): a keyed store
// in IndexedDB for what was recorded without network, and the first step of sending
// it, a fresh CSRF token from the app's sync endpoint, then posting each item; and the
// service workers' cache lifecycle. Used by field-queue.js and worktime's
// clock-queue.js, in pages and in service workers (importScripts), and by both workers.
(function (global) {
  "use strict";

  // `OfflineStore.open("rathaus-field", "inspections", "clientId")`: put, all, remove.
  function open(dbName, storeName, keyPath) {
    function openDb() {
      return new Promise(function (resolve, reject) {
        const request = indexedDB.open(dbName, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(storeName, { keyPath: keyPath });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }

    function withStore(mode, action) {
      return openDb().then(function (db) {
        return new Promise(function (resolve, reject) {
          const transaction = db.transaction(storeName, mode);
          const request = action(transaction.objectStore(storeName));
          transaction.oncomplete = function () {
            db.close();
            resolve(request ? request.result : undefined);
          };
          transaction.onerror = transaction.onabort = function () {
            db.close();
            reject(transaction.error);
          };
        });
      });
    }

    return {
      put: function (item) { return withStore("readwrite", function (s) { return s.put(item); }); },
      all: function () { return withStore("readonly", function (s) { return s.getAll(); }); },
      remove: function (key) {
        return withStore("readwrite", function (s) { return s.delete(key); });
      },
    };
  }

  // GET the sync endpoint for a CSRF token (the one in a page saved offline may be
  // older than the last login). {state: "ready", token} or the state that stops
  // sending: "offline", "login" (403 or a redirect to the login page), "retry".
  async function csrfToken(syncUrl) {
    let ready;
    try {
      ready = await fetch(syncUrl, { credentials: "same-origin", cache: "no-store",
                                     redirect: "manual",
                                     headers: { Accept: "application/json" } });
    } catch (error) {
      return { state: "offline" };
    }
    if (ready.status === 403 || ready.type === "opaqueredirect") return { state: "login" };
    if (!ready.ok) return { state: "retry" };
    return { state: "ready", token: (await ready.json()).csrf };
  }

  // A new client id (crypto.randomUUID where the browser has it).
  function newId() {
    if (global.crypto.randomUUID) return global.crypto.randomUUID();
    const bytes = global.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); });
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10),
            hex.slice(10)].map(function (part) { return part.join(""); }).join("-");
  }

  // POST one queued item to the sync endpoint. {state: "offline"} without network,
  // {state: "login"} when the session is gone (403 or a redirect to the login page),
  // else {state: "answered", status, answer} with the JSON answer (null if none).
  async function post(syncUrl, token, body, headers) {
    let response;
    try {
      response = await fetch(syncUrl, {
        method: "POST", body: body, credentials: "same-origin", redirect: "manual",
        headers: Object.assign({ "X-CSRFToken": token, Accept: "application/json" },
                               headers || {}),
      });
    } catch (error) {
      return { state: "offline" };
    }
    if (response.status === 403 || response.type === "opaqueredirect") {
      return { state: "login" };
    }
    let answer = null;
    try { answer = await response.json(); } catch (error) { answer = null; }
    return { state: "answered", status: response.status, answer: answer };
  }

  // Run `send` with one sender at a time across the pages and the service worker.
  function oneAtATime(lockName, send) {
    if (global.navigator && global.navigator.locks) {
      return global.navigator.locks.request(lockName, send);
    }
    return send();
  }

  // In a service worker: take over at once, and on activation drop the app's older
  // caches (those named `prefix` + another version than `cache`).
  function dropOlderCaches(prefix, cache) {
    global.addEventListener("install", function () { global.skipWaiting(); });
    global.addEventListener("activate", function (event) {
      event.waitUntil(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf(prefix) === 0 && name !== cache;
        }).map(function (name) { return caches.delete(name); }));
      }).then(function () { return global.clients.claim(); }));
    });
  }

  global.OfflineStore = { open: open, csrfToken: csrfToken, newId: newId, post: post,
                          oneAtATime: oneAtATime, dropOlderCaches: dropOlderCaches };
})(self);
