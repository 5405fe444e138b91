// Small helpers; every page works without this script. Texts come from the page (data-*),
// never from here, so both languages stay in the translation files.
(function () {
  "use strict";
  // Ask before dangerous actions (merge, revoke): the button carries its question.
  document.addEventListener("submit", function (e) {
    var b = e.submitter;
    if (b && b.dataset.confirm && !window.confirm(b.dataset.confirm)) {
      e.preventDefault();
    }
  });
})();
