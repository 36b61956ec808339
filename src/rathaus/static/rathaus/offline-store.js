// What the offline apps share (docs/decisions/0039-offline-field-app.md): a keyed store
// in IndexedDB for what was recorded without network, and the first step of sending
// it, a fresh CSRF token from the app's sync endpoint. Used by field-queue.js and
// worktime's clock-queue.js, in pages and in service workers (importScripts).
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

  global.OfflineStore = { open: open, csrfToken: csrfToken, newId: newId };
})(self);
