// The clock page's enhancement (docs/decisions/0039): registers the service worker,
// keeps a clock event made offline in the queue (clock-queue.js) and lists it, and
// sends the queue when the network is back (then reloads, so the entry shows). Without
// JavaScript, or online, the form posts as usual.
/* global ClockQueue */
(function () {
  "use strict";
  const form = document.querySelector("form[data-clock-form]");
  if (!form || !window.ClockQueue || !("indexedDB" in window)) return;
  const CACHE = "rathaus-worktime-v1";
  const texts = form.dataset;
  const box = document.querySelector("[data-clock-queue]");
  const title = box.querySelector("[data-clock-queue-text]");
  const list = box.querySelector("[data-clock-queue-list]");
  const button = form.querySelector("[data-clock-button]");
  const action = form.querySelector("input[name=action]");
  const places = form.querySelector("fieldset");
  const state = document.querySelector("[data-clock-state]");
  const language = document.documentElement.lang || "de";

  function placeLabel(place) {
    return texts["place" + place.charAt(0).toUpperCase() + place.slice(1)] || place;
  }

  function timeOf(iso) {
    return new Date(iso).toLocaleString(language, { day: "2-digit", month: "2-digit",
                                                    hour: "2-digit", minute: "2-digit" });
  }

  function smallButton(label, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "link-button worktime-queue__discard";
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  }

  // The button offers what follows the last event kept here.
  function offer(next) {
    action.value = next;
    button.querySelector(".kern-label").textContent = next === "in" ? texts.textIn
      : texts.textOut;
    if (places) places.hidden = next === "out";
  }

  async function showQueue(result, note) {
    const items = await ClockQueue.all();
    list.replaceChildren();
    items.forEach(function (item) {
      const line = document.createElement("li");
      let words = (item.action === "in" ? texts.textIn : texts.textOut) + " " + timeOf(item.at);
      if (item.place && item.place !== "office" && item.action === "in") {
        words += " (" + placeLabel(item.place) + ")";
      }
      words += " – " + (item.problem ? texts.textRefused + " " + item.problem
        : texts.textWaiting);
      line.append(words);
      if (item.problem) {
        line.append(" ", smallButton(texts.textRetry, async function () {
          await ClockQueue.retry(item.clientId);
          sendQueue();
        }), " ", smallButton(texts.textDiscard, async function () {
          await ClockQueue.remove(item.clientId);
          showQueue(null);
        }));
      }
      list.append(line);
    });
    title.replaceChildren();
    if (note) title.append(note);
    else if (items.some(function (item) { return !item.problem; })) title.append(texts.textSaved);
    if (result && result.state === "login" && items.length) {
      const login = document.createElement("a");
      login.className = "kern-link";
      login.href = texts.loginUrl;
      login.textContent = texts.textLoginLink;
      title.replaceChildren(texts.textLogin, " ", login);
    }
    box.hidden = !items.length && !note;
    form.dataset.clockQueueCount = String(items.length);
    const waiting = items.filter(function (item) { return !item.problem; });
    if (waiting.length) {
      const last = waiting[waiting.length - 1];
      offer(last.action === "in" ? "out" : "in");
      const clock = new Date(last.at).toLocaleTimeString(language, { hour: "2-digit",
                                                                     minute: "2-digit" });
      state.textContent = (last.action === "in" ? texts.textQueuedIn : texts.textQueuedOut)
        .replace("{time}", clock);
    }
  }

  let sending = false;
  async function sendQueue() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      const result = await ClockQueue.flush(texts.syncUrl);
      if (result.sent) {
        location.replace(texts.scope); // the page as the server has it now
        return;
      }
      await showQueue(result);
    } finally {
      sending = false;
    }
  }

  let registration = null;
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(texts.workerUrl, { scope: texts.scope })
      .then(function (found) { registration = found; })
      .catch(function () { registration = null; });
    // On the first visit the worker did not see this page load: keep the clock page
    // and its static files now, so that the app opens without network.
    if (!navigator.serviceWorker.controller && "caches" in window) {
      navigator.serviceWorker.ready.then(function () {
        const urls = new Set([texts.scope]);
        document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
          urls.add(el.href || el.src);
        });
        return caches.open(CACHE).then(function (cache) { return cache.addAll(Array.from(urls)); });
      }).catch(function () {});
    }
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (!event.data || event.data.type !== "worktime-sent") return;
      if (event.data.result.sent) location.replace(texts.scope);
      else showQueue(event.data.result);
    });
  }

  form.addEventListener("submit", async function (event) {
    if (navigator.onLine) return; // posts as usual; the worker keeps it in a dead zone
    event.preventDefault();
    const place = form.querySelector("input[name=place]:checked");
    try {
      await ClockQueue.put(ClockQueue.event(action.value, place ? place.value : "office"));
    } catch (error) {
      await showQueue(null, texts.textQueueFailed);
      return;
    }
    await showQueue(null);
    if (registration && registration.sync) {
      registration.sync.register("worktime-clock").catch(function () {});
    }
  });

  // Logging out forgets the kept clock page (the queue stays: it is not sent yet).
  document.querySelectorAll("form[action='" + texts.logoutUrl + "']").forEach(function (out) {
    out.addEventListener("submit", function (event) {
      if (!("caches" in window)) return;
      event.preventDefault();
      caches.delete(CACHE).finally(function () { out.submit(); });
    });
  });

  window.addEventListener("online", sendQueue);
  window.setInterval(sendQueue, 30000);
  const saved = new URLSearchParams(location.search).has("gespeichert");
  showQueue(null, saved ? texts.textSaved : "").then(sendQueue);
})();
