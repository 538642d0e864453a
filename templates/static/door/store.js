// What the door's device keeps across reloads and network failures, in IndexedDB:
//   kv     the door's details and the venue's check-in list, by key
//   queue  check-ins made offline, by scan_id, until the server has answered them with 200
// Without IndexedDB (a private window in some browsers) it keeps them in memory only.
(function (D) {
  "use strict";

  var NAME = "dagplanner-door", VERSION = 1;
  var memory = { kv: {}, queue: {} };
  var opened = null;

  function open() {
    if (opened) return opened;
    opened = new Promise(function (resolve) {
      if (!window.indexedDB) return resolve(null);
      var req;
      try {
        req = indexedDB.open(NAME, VERSION);
      } catch (e) {
        return resolve(null);
      }
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
        if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "scan_id" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { resolve(null); };
      req.onblocked = function () { resolve(null); };
    });
    return opened;
  }

  // run performs fn on one object store and resolves with the request's result once the
  // transaction has committed, so a resolved write is on disk before the answer shows.
  // Without IndexedDB fn gets the store's in-memory object instead and returns the result.
  function run(store, mode, fn) {
    return open().then(function (db) {
      if (!db) return fn(null, memory[store]);
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var req = fn(tx.objectStore(store));
        tx.oncomplete = function () { resolve(req ? req.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error("aborted")); };
      });
    });
  }

  function get(key) {
    return run("kv", "readonly", function (s, mem) { return s ? s.get(key) : mem[key]; });
  }

  function put(key, value) {
    return run("kv", "readwrite", function (s, mem) {
      if (!s) { mem[key] = value; return null; }
      return s.put(value, key);
    });
  }

  function del(key) {
    return run("kv", "readwrite", function (s, mem) {
      if (!s) { delete mem[key]; return null; }
      return s.delete(key);
    });
  }

  function queueAdd(item) {
    return run("queue", "readwrite", function (s, mem) {
      if (!s) { mem[item.scan_id] = item; return null; }
      return s.put(item);
    });
  }

  // queueAll resolves with every waiting scan, oldest first.
  function queueAll() {
    return run("queue", "readonly", function (s, mem) {
      return s ? s.getAll() : Object.keys(mem).map(function (k) { return mem[k]; });
    }).then(function (items) {
      return items.sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : a.scanned_at > b.scanned_at ? 1 : 0; });
    });
  }

  function queueDelete(scanID) {
    return run("queue", "readwrite", function (s, mem) {
      if (!s) { delete mem[scanID]; return null; }
      return s.delete(scanID);
    });
  }

  D.store = { get: get, put: put, del: del, queueAdd: queueAdd, queueAll: queueAll, queueDelete: queueDelete };
})(window.DagplannerDoor = window.DagplannerDoor || {});
