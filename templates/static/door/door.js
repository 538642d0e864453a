// The door's scan page: pairing, the answer to every scan in colour, words and sound, undo,
// the name search, the handheld scanner's field and the camera. Scans go to the server; when
// it cannot be reached, the device checks them itself (ticket.js) and queues them (sync.js).
(function (D) {
  "use strict";

  var root = document.getElementById("door");
  if (!root || !D.sync || !D.ticket || !D.store || !D.room) return;
  var S = D.sync;
  var R = D.room;
  var M = JSON.parse(document.getElementById("door-messages").textContent);
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var el = function (id) { return document.getElementById(id); };
  var E = {
    where: el("door-where"), net: el("door-net"), waiting: el("door-waiting"), fresh: el("door-fresh"),
    pair: el("door-pair"), pairForm: el("door-pair-form"), token: el("door-token"), pairProblem: el("door-pair-problem"),
    scan: el("door-scan"), answer: el("door-answer"), icon: el("door-answer-icon"), kind: el("door-answer-kind"),
    headline: el("door-answer-headline"), detail: el("door-answer-detail"), extra: el("door-answer-extra"),
    undo: el("door-undo"), codeForm: el("door-code-form"), code: el("door-code"),
    camera: el("door-camera"), cameraProblem: el("door-camera-problem"), video: el("door-video"),
    searchForm: el("door-search-form"), search: el("door-search"), searchCount: el("door-search-count"), results: el("door-results"),
    sound: el("door-sound"), unpair: el("door-unpair"),
    walkinForm: el("door-walkin-form"), walkinFields: el("door-walkin-fields"), walkinOffline: el("door-walkin-offline"),
    walkinResult: el("door-walkin-result"),
    room: el("door-room"), roomStatus: el("door-room-status"), roomWhere: el("door-room-where"),
    roomSeats: el("door-room-seats"), roomFigures: el("door-room-figures"), roomEmpty: el("door-room-empty")
  };

  // t renders a message from the catalogue, filling in {Name}-style placeholders.
  function t(key, args) {
    var s = M[key] || key;
    Object.keys(args || {}).forEach(function (k) { s = s.split("{" + k + "}").join(args[k] == null ? "" : args[k]); });
    return s;
  }

  // Times are the event's clock (data-zone), whatever zone the device is set to.
  var clock;
  try {
    clock = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "nl-NL", { hour: "2-digit", minute: "2-digit", timeZone: root.dataset.zone || "Europe/Amsterdam" });
  } catch (e) { // a zone this browser does not know
    clock = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "nl-NL", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Amsterdam" });
  }
  function time(iso) {
    var d = iso ? new Date(iso) : null;
    return d && !isNaN(d) ? clock.format(d) : "";
  }

  // ---- status line: online or offline, scans waiting, age of the list

  function renderStatus() {
    E.net.dataset.net = S.online ? "online" : "offline";
    E.net.textContent = S.online ? t("door.status_online") : t("door.status_offline");
    var n = S.queue.length;
    E.waiting.textContent = n === 0 ? "" : n === 1 ? t("door.waiting_one", { N: 1 }) : t("door.waiting_other", { N: n });
    E.waiting.dataset.count = String(n);
    var fresh = !S.door ? "" : S.listAt ? t("door.list_updated", { Time: time(new Date(S.listAt).toISOString()) }) : t("door.no_list");
    if (S.conflicts) fresh += " " + t("door.sync_conflicts", { N: S.conflicts });
    E.fresh.textContent = fresh;
    E.where.textContent = !S.door ? "" : S.door.door ? t("door.paired_as", { Venue: S.door.venue.name, Door: S.door.door }) : S.door.venue.name;
    renderWalkIn();
    renderRoom();
  }
  S.onChange = renderStatus;

  // ---- room mode: the choice of room and its figures

  function sessionLabel(s) {
    return t("room.option", { Time: time(s.starts_at), Room: s.room, Title: s.title });
  }

  function renderRoom() {
    var sel = E.room;
    var chosen = R.session();
    var list = R.sessions.slice();
    if (chosen && !list.some(function (s) { return s.id === chosen.id; })) list.push(chosen);
    var want = [""].concat(list.map(function (s) { return String(s.id); }));
    var have = Array.prototype.map.call(sel.options, function (o) { return o.value; });
    if (have.join(",") !== want.join(",")) {
      while (sel.options.length > 1) sel.remove(1);
      list.forEach(function (s) {
        var o = document.createElement("option");
        o.value = String(s.id);
        o.textContent = sessionLabel(s);
        sel.appendChild(o);
      });
    }
    E.roomEmpty.textContent = list.length ? "" : t("room.no_sessions");
    if (sel.value !== String(R.chosen || "")) sel.value = String(R.chosen || "");
    E.roomStatus.hidden = !R.chosen;
    if (!R.chosen) return;
    var st = R.state;
    E.roomWhere.textContent = chosen ? t("room.scanning_for", { Title: chosen.title, Room: chosen.room, Time: time(chosen.starts_at) }) : "";
    E.roomSeats.textContent = st ? st.seats_message : "";
    E.roomFigures.textContent = !st ? "" : t("room.figures", { In: st.scanned_in, Waiting: st.waiting_at_door }) +
      (st.release_at ? " " + t("room.release_at", { Time: time(st.release_at) }) : "");
  }
  R.onChange = renderRoom;

  // ---- screens

  function showScan() {
    root.dataset.state = "scan";
    E.pair.hidden = true;
    E.scan.hidden = false;
    renderStatus();
    focusScanField();
  }

  // focusScanField readies the code field for the next scan where there is a keyboard or a
  // handheld scanner; on a touch screen the on-screen keyboard would cover the answer.
  function focusScanField() {
    if (window.matchMedia && matchMedia("(pointer: fine)").matches) E.code.focus();
  }

  function showPair(problem) {
    root.dataset.state = "pair";
    D.camera && D.camera.stop();
    E.scan.hidden = true;
    E.pair.hidden = false;
    E.pairProblem.textContent = problem || "";
    E.pairProblem.hidden = !problem;
    renderStatus();
  }
  S.onUnpaired = function () {
    S.forget();
    showPair(t("door.unpaired"));
  };

  function connect() {
    return S.connect().then(function (r) {
      if (r === "paired") showScan();
      else if (r === "offline") {
        if (S.door) showScan(); else showPair(t("door.pair_offline"));
      } else if (r.status === 401) {
        if (S.door) S.forget();
        showPair(S.token ? t("door.pair_failed") : "");
      }
      else showPair(r.problem || t("door.server_error", { Message: r.status }));
    });
  }

  // ---- the answer

  var seq = 0;
  var last = null; // what Undo undoes: {id, scanID, name, registration}

  var KIND = {
    admitted: "admitted", already_checked_in: "warning",
    wrong_venue: "refused", cancelled: "refused", superseded: "refused", invalid: "refused"
  };
  var ICON = { admitted: "\u2713", warning: "!", refused: "\u2715", ready: "\u25B6", info: "i" };

  function paint(kind, kindText, headline, detail, extra) {
    E.answer.dataset.result = kind;
    E.icon.textContent = ICON[kind] || "";
    E.kind.textContent = kindText;
    E.headline.textContent = headline;
    E.detail.textContent = detail || "";
    E.extra.textContent = extra || "";
    E.answer.dataset.seq = String(++seq);
  }

  function sessionLine(s) {
    if (!s || !s.title) return "";
    return s.room ? t("door.first_session", { Title: s.title, Time: time(s.starts_at), Room: s.room })
      : t("door.first_session_no_room", { Title: s.title, Time: time(s.starts_at) });
  }

  var ROOM_KIND = {
    in_session: "admitted", already_in_session: "warning", elsewhere: "refused", not_booked: "refused", not_registered: "refused"
  };

  // roomHeadline is a room door's answer in words, as the server words it.
  function roomHeadline(a) {
    var name = a.attendee ? a.attendee.name : "";
    switch (a.result) {
      case "in_session": return t("room.in_session", { Name: name });
      case "already_in_session": return t("room.already", { Name: name, Time: time(a.first_scanned_at), Door: a.door || "" });
      case "waitlisted":
        if (a.seat_free) return t("room.waitlisted_seat", { Name: name });
        return t(a.offline ? "room.offline_waitlisted" : "room.waitlisted_full", { Name: name, Position: a.position || "?" });
      case "elsewhere": return t("room.elsewhere", { Name: name, Title: a.session_title, Room: a.room });
      case "not_booked": return t("room.not_booked", { Name: name });
      default: return t("room.not_registered");
    }
  }

  // showRoom puts a room door's answer on screen; like every answer it says in words and
  // with an icon what its colour says.
  function showRoom(a, offline) {
    var kind = a.result === "waitlisted" ? (a.seat_free ? "admitted" : "warning") : ROOM_KIND[a.result] || "refused";
    var kindText = kind === "admitted" ? t("room.kind_in") : a.result === "waitlisted" ? t("room.kind_wait")
      : kind === "refused" ? t("room.kind_not_here") : t("door.kind_warning");
    var detail = a.attendee ? [a.attendee.name, a.attendee.organisation].filter(Boolean).join(", ") : "";
    paint(kind, kindText, roomHeadline(a), detail, offline ? t("door.checked_offline") : "");
    last = null;
    E.undo.hidden = true;
    beep(kind);
  }

  // show puts an answer on screen: colour (data-result), an icon, words, and a sound.
  function show(a, offline) {
    var kind = KIND[a.result] || "refused";
    var who = a.attendee ? [a.attendee.name, a.attendee.organisation].filter(Boolean).join(", ") : "";
    var headline, detail = who;
    switch (a.result) {
      case "admitted":
        headline = t("door.welcome", { Name: a.attendee ? a.attendee.name : "" });
        detail = [a.attendee && a.attendee.organisation, sessionLine(a.session)].filter(Boolean).join(" \u00B7 ");
        break;
      case "already_checked_in":
        headline = a.door ? t("door.already", { Time: time(a.first_checked_in_at), Door: a.door })
          : t("door.already_no_door", { Time: time(a.first_checked_in_at) });
        break;
      case "wrong_venue":
        headline = t(a.cancelled ? "door.wrong_venue_cancelled" : "door.wrong_venue", { Venue: a.venue_name || a.venue || "" });
        break;
      case "cancelled": headline = t("door.cancelled"); break;
      case "superseded": headline = t("door.superseded"); break;
      case "invalid": headline = t("door.invalid"); detail = ""; break;
      default: headline = a.message || t("door.invalid");
    }
    paint(kind, t("door.kind_" + kind), headline, detail, offline ? t("door.checked_offline") : "");
    last = a.result === "admitted" ? { id: a.id, scanID: a.scan_id, name: a.attendee ? a.attendee.name : "", registration: a.registration } : null;
    E.undo.hidden = !last;
    E.undo.disabled = false;
    beep(kind);
  }

  function showProblem(text) {
    paint("refused", t("door.kind_refused"), text, "", "");
    last = null;
    E.undo.hidden = true;
    beep("refused");
  }

  // ---- sound: a rising pair for admitted, two equal tones for a warning, a low buzz for no

  var audio = null;
  var TONES = {
    admitted: { type: "sine", notes: [[880, 0, 0.12], [1320, 0.13, 0.2]] },
    warning: { type: "triangle", notes: [[660, 0, 0.15], [660, 0.25, 0.15]] },
    refused: { type: "square", notes: [[196, 0, 0.5]] }
  };

  function beep(kind) {
    var tone = TONES[kind];
    if (!tone || !E.sound.checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
      var now = audio.currentTime;
      tone.notes.forEach(function (n) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.type = tone.type;
        osc.frequency.value = n[0];
        gain.gain.setValueAtTime(0.0001, now + n[1]);
        gain.gain.exponentialRampToValueAtTime(0.25, now + n[1] + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + n[1] + n[2]);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(now + n[1]);
        osc.stop(now + n[1] + n[2] + 0.02);
      });
    } catch (e) { /* no sound on this device: colour and words still tell */ }
  }

  // ---- checking a scan

  // classify tells what was scanned or typed: a QR payload, a ticket code or neither.
  function classify(input) {
    if (typeof input === "object" && input && input.registration) return { registration: Number(input.registration) };
    var text = String(input == null ? "" : input).trim();
    if (!text) return null;
    if (D.ticket.isPayload(text)) return { payload: text };
    var code = D.ticket.normalizeCode(text);
    return D.ticket.isCode(code) ? { code: code, text: text } : { garbage: text };
  }

  function check(input) {
    var what = classify(input);
    if (!what) return Promise.resolve(null);
    if (what.garbage) {
      var a = { result: "invalid" };
      show(a, false);
      return Promise.resolve(a);
    }
    var body = what.registration ? { registration: what.registration } : { code: what.payload || what.text };
    body.scan_id = S.scanID();
    if (R.chosen) body.session = R.chosen;
    if (navigator.onLine === false && S.online) {
      S.online = false;
      renderStatus();
    }
    if (!S.online) return checkOffline(what, body);
    // A slow answer (the server far away, the network poor) shows it is being checked, so a
    // scan is not repeated in the meantime; a quick one never flickers.
    var slow = setTimeout(function () {
      E.answer.setAttribute("aria-busy", "true");
      E.kind.textContent = t("door.checking");
    }, 300);
    var done = function (x) {
      clearTimeout(slow);
      E.answer.removeAttribute("aria-busy");
      return x;
    };
    return S.api("POST", "/api/v1/checkins", body, 3000).then(done, function (err) { done(); throw err; }).then(function (res) {
      if (res.status === 200 && body.session) {
        R.note(res.data);
        showRoom(res.data, false);
        return res.data;
      }
      if (res.status === 200) {
        res.data.scan_id = body.scan_id;
        S.note(res.data);
        show(res.data, false);
        return res.data;
      }
      if (res.status === 401) {
        S.onUnpaired();
        return null;
      }
      showProblem(t("door.server_error", { Message: (res.data.error && res.data.error.message) || res.status }));
      return null;
    }, function () {
      // The request may have reached the server and only its answer got lost.
      return checkOffline(what, body, true);
    });
  }

  // checkOffline decides with the device's copy of the list and queues an admission. The
  // queued scan keeps the scan_id of a request that may have reached the server after all.
  function checkOffline(what, body, tried) {
    if (!S.list) {
      showProblem(t("door.no_list"));
      return Promise.resolve(null);
    }
    if (body.session) return checkRoomOffline(what, body, tried);
    return decideOffline(what, S.queued()).then(function (a) {
      if (a.result !== "admitted") return a;
      return enqueueOffline(body, a, tried).then(function (now) {
        a.checked_in_at = now;
        return a;
      });
    }).then(function (a) {
      show(a, true);
      return a;
    });
  }

  // decideOffline answers a scan from the device's copy of the list (ticket.js): a QR payload
  // verified with the event's key, a typed code (another venue's found by its hint), or a
  // registration from the name search.
  function decideOffline(what, queued) {
    var venue = S.door.venue.slug;
    if (what.payload) {
      var ticket = D.ticket.decode(what.payload);
      return !ticket ? Promise.resolve({ result: "invalid" }) : D.ticket.verify(S.keys, ticket).then(function (ok) {
        return ok ? D.ticket.decide({ ticket: ticket }, S.list, venue, queued) : { result: "invalid" };
      });
    }
    if (what.code && !S.list.byCode[what.code]) {
      return D.ticket.otherVenue(S.list, what.code).then(function (other) {
        return D.ticket.decide({ code: what.code, otherVenue: other }, S.list, venue, queued);
      });
    }
    return Promise.resolve(D.ticket.decide(what.code ? { code: what.code } : { registration: what.registration }, S.list, venue, queued));
  }

  // enqueueOffline queues a scan judged offline, stamped with the device's time, to be sent
  // when the network is back; it resolves with that time.
  function enqueueOffline(body, a, tried, room) {
    var now = new Date().toISOString();
    body.scanned_at = now;
    a.scan_id = body.scan_id;
    return S.enqueue({
      scan_id: body.scan_id, body: body, registration: a.registration, name: a.attendee.name,
      scanned_at: now, door: (S.door && S.door.door) || "", tried: !!tried, room: !!room
    }).then(function () { return now; });
  }

  // checkRoomOffline finds the person on the venue's list (as the venue's door would) and
  // judges the scan with the room's copy of its slot's bookings; a scan the server records
  // (in_session, waitlisted) is queued, its scan_id making the replay count once.
  function checkRoomOffline(what, body, tried) {
    return decideOffline(what, {}).then(function (v) {
      var entry = v.registration && v.result !== "wrong_venue" ? S.list.byID[v.registration] : null;
      var a = R.decide(entry);
      if (a.result === "unknown_room") {
        showProblem(t("door.no_list"));
        return null;
      }
      if (a.result !== "in_session" && a.result !== "waitlisted") return a;
      return enqueueOffline(body, a, tried, true).then(function (now) {
        a.first_scanned_at = now;
        R.note(a);
        return a;
      });
    }).then(function (a) {
      if (a) showRoom(a, true);
      return a;
    });
  }

  // handle checks scans one at a time, in the order they came.
  var busy = Promise.resolve();
  function handle(input) {
    var job = busy.then(function () { return check(input); });
    busy = job.catch(function () {});
    return job;
  }

  // ---- undo

  function undo() {
    if (!last) return Promise.resolve();
    var it = last;
    E.undo.disabled = true;
    var done;
    if (it.scanID && S.isQueued(it.scanID)) {
      // Never sent: it just leaves the queue. Sent once without an answer: the server may
      // have it, so it goes out marked, and the check-in it makes is undone at once.
      done = S.wasTried(it.scanID) ? S.markUndo(it.scanID) : S.dequeue(it.scanID);
    } else {
      var id = it.id || S.sent[it.scanID];
      done = !id ? Promise.reject(new Error("nothing to undo")) : S.api("DELETE", "/api/v1/checkins/" + id, null, 8000).then(function (res) {
        if (res.status !== 200) throw new Error("undo: " + res.status);
      });
    }
    return done.then(function () {
      S.note({ result: "undone", registration: it.registration });
      last = null;
      E.undo.hidden = true;
      focusScanField(); // the Undo button that had the focus is gone
      paint("info", t("door.kind_info"), t("door.undone", { Name: it.name }), "", "");
    }, function () {
      E.undo.disabled = false;
      paint("refused", t("door.kind_refused"), t("door.undo_failed"), it.name, "");
    });
  }

  // ---- name search over the list's copy, for people without their ticket

  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function search() {
    var q = fold(E.search.value).trim();
    E.results.textContent = "";
    if (q.length < 2) {
      E.searchCount.textContent = "";
      return;
    }
    if (!S.list) {
      E.searchCount.textContent = t("door.no_list");
      return;
    }
    var words = q.split(/\s+/);
    var found = S.list.data.attendees.filter(function (a) {
      var hay = fold(a.name + " " + a.organisation);
      return words.every(function (w) { return hay.indexOf(w) >= 0; });
    }).slice(0, 20);
    E.searchCount.textContent = found.length === 0 ? t("door.search_none")
      : found.length === 1 ? t("door.search_count_one") : t("door.search_count_other", { N: found.length });
    var queued = S.queued();
    found.forEach(function (a) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "door__result";
      b.dataset.registration = String(a.id);
      var name = document.createElement("strong");
      name.textContent = a.name;
      b.appendChild(name);
      if (a.organisation) b.appendChild(document.createTextNode(" \u00B7 " + a.organisation));
      var state = a.status === "cancelled" ? t("door.search_cancelled") : (a.checkin || queued[a.id]) ? t("door.search_in") : "";
      if (state) {
        var tag = document.createElement("span");
        tag.className = "door__tag";
        tag.textContent = state;
        b.appendChild(document.createTextNode(" "));
        b.appendChild(tag);
      }
      li.appendChild(b);
      E.results.appendChild(li);
    });
  }

  // ---- walk-ins: someone without a registration is registered and let in at once. The
  // server decides whether a place is left, so this works online only: offline the form says
  // so and is disabled.

  var walkinBusy = false;
  var WALKIN_FIELDS = ["name", "organisation", "email"];

  function walkinOnline() { return S.online && navigator.onLine !== false; }

  function renderWalkIn() {
    if (!E.walkinForm) return;
    E.walkinFields.disabled = walkinBusy || !walkinOnline();
    E.walkinOffline.hidden = walkinOnline();
  }

  // walkinErrors shows the server's message next to each field it names (or clears them all),
  // and returns the first field with a problem.
  function walkinErrors(fields) {
    var first = null;
    WALKIN_FIELDS.forEach(function (f) {
      var input = el("door-walkin-" + f), err = el("door-walkin-" + f + "-error");
      var msg = fields && fields[f];
      err.textContent = msg || "";
      err.hidden = !msg;
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== err.id; });
      if (msg) {
        described.unshift(err.id);
        input.setAttribute("aria-invalid", "true");
        if (!first) first = input;
      } else {
        input.removeAttribute("aria-invalid");
      }
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
    });
    return first;
  }

  function walkIn() {
    if (walkinBusy) return Promise.resolve(null);
    walkinErrors(null);
    if (!walkinOnline()) {
      renderWalkIn();
      E.walkinResult.textContent = t("walkin.offline");
      return Promise.resolve(null);
    }
    var body = {
      name: el("door-walkin-name").value.trim(),
      organisation: el("door-walkin-organisation").value.trim()
    };
    var email = el("door-walkin-email").value.trim();
    if (email) body.email = email;
    walkinBusy = true;
    renderWalkIn();
    E.walkinResult.textContent = t("walkin.sending");
    var done = function () {
      walkinBusy = false;
      renderWalkIn();
    };
    return S.api("POST", "/api/v1/walkins", body, 8000).then(function (res) {
      done();
      var err = (res.data && res.data.error) || {};
      if (res.status === 201) {
        var r = res.data.registration;
        E.walkinForm.reset();
        E.walkinResult.textContent = res.data.message;
        paint("admitted", t("door.kind_admitted"), t("door.welcome", { Name: r.name }), r.organisation, "");
        last = null;
        E.undo.hidden = true;
        beep("admitted");
        S.refreshList(); // the door's copy gets the new person, checked in
        el("door-walkin-name").focus();
        return res.data;
      }
      if (res.status === 401) {
        S.onUnpaired();
        return null;
      }
      E.walkinResult.textContent = err.message || t("walkin.failed", { Message: res.status });
      if (err.code === "venue_full") {
        paint("refused", t("door.kind_refused"), t("walkin.full_headline"), err.message, "");
        beep("refused");
      }
      var bad = walkinErrors(err.fields);
      if (bad) bad.focus();
      return null;
    }, function () {
      // The request may have reached the server and only its answer got lost.
      done();
      E.walkinResult.textContent = t("walkin.unknown");
      return null;
    });
  }

  // ---- wiring

  if (E.walkinForm) {
    E.walkinForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      walkIn();
    });
  }

  E.codeForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var v = E.code.value;
    E.code.value = "";
    handle(v);
  });

  // A handheld scanner types wherever the focus is: when that is not a text field, send the
  // keystrokes to the code field instead of losing them.
  document.addEventListener("keydown", function (ev) {
    if (E.scan.hidden || ev.ctrlKey || ev.metaKey || ev.altKey || ev.key.length !== 1) return;
    var a = document.activeElement;
    if (a && (a.tagName === "INPUT" && a.type !== "checkbox" || a.tagName === "TEXTAREA" || a.tagName === "SELECT")) return;
    if (a && a.tagName === "BUTTON" && ev.key === " ") return; // the space bar presses the button
    E.code.focus();
  }, true);

  E.undo.addEventListener("click", undo);

  E.room.addEventListener("change", function () {
    last = null;
    E.undo.hidden = true;
    R.choose(E.room.value);
  });
  el("door-room-form").addEventListener("submit", function (ev) { ev.preventDefault(); });

  E.search.addEventListener("input", search);
  E.searchForm.addEventListener("submit", function (ev) { ev.preventDefault(); search(); });
  E.results.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-registration]");
    if (!b) return;
    E.search.value = "";
    search();
    focusScanField(); // the result that had the focus is gone
    handle({ registration: b.dataset.registration }).then(function () { E.answer.scrollIntoView({ block: "nearest" }); });
  });

  var lastCamera = { text: "", at: 0 };
  E.camera.addEventListener("click", function () {
    if (E.camera.getAttribute("aria-pressed") === "true") {
      D.camera.stop();
      E.camera.setAttribute("aria-pressed", "false");
      E.camera.textContent = t("door.camera_start");
      return;
    }
    E.cameraProblem.hidden = true;
    E.camera.setAttribute("aria-pressed", "true");
    E.camera.textContent = t("door.camera_stop");
    D.camera.start(E.video, function (text) {
      // The camera sees the same ticket many times a second: answer it once, and again only
      // after it has been out of view for 4 s.
      var now = Date.now();
      if (text === lastCamera.text && now - lastCamera.at < 4000) {
        lastCamera.at = now;
        return;
      }
      lastCamera = { text: text, at: now };
      handle(text);
    }).catch(function () {
      E.camera.setAttribute("aria-pressed", "false");
      E.camera.textContent = t("door.camera_start");
      E.cameraProblem.textContent = t("door.camera_unavailable");
      E.cameraProblem.hidden = false;
    });
  });

  try {
    E.sound.checked = localStorage.getItem("dagplanner.door.sound") !== "off";
  } catch (e) { /* default: on */ }
  E.sound.addEventListener("change", function () {
    try { localStorage.setItem("dagplanner.door.sound", E.sound.checked ? "on" : "off"); } catch (e) { /* this page only */ }
  });

  E.pairForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var v = E.token.value.trim();
    if (!v) return;
    S.setToken(v);
    E.token.value = "";
    connect();
  });
  E.unpair.addEventListener("click", function () {
    S.setToken("");
    S.forget();
    showPair("");
  });

  window.addEventListener("online", function () { S.flush(); S.refreshList(); });
  window.addEventListener("offline", function () { S.online = false; renderStatus(); });

  // Every 10 s: send waiting scans (which also tells whether the network is back); every
  // 30 s: a fresh copy of the list.
  var ticks = 0;
  setInterval(function () {
    ticks++;
    if (S.queue.length) S.flush();
    else if (!S.online && S.door) S.refreshList();
    if (ticks % 3 === 0 && S.online && S.door) S.refreshList();
    if (S.online && S.door) R.refresh();
  }, 10000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/deur/sw.js", { scope: "/deur" }).catch(function () { /* works online without */ });
  }
  var ready = S.load().then(R.load).then(connect).then(function () { return S.door ? R.refresh() : null; });

  // A small hook for tests and benchmarks: handle resolves once the answer is on screen.
  window.dagplannerDoor = {
    handle: handle,
    undo: undo,
    walkIn: walkIn,
    ready: ready,
    state: S,
    room: R,
    decoder: function () { return D.camera ? D.camera.decoder : ""; }
  };
})(window.DagplannerDoor = window.DagplannerDoor || {});
