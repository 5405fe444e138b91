// Small helpers; every page works without this script. Texts come from the page (data-*),
// never from here, so both languages stay in the translation files.
(function () {
  "use strict";
  // Ask before dangerous actions (merge, revoke, unreachable): the button carries its question.
  document.addEventListener("submit", function (e) {
    var b = e.submitter;
    if (b && b.dataset.confirm && !window.confirm(b.dataset.confirm)) {
      e.preventDefault();
    }
  });

  // A refused form: the error summary takes the focus, so a screen reader reads it and the
  // keyboard starts from it (it carries tabindex="-1": focusable by script, not by Tab).
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  // On a narrow screen the menu is a row that scrolls sideways: bring the current page's link
  // into view (a no-op where the whole menu shows).
  var here = document.querySelector(".top nav a[aria-current]");
  if (here && here.parentNode.scrollWidth > here.parentNode.clientWidth) {
    here.parentNode.scrollLeft = here.offsetLeft - here.parentNode.offsetLeft - 16;
  }

  // Print buttons (letters, registers): no inline script under the CSP.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  // The queue works from the keyboard: J / ↓ next, K / ↑ previous, Enter or O open the task,
  // R record (the same as open for a call task).
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-href]"));
  if (rows.length === 0) { return; }
  var current = -1;
  function select(i) {
    if (i < 0 || i >= rows.length) { return; }
    if (current >= 0) { rows[current].classList.remove("selected"); }
    current = i;
    rows[current].classList.add("selected");
    rows[current].focus();
  }
  rows.forEach(function (row, i) {
    row.addEventListener("focus", function () {
      if (current !== i) { select(i); }
    });
  });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var key = e.key;
    if (key === "j" || key === "J" || key === "ArrowDown") {
      select(Math.min(current + 1, rows.length - 1));
      e.preventDefault();
    } else if (key === "k" || key === "K" || key === "ArrowUp") {
      select(Math.max(current - 1, 0));
      e.preventDefault();
    } else if ((key === "Enter" || key === "o" || key === "O" || key === "r" || key === "R") && current >= 0) {
      window.location.href = rows[current].dataset.href;
      e.preventDefault();
    }
  });
})();

// X6: on a call form, the keys 1–5 choose the satisfaction score, then each aspect's in turn:
// a key fills the group that has the focus (or the first one without an answer) and moves on.
(function () {
  "use strict";
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-score-group]"));
  if (groups.length === 0) { return; }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.key < "1" || e.key > "5" || e.key.length !== 1) { return; }
    var a = document.activeElement;
    var typing = a && (a.tagName === "TEXTAREA" || a.tagName === "SELECT" ||
      (a.tagName === "INPUT" && a.type !== "radio" && a.type !== "checkbox"));
    if (typing) { return; }
    var i = groups.findIndex(function (g) { return g.contains(a); });
    if (i < 0) {
      i = groups.findIndex(function (g) { return !g.querySelector("input:checked"); });
    }
    if (i < 0) { return; }
    var input = groups[i].querySelector("input[value='" + e.key + "']");
    if (!input) { return; }
    e.preventDefault();
    input.checked = true;
    var next = groups[i + 1];
    (next ? next.querySelector("input") : input).focus();
  });
})();
