// Clock events kept on the phone while it is offline (docs/decisions/0039), used by the
// clock page (clock.js) and by the service worker (worktime-sw.js). Each event is
// {clientId, action "in"/"out", at (the device's time, ISO), place}; `flush` sends them
// one after the other in the order they were made to the sync endpoint
// (worktime/clock_sync.py). Only "created" and "duplicate" take an event off the queue,
// so each is recorded exactly once however often it is sent; one refused keeps its
// reason (`problem`) and waits until the employee sends it again or discards it.
(function (global) {
  "use strict";
  const store = global.OfflineStore.open("rathaus-worktime", "clock-events", "clientId");
  const KEPT = ["created", "duplicate"];

  function event(action, place, clientId) {
    return {
      clientId: clientId || global.OfflineStore.newId(),
      action: action === "out" ? "out" : "in",
      place: place || "office",
      at: new Date().toISOString(),
      problem: "",
    };
  }

  async function all() {
    const items = await store.all();
    return items.sort(function (a, b) { return a.at < b.at ? -1 : a.at > b.at ? 1 : 0; });
  }

  async function sendOne(syncUrl, token, item, result) {
    const sent = await global.OfflineStore.post(
      syncUrl, token,
      JSON.stringify({ client_id: item.clientId, action: item.action, at: item.at,
                       place: item.place }),
      { "Content-Type": "application/json" });
    if (sent.state !== "answered") {
      result.state = sent.state;
      return;
    }
    const answer = sent.answer;
    if (answer && KEPT.indexOf(answer.status) !== -1) {
      await store.remove(item.clientId);
      result.sent += 1;
    } else if (sent.status === 400 || sent.status === 404) {
      item.problem = (answer && answer.message) || String(sent.status);
      await store.put(item);
      result.refused += 1;
    } else {
      result.state = "retry";
    }
  }

  async function send(syncUrl) {
    // Events refused before wait for the employee ("Send again" or "Discard").
    const items = (await all()).filter(function (item) { return !item.problem; });
    const result = { state: "done", sent: 0, refused: 0 };
    if (!items.length) return result;
    const ready = await global.OfflineStore.csrfToken(syncUrl);
    if (ready.state !== "ready") return Object.assign(result, { state: ready.state });
    for (const item of items) {
      await sendOne(syncUrl, ready.token, item, result);
      if (result.state !== "done") break;
    }
    return result;
  }

  // One sender at a time across the pages and the service worker.
  function flush(syncUrl) {
    return global.OfflineStore.oneAtATime("rathaus-worktime-sync", function () {
      return send(syncUrl);
    });
  }

  async function retry(clientId) {
    const item = (await all()).find(function (found) { return found.clientId === clientId; });
    if (item) {
      item.problem = "";
      await store.put(item);
    }
  }

  global.ClockQueue = { event: event, put: store.put, all: all, remove: store.remove,
                        retry: retry, flush: flush };
})(self);
