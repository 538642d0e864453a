// The door page's room mode (issue #18): the door scans for one session's room instead of the
// venue's entrance. It lists the venue's sessions of the slot running now and the next one,
// keeps the chosen session's figures and the bookings of its slot (by registration) on the
// device, and judges a scan from them when the server cannot be reached. The server is
// authoritative: offline it never gives out a seat, only says who is booked where.
(function (D) {
  "use strict";

  var CHOSEN_KEY = "dagplanner.door.room";

  var R = {
    sessions: [], // GET /api/v1/door/sessions
    state: null, // GET /api/v1/door/sessions/{id} of the chosen session
    chosen: 0, // the chosen session's id; 0 is the venue's entrance
    onChange: function () {}
  };

  try {
    R.chosen = Number(localStorage.getItem(CHOSEN_KEY)) || 0;
  } catch (e) { /* this page only */ }

  function venue() { return D.sync.door ? D.sync.door.venue.slug : ""; }

  // load reads the sessions and the chosen room's state the device kept.
  function load() {
    if (!venue()) return Promise.resolve();
    return D.store.get("rooms:" + venue()).then(function (list) {
      if (list && !R.sessions.length) R.sessions = list;
      return R.chosen ? D.store.get("room:" + R.chosen) : null;
    }).then(function (st) {
      if (st && !R.state) R.state = st;
      R.onChange();
    });
  }

  // refresh fetches the sessions to choose from and the chosen room's figures, and keeps them.
  function refresh() {
    if (!venue()) return Promise.resolve();
    var slug = venue();
    return D.sync.api("GET", "/api/v1/door/sessions", null, 8000).then(function (res) {
      if (res.status !== 200) return;
      R.sessions = res.data.sessions || [];
      D.store.put("rooms:" + slug, R.sessions);
      R.onChange();
    }, function () {}).then(refreshState);
  }

  function refreshState() {
    var id = R.chosen;
    if (!id) return Promise.resolve();
    return D.sync.api("GET", "/api/v1/door/sessions/" + id, null, 8000).then(function (res) {
      if (id !== R.chosen) return;
      if (res.status === 404) return choose(0); // no longer at this venue
      if (res.status !== 200) return;
      R.state = res.data;
      D.store.put("room:" + id, R.state);
      R.onChange();
    }, function () {});
  }

  // choose switches to a session's room (id) or back to the venue's entrance (0).
  function choose(id) {
    R.chosen = Number(id) || 0;
    R.state = null;
    try {
      if (R.chosen) localStorage.setItem(CHOSEN_KEY, String(R.chosen));
      else localStorage.removeItem(CHOSEN_KEY);
    } catch (e) { /* this page only */ }
    R.onChange();
    if (!R.chosen) return Promise.resolve();
    return D.store.get("room:" + R.chosen).then(function (st) {
      if (st && !R.state) {
        R.state = st;
        R.onChange();
      }
      return D.sync.online ? refreshState() : null;
    });
  }

  function session() {
    if (R.state && R.state.session) return R.state.session;
    return R.sessions.filter(function (s) { return s.id === R.chosen; })[0] || null;
  }

  // decide answers a scan of registration id offline: found is the venue list's entry (or
  // null when the code names nobody of this venue).
  function decide(found) {
    var out = { session: R.chosen, offline: true };
    if (!found || found.status === "cancelled") {
      out.result = "not_registered";
      return out;
    }
    out.registration = found.id;
    out.attendee = { name: found.name, organisation: found.organisation };
    var st = R.state;
    if (!st) {
      out.result = "unknown_room";
      return out;
    }
    var mine = (st.bookings || []).filter(function (b) { return b.registration === found.id; });
    var here = mine.filter(function (b) { return b.session === R.chosen; })[0];
    if (here && here.status === "confirmed") {
      out.result = (st.in_room || []).indexOf(found.id) >= 0 ? "already_in_session" : "in_session";
      return out;
    }
    if (here) {
      var line = (st.bookings || []).filter(function (b) { return b.session === R.chosen && b.status === "waitlisted"; });
      out.result = "waitlisted";
      out.seat_free = false;
      out.position = line.map(function (b) { return b.registration; }).indexOf(found.id) + 1;
      return out;
    }
    var other = mine.filter(function (b) { return b.status === "confirmed"; })[0];
    var where = other && (st.alongside || []).filter(function (s) { return s.id === other.session; })[0];
    if (where) {
      out.result = "elsewhere";
      out.session_title = where.title;
      out.room = where.room;
      return out;
    }
    out.result = "not_booked";
    return out;
  }

  // note keeps an answer in the room's copy, so that a scan a moment later knows of it.
  function note(a) {
    if (!R.state || !a.registration || a.session !== R.chosen) return;
    var inRoom = R.state.in_room || (R.state.in_room = []);
    if ((a.result === "in_session" || a.seat_free) && inRoom.indexOf(a.registration) < 0) {
      inRoom.push(a.registration);
      R.state.scanned_in = inRoom.length;
    }
    D.store.put("room:" + R.chosen, R.state);
    R.onChange();
  }

  R.load = load;
  R.refresh = refresh;
  R.refreshState = refreshState;
  R.choose = choose;
  R.session = session;
  R.decide = decide;
  R.note = note;
  D.room = R;
})(window.DagplannerDoor = window.DagplannerDoor || {});
