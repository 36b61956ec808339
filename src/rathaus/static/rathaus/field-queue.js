// The field app's offline queue (docs/decisions/0039-offline-field-app.md), used by the
// pages (field.js) and by the service worker (field-sw.js): inspections recorded
// offline wait in IndexedDB, with their photos as Blobs, under the client id made when
// they were first submitted. `flush` sends each to the sync endpoint, one after the
// other; only "created", "duplicate" and "conflict" take one off the queue, so every
// inspection is stored exactly once however often it is sent.
(function (global) {
  "use strict";
  const DB_NAME = "rathaus-field";
  const STORE = "inspections";
  const KEPT = ["created", "duplicate", "conflict"];
  const PARALLEL = 2;

  // IndexedDB, the CSRF token and posting: offline-store.js, loaded before this file.
  const store = global.OfflineStore.open(DB_NAME, STORE, "clientId");
  const put = store.put;
  const all = store.all;
  const remove = store.remove;

  function body(item) {
    const data = new FormData();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    item.photos.forEach(function (photo) { data.append("photos", photo.blob, photo.name); });
    return data;
  }

  function problemOf(answer) {
    if (!answer) return "";
    const lines = answer.message ? [answer.message] : [];
    Object.keys(answer.errors || {}).forEach(function (field) {
      answer.errors[field].forEach(function (message) { lines.push(message); });
    });
    return lines.join(" ");
  }

  async function send(syncUrl) {
    const items = await all();
    const result = { state: "done", sent: 0, conflicts: 0, left: items.length };
    if (!items.length) return result;
    const ready = await global.OfflineStore.csrfToken(syncUrl);
    if (ready.state !== "ready") return Object.assign(result, { state: ready.state });
    const token = ready.token;
    // Two at a time (a server has at least two workers), but each asset's inspections
    // one after the other in the order they were recorded, so a later one is never
    // applied before an earlier one.
    items.sort(function (a, b) { return a.queuedAt < b.queuedAt ? -1 : 1; });
    const byAsset = new Map();
    items.forEach(function (item) {
      if (!byAsset.has(item.asset)) byAsset.set(item.asset, []);
      byAsset.get(item.asset).push(item);
    });
    const groups = Array.from(byAsset.values());
    async function sender() {
      while (result.state === "done" && groups.length) {
        const group = groups.shift();
        for (const item of group) {
          if (result.state !== "done") return;
          await sendOne(syncUrl, token, item, result);
        }
      }
    }
    const senders = [];
    for (let i = 0; i < Math.min(PARALLEL, groups.length); i += 1) senders.push(sender());
    await Promise.all(senders);
    return result;
  }

  async function sendOne(syncUrl, token, item, result) {
    const sent = await global.OfflineStore.post(syncUrl, token, body(item));
    if (sent.state !== "answered") {
      result.state = sent.state;
      return;
    }
    const answer = sent.answer;
    if (answer && KEPT.indexOf(answer.status) !== -1) {
      await remove(item.clientId);
      result.sent += 1;
      result.left -= 1;
      if (answer.conflict) result.conflicts += 1;
    } else if (sent.status === 400 || sent.status === 404) {
      // Refused: it stays, with the reason, until the inspector deals with it.
      item.problem = problemOf(answer);
      await put(item);
    } else {
      result.state = "retry";
    }
  }

  // One sender at a time across the pages and the service worker.
  function flush(syncUrl) {
    return global.OfflineStore.oneAtATime("rathaus-field-sync", function () {
      return send(syncUrl);
    });
  }

  // The queue's item for a submitted inspection form: its fields without the page's
  // CSRF token, its photos as Blobs, a client id made now (kept for every resend) and
  // the time of recording.
  function itemFrom(data) {
    const clientId = global.OfflineStore.newId();
    const fields = [];
    const photos = [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "client_id"
          || name === "inspected_at") return;
      if (typeof value === "object" && value !== null && "size" in value) {
        if (value.size) photos.push({ name: value.name, type: value.type, blob: value });
        return;
      }
      fields.push([name, value]);
    });
    fields.push(["client_id", clientId], ["inspected_at", new Date().toISOString()]);
    return {
      clientId: clientId, asset: data.get("asset"),
      label: data.get("asset_number") || data.get("asset"),
      fields: fields, photos: photos, queuedAt: new Date().toISOString(), problem: "",
    };
  }

  global.FieldQueue = { put: put, all: all, remove: remove, flush: flush, itemFrom: itemFrom };
})(self);
