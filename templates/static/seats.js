// Live seat counts on the registration form: every 15 seconds the page asks the public API
// how many seats are left and updates the numbers in place. Without JavaScript the numbers
// are those of the moment the page was loaded, and the server still checks every choice.
(function () {
  "use strict";
  var form = document.querySelector("[data-live-seats]");
  if (!form || !window.fetch) return;
  var slug = form.getAttribute("data-live-seats");
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var text = {
    nl: { left: function (n) { return n === 1 ? "nog 1 plaats vrij" : "nog " + n + " plaatsen vrij"; },
          full: function (n) { return "vol – wachtlijst (" + n + " wachtend)"; } },
    en: { left: function (n) { return n === 1 ? "1 seat left" : n + " seats left"; },
          full: function (n) { return "full – waiting list (" + n + " waiting)"; } }
  }[lang];
  function refresh() {
    fetch("/api/v1/venues/" + encodeURIComponent(slug) + "/sessions", { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (sessions) {
        sessions.forEach(function (s) {
          var el = document.querySelector('[data-seats-session="' + s.id + '"]');
          if (!el) return;
          var t = s.remaining > 0 ? text.left(s.remaining) : text.full(s.waitlisted);
          if (el.textContent !== t) el.textContent = t;
        });
      })
      .catch(function () { /* offline for a moment: keep the last numbers */ });
  }
  function refreshVenue() {
    var el = document.querySelector('[data-seats-venue="' + slug + '"]');
    if (!el) return;
    fetch("/api/v1/event", { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { venues: [] }; })
      .then(function (event) {
        (event.venues || []).forEach(function (v) {
          if (v.slug !== slug) return;
          var t = text.left(v.remaining);
          if (el.textContent !== t) el.textContent = t;
        });
      })
      .catch(function () { /* offline for a moment: keep the last number */ });
  }
  setInterval(function () { refresh(); refreshVenue(); }, 15000);
})();
