// The board: drag a session card onto a room and time (or onto the list of unplaced
// sessions) to move it. Dropping fills in the card's own move form and submits it, so the
// server does exactly what it does for someone using the form; keyboard users use the form.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) { return; }
  var dragged = null;
  board.addEventListener("dragstart", function (e) {
    var card = e.target.closest ? e.target.closest("[data-session]") : null;
    if (!card) { return; }
    dragged = card;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.getAttribute("data-session"));
    card.classList.add("board-card--dragging");
  });
  board.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("board-card--dragging"); }
    dragged = null;
    board.querySelectorAll(".board-drop").forEach(function (el) { el.classList.remove("board-drop"); });
  });
  function target(e) {
    return e.target.closest ? e.target.closest("[data-place]") : null;
  }
  board.addEventListener("dragover", function (e) {
    var t = target(e);
    if (!dragged || !t) { return; }
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    t.classList.add("board-drop");
  });
  board.addEventListener("dragleave", function (e) {
    var t = target(e);
    if (t && !t.contains(e.relatedTarget)) { t.classList.remove("board-drop"); }
  });
  board.addEventListener("drop", function (e) {
    var t = target(e);
    if (!dragged || !t) { return; }
    e.preventDefault();
    var form = dragged.querySelector("[data-move-form]");
    var select = form && form.querySelector("select[name=plek]");
    var place = t.getAttribute("data-place");
    if (!select || select.value === place) { return; }
    select.value = place;
    if (select.value !== place) { return; } // a place this account may not choose
    form.submit();
  });
})();
