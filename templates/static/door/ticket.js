// Checking tickets on the door's device, for when the network is down: reading a QR payload,
// verifying its Ed25519 signature with the event's public key, normalising a typed ticket code,
// and deciding the answer from the device's copy of the venue's check-in list.
// This is a port of tickets/payload.go and tickets/code.go; the Go code is authoritative.
(function (D) {
  "use strict";

  var PREFIX = "DP1";
  var BLOCK_DIGITS = 102; // smallest n with 45^n >= 2^560
  var BLOCK_BYTES = 70; // ID (4) || Version (2) || signature (64)
  var MAX_VENUE = 20;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  var CONTEXT = "dagplanner ticket v1\u0000";
  var VALUE = {};
  for (var i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

  // parseBase45 reads the 102-digit block, or returns null for a character outside the
  // alphabet or a value of 2^560 or more.
  function parseBase45(s) {
    var block = new Uint8Array(BLOCK_BYTES);
    for (var i = 0; i < s.length; i++) {
      var carry = VALUE[s.charCodeAt(i)];
      if (carry === undefined) return null;
      for (var j = BLOCK_BYTES - 1; j >= 0; j--) {
        var cur = block[j] * 45 + carry;
        block[j] = cur & 0xff;
        carry = cur >> 8;
      }
      if (carry !== 0) return null;
    }
    return block;
  }

  function ascii(s) {
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  // decode splits a payload into its ticket and the bytes its signature covers, or returns
  // null when the text cannot be a payload. It does not verify the signature.
  function decode(text) {
    var n = text.length - PREFIX.length - BLOCK_DIGITS;
    if (n < 1 || n > MAX_VENUE || text.slice(0, PREFIX.length) !== PREFIX) return null;
    var block = parseBase45(text.slice(PREFIX.length, PREFIX.length + BLOCK_DIGITS));
    if (!block) return null;
    var venue = "";
    var tail = text.slice(PREFIX.length + BLOCK_DIGITS);
    for (var i = 0; i < tail.length; i++) {
      var c = tail.charAt(i);
      if (c >= "A" && c <= "Z") venue += c.toLowerCase();
      else if ((c >= "0" && c <= "9") || c === "-") venue += c;
      else return null;
    }
    var context = ascii(CONTEXT), slug = ascii(venue);
    var message = new Uint8Array(context.length + 6 + slug.length);
    message.set(context, 0);
    message.set(block.subarray(0, 6), context.length);
    message.set(slug, context.length + 6);
    return {
      id: ((block[0] << 24) | (block[1] << 16) | (block[2] << 8) | block[3]) >>> 0,
      version: (block[4] << 8) | block[5],
      venue: venue,
      message: message,
      signature: block.slice(6)
    };
  }

  // isPayload tells a scanned payload from a typed code: payloads start with DP1 and are long.
  function isPayload(text) {
    return text.length > PREFIX.length + BLOCK_DIGITS && text.slice(0, PREFIX.length) === PREFIX;
  }

  function base64Bytes(b64) {
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // Imported public keys, by their base64 text, so each is imported once.
  var imported = {};

  function importKey(b64) {
    if (!imported[b64]) {
      imported[b64] = crypto.subtle.importKey("raw", base64Bytes(b64), { name: "Ed25519" }, false, ["verify"]);
    }
    return imported[b64];
  }

  // verify resolves to true when one of keys (the event's published keys) signed the ticket.
  function verify(keys, ticket) {
    if (!window.crypto || !crypto.subtle || !keys || !keys.length) return Promise.resolve(false);
    var tries = keys.filter(function (k) { return !k.alg || k.alg === "Ed25519"; }).map(function (k) {
      return importKey(k.public_key).then(function (key) {
        return crypto.subtle.verify({ name: "Ed25519" }, key, ticket.signature, ticket.message);
      }).catch(function () { return false; });
    });
    return Promise.all(tries).then(function (ok) { return ok.indexOf(true) >= 0; });
  }

  var CODE_ALPHABET = "23456789ACDEFHJKMNPRTVWXY";
  var LOOKALIKES = { S: "5", Z: "2", B: "8", G: "6", U: "V", O: "D", "0": "D", Q: "D" };
  var SKIP = " \t-\u2013\u2014._/";
  var CODE_RE = new RegExp("^[" + CODE_ALPHABET + "]{5}-[" + CODE_ALPHABET + "]{5}$");

  // normalizeCode turns a code as typed into the printed form, as tickets.NormalizeCode does.
  function normalizeCode(typed) {
    var out = "", n = 0;
    var chars = Array.from(typed.toUpperCase());
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (SKIP.indexOf(c) >= 0) continue;
      if (LOOKALIKES[c]) c = LOOKALIKES[c];
      if (n === 5) out += "-";
      out += c;
      n++;
    }
    return out;
  }

  function isCode(normalized) {
    return CODE_RE.test(normalized);
  }

  // decide answers a scan from the device's copy of the check-in list, as the server would:
  // what is "invalid", "wrong_venue", "cancelled", "superseded", "already_checked_in" or
  // "admitted". input is {ticket} (a verified payload), {code, otherVenue} (normalised; the
  // venue a code not on the list belongs to, from otherVenue) or {registration}
  // (an id from the name search); queued maps registration ids to scans waiting on this device.
  function decide(input, list, venue, queued) {
    var attendee = null;
    // Tickets name the venue by its key, older ones by a slug it has or had.
    var own = (list.data && list.data.venue && list.data.venue.ticket_names) || [venue];
    var elsewhere = function (name) {
      return { result: "wrong_venue", venue: name, venue_name: (list.venues || {})[name] || name };
    };
    if (input.ticket) {
      if (own.indexOf(input.ticket.venue) < 0) return elsewhere(input.ticket.venue);
      attendee = list.byID[input.ticket.id];
    } else if (input.code) {
      attendee = list.byCode[input.code];
      if (!attendee && input.otherVenue) return elsewhere(input.otherVenue);
    } else if (input.registration) {
      attendee = list.byID[input.registration];
    }
    if (!attendee) return { result: "invalid" };
    var out = {
      registration: attendee.id,
      attendee: { name: attendee.name, organisation: attendee.organisation },
      session: attendee.session || null,
      venue: venue
    };
    if (attendee.status === "cancelled") {
      out.result = "cancelled";
    } else if (input.ticket && input.ticket.version < attendee.version) {
      out.result = "superseded";
    } else if (attendee.checkin) {
      out.result = "already_checked_in";
      out.first_checked_in_at = attendee.checkin.checked_in_at;
      out.door = attendee.checkin.door;
    } else if (queued[attendee.id]) {
      out.result = "already_checked_in";
      out.first_checked_in_at = queued[attendee.id].scanned_at;
      out.door = queued[attendee.id].door;
    } else {
      out.result = "admitted";
    }
    return out;
  }

  // otherVenue finds the venue of a typed code that is not on this door's list: the list
  // holds, per other venue's ticket, the first 8 hex digits of the SHA-256 of its code (as
  // tickets.CodeHint). It resolves to the venue's ticket name, or "".
  function otherVenue(list, code) {
    var hints = (list.data && list.data.other_codes) || {};
    if (!window.crypto || !crypto.subtle || !Object.keys(hints).length) return Promise.resolve("");
    return crypto.subtle.digest("SHA-256", ascii(code)).then(function (sum) {
      var b = new Uint8Array(sum), hex = "";
      for (var i = 0; i < 4; i++) hex += (b[i] < 16 ? "0" : "") + b[i].toString(16);
      return hints[hex] || "";
    }, function () { return ""; });
  }

  // indexList wraps a check-in list from the API with lookups by registration id and by code.
  function indexList(data) {
    var list = { data: data, venues: data.venues || {}, keys: data.keys || [], byID: {}, byCode: {} };
    (data.attendees || []).forEach(function (a) {
      list.byID[a.id] = a;
      if (a.code) list.byCode[normalizeCode(a.code)] = a;
    });
    return list;
  }

  // mergeList applies a delta of the check-in list (an answer to ?since=) to the data of a
  // copy: changed and new attendees replace theirs, removed ones go, other venues' codes add
  // up; the rest (venues, keys, cursor) comes from the delta. It returns the merged data.
  function mergeList(data, delta) {
    var pos = {};
    var attendees = (data.attendees || []).slice();
    attendees.forEach(function (a, i) { pos[a.id] = i; });
    (delta.attendees || []).forEach(function (a) {
      if (pos[a.id] === undefined) {
        pos[a.id] = attendees.length;
        attendees.push(a);
      } else {
        attendees[pos[a.id]] = a;
      }
    });
    var gone = {};
    (delta.removed || []).forEach(function (id) { gone[id] = true; });
    var others = {};
    Object.keys(data.other_codes || {}).forEach(function (k) { others[k] = data.other_codes[k]; });
    Object.keys(delta.other_codes || {}).forEach(function (k) { others[k] = delta.other_codes[k]; });
    return {
      venue: delta.venue, venues: delta.venues, keys: delta.keys, other_codes: others,
      generated_at: delta.generated_at, cursor: delta.cursor,
      attendees: attendees.filter(function (a) { return !gone[a.id]; })
    };
  }

  D.ticket = {
    mergeList: mergeList,
    decode: decode,
    isPayload: isPayload,
    verify: verify,
    normalizeCode: normalizeCode,
    isCode: isCode,
    decide: decide,
    otherVenue: otherVenue,
    indexList: indexList
  };
})(window.DagplannerDoor = window.DagplannerDoor || {});
