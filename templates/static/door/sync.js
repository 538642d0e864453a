// The scan page's link with the server: the device token, the JSON API, the copy of the
// venue's check-in list and the event's keys, and the queue of check-ins made offline, which
// it sends when the network is back. A queued scan leaves IndexedDB only once the server
// has answered it with 200; its scan_id makes sending it twice harmless.
(function (D) {
  "use strict";

  var TOKEN_KEY = "dagplanner.door.token";
  var venueParam = new URLSearchParams(location.search).get("locatie") || "";

  var S = {
    venueParam: venueParam,
    token: "",
    door: null, // the answer of GET /api/v1/door
    list: null, // the check-in list, indexed by D.ticket.indexList
    listAt: 0, // when the list was last fetched (ms)
    keys: [], // the event's public keys
    online: navigator.onLine !== false, // did the last request reach the server?
    queue: [], // scans waiting to be sent, oldest first
    sent: {}, // check-in ids of sent scans, by scan_id, so the last one can still be undone
    conflicts: 0, // sent scans the server answered with something other than admitted
    onChange: function () {}, // called when online, queue or list change
    onUnpaired: function () {} // called when the server refuses the device (401)
  };

  try {
    S.token = localStorage.getItem(TOKEN_KEY) || "";
  } catch (e) { /* storage blocked: the session cookie may still work */ }

  // A pairing link /deur#token=dpd_... hands the device its token; keep it, and take it out
  // of the address bar and history.
  var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    setToken(decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }

  function setToken(t) {
    S.token = t;
    try {
      if (t) localStorage.setItem(TOKEN_KEY, t);
      else localStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* kept for this page only */ }
  }

  function withVenue(path, venue) {
    if (!venue) return path;
    return path + (path.indexOf("?") < 0 ? "?" : "&") + "venue=" + encodeURIComponent(venue);
  }

  // api calls the JSON API and resolves with {status, data}; it rejects with {network: true}
  // when the server cannot be reached in time or answers 5xx through a proxy.
  function api(method, path, body, timeout, venue) {
    var headers = { Accept: "application/json" };
    if (S.token) headers.Authorization = "Bearer " + S.token;
    if (body) headers["Content-Type"] = "application/json";
    var ctrl = new AbortController();
    var timer = setTimeout(function () { ctrl.abort(); }, timeout || 8000);
    return fetch(withVenue(path, venue === undefined ? venueParam : venue), {
      method: method, headers: headers, body: body ? JSON.stringify(body) : undefined,
      credentials: "same-origin", cache: "no-store", signal: ctrl.signal
    }).then(function (r) {
      clearTimeout(timer);
      if (r.status >= 502) throw new Error("server unreachable: " + r.status);
      return r.json().catch(function () { return {}; }).then(function (data) {
        setOnline(true);
        return { status: r.status, data: data };
      });
    }).catch(function (err) {
      clearTimeout(timer);
      setOnline(false);
      throw { network: true, error: err };
    });
  }

  function setOnline(v) {
    if (S.online === v) return;
    S.online = v;
    S.onChange();
    if (v) flush();
  }

  function doorKey() { return "door:" + venueParam; }

  // load reads what the device kept from earlier visits: the door, its list, keys and queue.
  function load() {
    return D.store.get(doorKey()).then(function (door) {
      if (door && !S.door) S.door = door;
      return S.door ? D.store.get("list:" + S.door.venue.slug) : null;
    }).then(function (kept) {
      if (kept && !S.list) {
        S.list = D.ticket.indexList(kept.data);
        S.listAt = kept.at;
      }
      return D.store.get("keys");
    }).then(function (keys) {
      if (keys && !S.keys.length) S.keys = keys;
      return reloadQueue();
    });
  }

  // connect asks the server who this device is. It resolves with "paired", "offline" or
  // {problem: message} (not paired, another venue, no venue chosen).
  function connect() {
    return api("GET", "/api/v1/door", null, 8000).then(function (res) {
      if (res.status === 200) {
        S.door = res.data;
        D.store.put(doorKey(), res.data);
        refreshKeys();
        refreshList();
        return "paired";
      }
      var msg = res.data && res.data.error ? res.data.error.message : "";
      return { problem: msg, status: res.status };
    }, function () { return "offline"; });
  }

  // forget removes the door and its list (names of attendees) from the device, when it is
  // unpaired or the server no longer accepts it. Waiting scans stay until they are sent.
  function forget() {
    var slug = S.door && S.door.venue.slug;
    S.door = null;
    S.list = null;
    S.listAt = 0;
    D.store.del(doorKey());
    if (slug) D.store.del("list:" + slug);
    S.onChange();
  }

  function refreshKeys() {
    return api("GET", "/api/v1/event/keys", null, 8000).then(function (res) {
      if (res.status === 200 && res.data.keys && res.data.keys.length) {
        S.keys = res.data.keys;
        D.store.put("keys", S.keys);
      }
    }, function () {});
  }

  // refreshList fetches the venue's check-in list and keeps a copy on the device. Once it
  // has a copy it asks only for what changed since (?since=the copy's cursor).
  function refreshList() {
    if (!S.door) return Promise.resolve();
    var slug = S.door.venue.slug;
    var path = "/api/v1/venues/" + encodeURIComponent(slug) + "/checkin-list";
    var base = S.list && S.list.data.venue && S.list.data.venue.slug === slug ? S.list.data : null;
    if (base && base.cursor) path += "?since=" + encodeURIComponent(base.cursor);
    return api("GET", path, null, 20000).then(function (res) {
      if (res.status === 401) return S.onUnpaired();
      if (res.status !== 200) return;
      var data = res.data.delta && base ? D.ticket.mergeList(base, res.data) : res.data;
      S.list = D.ticket.indexList(data);
      S.listAt = Date.now();
      if (S.list.keys.length) S.keys = S.list.keys;
      S.onChange();
      return D.store.put("list:" + slug, { data: data, at: S.listAt });
    }, function () {});
  }

  var saving = 0;

  // saveListSoon keeps the list's copy up to date after answers changed it, at most every 2 s.
  function saveListSoon() {
    if (saving || !S.list || !S.door) return;
    saving = setTimeout(function () {
      saving = 0;
      D.store.put("list:" + S.door.venue.slug, { data: S.list.data, at: S.listAt });
    }, 2000);
  }

  // note records a server's answer in the list's copy, so that an offline scan a moment
  // later knows about it.
  function note(answer) {
    if (!S.list || !answer.registration) return;
    var a = S.list.byID[answer.registration];
    if (!a) return;
    if (answer.result === "admitted" && answer.id) {
      a.checkin = { id: answer.id, checked_in_at: answer.checked_in_at, door: (S.door && S.door.door) || "" };
    } else if (answer.result === "already_checked_in" && !a.checkin) {
      a.checkin = { id: answer.id, checked_in_at: answer.first_checked_in_at, door: answer.door || "" };
    } else if (answer.result === "undone") {
      a.checkin = null;
    } else {
      return;
    }
    saveListSoon();
  }

  function reloadQueue() {
    return D.store.queueAll().then(function (items) {
      S.queue = items;
      S.onChange();
    });
  }

  // queued maps registration ids to the scans waiting on this device.
  function queued() {
    var out = {};
    S.queue.forEach(function (q) { if (!q.undo) out[q.registration] = q; });
    return out;
  }

  function enqueue(item) {
    item.venue_param = venueParam;
    return D.store.queueAdd(item).then(function () {
      S.queue.push(item);
      S.onChange();
    });
  }

  function dequeue(scanID) {
    return D.store.queueDelete(scanID).then(function () {
      S.queue = S.queue.filter(function (q) { return q.scan_id !== scanID; });
      S.onChange();
    });
  }

  function isQueued(scanID) {
    return S.queue.some(function (q) { return q.scan_id === scanID && !q.undo; });
  }

  // wasTried reports whether a queued scan was sent once and its answer lost.
  function wasTried(scanID) {
    return S.queue.some(function (q) { return q.scan_id === scanID && q.tried; });
  }

  // markUndo keeps a queued scan to send, marked to be undone as soon as the server has it.
  function markUndo(scanID) {
    var item = S.queue.filter(function (q) { return q.scan_id === scanID; })[0];
    if (!item) return Promise.resolve();
    item.undo = true;
    return D.store.queueAdd(item).then(function () { S.onChange(); });
  }

  var flushing = null;

  // flush sends the waiting scans, oldest first, and stops at the first network failure.
  function flush() {
    if (flushing) return flushing;
    if (!S.queue.length) return Promise.resolve();
    flushing = D.store.queueAll().then(function (items) {
      return items.reduce(function (p, item) {
        return p.then(function () { return send(item); });
      }, Promise.resolve());
    }).catch(function () { /* offline again or not paired: the rest waits */ }).then(function () {
      flushing = null;
      return reloadQueue();
    }).then(function () {
      return refreshList();
    });
    return flushing;
  }

  function send(item) {
    return api("POST", "/api/v1/checkins", item.body, 10000, item.venue_param).then(function (res) {
      if (res.status === 200 && item.body.session) {
        // A room's scan: the server counted it once, by its scan_id, whatever it answers now.
        return dequeue(item.scan_id);
      }
      if (res.status === 200) {
        var admitted = res.data.result === "admitted";
        if (item.undo && admitted && res.data.id) {
          // Undone on the device before the server had it: undo it there too, then let go.
          return api("DELETE", "/api/v1/checkins/" + res.data.id, null, 10000, item.venue_param).then(function (del) {
            if (del.status === 200 || del.status === 404) return dequeue(item.scan_id);
            throw new Error("undo: " + del.status);
          });
        }
        // Only this device's own check-in may be undone from here: an "already checked in"
        // answer carries another door's check-in.
        if (admitted) S.sent[item.scan_id] = res.data.id;
        else if (!item.undo) S.conflicts++;
        return dequeue(item.scan_id);
      }
      if (res.status === 401) {
        S.onUnpaired();
        throw new Error("not paired");
      }
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        // The server refused the scan itself (say a scan id this device reused): sending it
        // again cannot help. It is counted with the scans that need a look.
        S.conflicts++;
        return dequeue(item.scan_id);
      }
      // A server error or no answer: keep the scan and try again later.
    });
  }

  // scanID is unique per scan: the server answers a repeated one as it did the first time.
  function scanID() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  S.setToken = setToken;
  S.api = api;
  S.load = load;
  S.forget = forget;
  S.connect = connect;
  S.refreshList = refreshList;
  S.flush = flush;
  S.note = note;
  S.queued = queued;
  S.enqueue = enqueue;
  S.dequeue = dequeue;
  S.isQueued = isQueued;
  S.wasTried = wasTried;
  S.markUndo = markUndo;
  S.scanID = scanID;
  D.sync = S;
})(window.DagplannerDoor = window.DagplannerDoor || {});
