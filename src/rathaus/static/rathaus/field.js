// The field app's progressive enhancement (docs/decisions/0039-offline-field-app.md):
// registers the service worker, saves the route and its forms for offline use, queues
// an inspection submitted offline (field-queue.js) and sends the queue when the network
// is back. Without JavaScript the pages post their forms as usual.
/* global FieldQueue */
(function () {
  "use strict";
  const root = document.querySelector("[data-field-app]");
  if (!root || !window.FieldQueue || !("indexedDB" in window)) return;
  const CACHE = "rathaus-field-v1";
  const text = function (name, count) {
    return (root.dataset["text" + name] || "").replace("{count}", String(count));
  };
  const syncUrl = root.dataset.syncUrl;
  const status = root.querySelector("[data-field-queue]");
  const statusText = root.querySelector("[data-field-queue-text]");
  const problems = root.querySelector("[data-field-queue-problems]");

  function link(href, label) {
    const anchor = document.createElement("a");
    anchor.className = "kern-link";
    anchor.href = href;
    anchor.textContent = label;
    return anchor;
  }

  async function showQueue(result) {
    const items = await FieldQueue.all();
    problems.replaceChildren();
    const lines = [];
    if (items.length) lines.push(text("Queued", items.length));
    if (result && result.sent) lines.push(text("Sent", result.sent));
    statusText.textContent = lines.join(" ");
    if (result && result.state === "login" && items.length) {
      const paragraph = document.createElement("p");
      paragraph.className = "kern-body";
      paragraph.append(text("Login", items.length), " ",
                       link(root.dataset.loginUrl, text("LoginLink", 0)));
      problems.append(paragraph);
    }
    if (result && result.conflicts) {
      const paragraph = document.createElement("p");
      paragraph.className = "kern-body";
      paragraph.append(link(root.dataset.conflictsUrl, text("Conflicts", result.conflicts)));
      problems.append(paragraph);
    }
    items.filter(function (item) { return item.problem; }).forEach(function (item) {
      const paragraph = document.createElement("p");
      paragraph.className = "kern-body";
      paragraph.textContent = text("Problem", 0).replace("{number}", item.label) + " "
        + item.problem;
      problems.append(paragraph);
    });
    status.hidden = !lines.length && !problems.childElementCount;
    root.dataset.fieldQueueCount = String(items.length);
  }

  let sending = false;
  async function sendQueue() {
    if (sending) return;
    sending = true;
    try {
      const result = await FieldQueue.flush(syncUrl);
      await showQueue(result);
    } finally {
      sending = false;
    }
  }

  // --- The service worker and saving the route --------------------------------------
  let registration = null;
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.workerUrl, { scope: root.dataset.routeUrl })
      .then(function (found) { registration = found; })
      .catch(function () { registration = null; });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "field-sent") showQueue(event.data.result);
    });
  }

  const offline = root.querySelector("[data-field-offline]");
  if (offline && "caches" in window && "serviceWorker" in navigator) {
    offline.hidden = false;
    const button = offline.querySelector("[data-field-save-route]");
    const saved = offline.querySelector("[data-field-offline-status]");
    button.addEventListener("click", async function () {
      const urls = new Set([location.pathname + location.search]);
      root.querySelectorAll("a[data-field-page]").forEach(function (a) { urls.add(a.href); });
      document.querySelectorAll("link[rel=stylesheet], link[rel=icon], link[rel=manifest]")
        .forEach(function (element) { urls.add(element.href); });
      document.querySelectorAll("script[src]").forEach(function (s) { urls.add(s.src); });
      button.disabled = true;
      try {
        await navigator.serviceWorker.ready;
        const cache = await caches.open(CACHE);
        await cache.addAll(Array.from(urls));
        saved.textContent = text("RouteSaved", root.querySelectorAll("a[data-field-page]").length);
        root.dataset.fieldRouteSaved = "true";
      } catch (error) {
        saved.textContent = text("RouteFailed", 0);
      } finally {
        button.disabled = false;
      }
    });
  }

  // --- Queuing an inspection recorded offline ----------------------------------------
  const form = root.querySelector("form[data-field-inspection]");
  if (form) {
    const savedNote = form.querySelector("[data-field-saved]");
    form.addEventListener("submit", async function (event) {
      if (navigator.onLine) return; // the page posts as usual, with its answers
      event.preventDefault();
      try {
        await FieldQueue.put(FieldQueue.itemFrom(new FormData(form)));
      } catch (error) {
        // No IndexedDB (a private window, a full disk): the form stays as it is.
        savedNote.textContent = text("QueueFailed", 0);
        return;
      }
      form.reset();
      const count = (await FieldQueue.all()).length;
      savedNote.textContent = text("Saved", count);
      await showQueue(null);
      if (registration && registration.sync) {
        registration.sync.register("field-inspections").catch(function () {});
      }
    });
  }

  // Logging out forgets the saved pages (the queue stays: it is not sent yet).
  document.querySelectorAll("form[data-field-logout]").forEach(function (logout) {
    logout.addEventListener("submit", function (event) {
      if (!("caches" in window)) return;
      event.preventDefault();
      caches.delete(CACHE).finally(function () { logout.submit(); });
    });
  });

  window.addEventListener("online", sendQueue);
  showQueue(null).then(function () {
    // Queued by the service worker when the form's POST found no network.
    if (new URLSearchParams(location.search).has("gespeichert")) {
      FieldQueue.all().then(function (items) {
        statusText.textContent = text("Saved", items.length);
        status.hidden = false;
      });
    }
    if (navigator.onLine) sendQueue();
  });
})();
