// Live figures on the organisers' arrivals pages: every 10 seconds the page fetches itself
// and swaps in the new [data-live-refresh] region, keeping focus and open <details> where
// they were. Without JavaScript the "refresh" link does the same by hand.
(function () {
  "use strict";
  var region = document.querySelector("[data-live-refresh]");
  var status = document.querySelector("[data-live-status]");
  if (!region || !window.fetch || !window.DOMParser) return;
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var offline = { nl: "(geen verbinding: cijfers van eerder)", en: "(no connection: earlier figures)" }[lang];
  function refresh() {
    if (document.hidden) return;
    fetch(location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-refresh]");
        if (!fresh) return;
        var open = Array.prototype.map.call(region.querySelectorAll("details[open]"), function (d, i) { return i; });
        if (region.contains(document.activeElement)) return; // don't pull the page from under the keyboard
        region.innerHTML = fresh.innerHTML;
        var details = region.querySelectorAll("details");
        open.forEach(function (i) { if (details[i]) details[i].open = true; });
        if (status) status.textContent = "";
      })
      .catch(function () { if (status) status.textContent = offline; });
  }
  setInterval(refresh, 10000);
})();
