// The reading room's progressive enhancement (council/reading_offline.py): registers the
// service worker (reading-sw.js), offers "Für offline speichern" on a meeting page, shows
// the offline banner with the saved version's time, says that notes are saved online
// only, and forgets the kept pages at logout. Without JavaScript every page works online.
(function () {
  "use strict";
  const root = document.querySelector("[data-reading-root]");
  if (!root) return;
  const texts = root.dataset;
  const CACHE = "rathaus-council-reading-v1";
  const SAVED_AT = texts.scope + "__gespeichert__";
  const language = document.documentElement.lang || "de";
  const canKeep = "serviceWorker" in navigator && "caches" in window;

  function timeOf(iso) {
    return new Date(iso).toLocaleString(language, { day: "2-digit", month: "2-digit",
                                                    year: "numeric", hour: "2-digit",
                                                    minute: "2-digit" });
  }

  async function savedAt(path) {
    if (!canKeep) return null;
    try {
      const cache = await caches.open(CACHE);
      const saved = await cache.match(SAVED_AT);
      return saved ? (await saved.json())[path] || null : null;
    } catch (error) {
      return null;
    }
  }

  // --- The offline banner --------------------------------------------------------------
  const banner = root.querySelector("[data-reading-offline]");
  async function showBanner() {
    if (navigator.onLine) {
      banner.hidden = true;
      return;
    }
    const when = await savedAt(location.pathname);
    banner.querySelector("[data-reading-offline-text]").textContent = when
      ? texts.textOfflineSaved.replace("{time}", timeOf(when)) : texts.textOfflineUnsaved;
    banner.hidden = false;
  }
  window.addEventListener("online", showBanner);
  window.addEventListener("offline", showBanner);
  showBanner();

  // --- The service worker, and saving a meeting -----------------------------------------
  function askWorker(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        const channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  if (canKeep) {
    navigator.serviceWorker.register(texts.workerUrl, { scope: texts.scope })
      .catch(function () {});
  }

  const save = root.querySelector("[data-reading-save]");
  if (save && canKeep) {
    const button = save.querySelector("[data-reading-save-button]");
    const status = save.querySelector("[data-reading-save-status]");
    save.hidden = false;
    savedAt(location.pathname).then(function (when) {
      if (when) status.textContent = save.dataset.textSaved.replace("{time}", timeOf(when));
    });
    button.addEventListener("click", async function () {
      const extra = [];
      document.querySelectorAll("link[rel=stylesheet], link[rel=icon], link[rel=manifest]")
        .forEach(function (element) { extra.push(element.href); });
      document.querySelectorAll("script[src]").forEach(function (s) { extra.push(s.src); });
      // The fonts and images the style sheets loaded, so the pages look the same offline.
      performance.getEntriesByType("resource").forEach(function (entry) {
        const url = new URL(entry.name);
        if (url.origin === location.origin && url.pathname.indexOf("/static/") === 0) {
          extra.push(entry.name);
        }
      });
      button.disabled = true;
      status.textContent = save.dataset.textSaving;
      try {
        const result = await askWorker({ type: "reading-save", listUrl: save.dataset.offlineList,
                                         extra: extra });
        status.textContent = result && result.ok
          ? save.dataset.textSaved.replace("{time}", timeOf(result.savedAt))
          : save.dataset.textFailed;
        if (result && result.ok) save.dataset.readingSaved = "true";
      } catch (error) {
        status.textContent = save.dataset.textFailed;
      } finally {
        button.disabled = false;
      }
    });
  }

  // A page kept for offline that shows a one-time message (the note was saved): keep it
  // again without the message, as it is now.
  if (canKeep && navigator.onLine && document.querySelector(".messages")) {
    savedAt(location.pathname).then(function (when) {
      if (!when) return;
      return caches.open(CACHE).then(function (cache) {
        return cache.add(new Request(location.pathname, { credentials: "same-origin",
                                                          cache: "no-store" }));
      });
    }).catch(function () {});
  }

  // --- Notes are saved online only ---------------------------------------------------------
  const note = root.querySelector("form[data-reading-note]");
  if (note) {
    note.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      note.querySelector("[data-reading-note-offline]").textContent = note.dataset.textOffline;
    });
  }

  // --- Logging out forgets everything kept on this device ----------------------------------
  document.querySelectorAll("form[data-reading-logout]").forEach(function (logout) {
    logout.addEventListener("submit", function (event) {
      if (!canKeep) return;
      event.preventDefault();
      caches.delete(CACHE).finally(function () { logout.submit(); });
    });
  });
})();
