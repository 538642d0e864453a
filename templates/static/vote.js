// Open voting: a live "3 of 5 chosen" counter on the ballot, read out politely by screen
// readers. Without JavaScript the page states the limit, and the server checks it anyway.
(function () {
  "use strict";
  var form = document.querySelector("form[data-vote-limit]");
  var out = document.getElementById("vote-counter");
  if (!form || !out) return;
  var limit = parseInt(form.getAttribute("data-vote-limit"), 10);
  var boxes = form.querySelectorAll('input[name="votes"]');
  function update() {
    var n = 0;
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) n++;
    var over = n > limit;
    out.textContent = out.getAttribute(over ? "data-over" : "data-text").replace("__N__", String(n));
    out.classList.toggle("vote-counter--over", over);
  }
  form.addEventListener("change", update);
  out.hidden = false;
  update();
})();
