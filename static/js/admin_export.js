/* The export page's "select all" fields box (templates/admin/import_export/export.html).
   import-export wires it with an inline onchange, which the Content-Security-Policy blocks; here it is wired
   from a file. The box is hidden until this runs: without JavaScript each field is ticked on its own. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var toggle = document.getElementById("select-all-toggle");
    if (!toggle) { return; }
    var wrapper = toggle.closest(".select-all");
    if (wrapper) { wrapper.hidden = false; }
    toggle.addEventListener("change", function () {
      document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach(function (box) {
        if (box !== toggle) { box.checked = toggle.checked; }
      });
    });
  });
})();
