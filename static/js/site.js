/* Samverkansportalen: small progressive enhancements; every form works without this file. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    // WCAG 3.3.1: after a refused submission, move focus to the error summary so that screen readers
    // read it first and keyboard users start from the list of links to the fields.
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (!link) { return; }
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (target) { event.preventDefault(); target.focus(); target.scrollIntoView({block: "center"}); }
      });
    }
  });
})();
