/* The admin's JavaScript widgets, named for assistive technology (WCAG 4.1.2, linked from
   templates/admin/base_site.html). Django's autocomplete (Select2) draws a combobox and a search field that
   the field's <label> does not name, and puts a mouse-only cross among the choices; the two-list selector
   (filter_horizontal) puts an aria-label on a plain <span>, where it is not allowed. Both widgets draw or
   redraw these parts after the page has loaded (a search field is rebuilt after every choice, the dropdown's
   when it opens), so each part is mended as it appears. */
(function () {
  "use strict";

  /* The <label> of the <select> with this id, given an id of its own so that a widget can point at it. */
  function labelId(selectId) {
    if (!selectId) { return null; }
    var label = document.querySelector('label[for="' + CSS.escape(selectId) + '"]');
    if (!label) { return null; }
    if (!label.id) { label.id = selectId + "_label"; }
    return label.id;
  }

  /* Select2 names its parts after the <select>: "select2-<id>-container" (the chosen value), "select2-<id>-results". */
  function selectIdOf(element) {
    var names = [element.getAttribute("aria-labelledby"), element.getAttribute("aria-controls"), element.id];
    for (var i = 0; i < names.length; i++) {
      var match = /select2-(.+)-(?:container|results)\b/.exec(names[i] || "");
      if (match) { return match[1]; }
    }
    var container = element.closest(".select2-container");
    var select = container && container.previousElementSibling;
    return select && select.tagName === "SELECT" ? select.id : null;
  }

  function mendCombobox(box) {
    if (box.dataset.named) { return; }
    var id = labelId(selectIdOf(box));
    if (!id) { return; }
    var value = box.querySelector(".select2-selection__rendered[id]");
    box.setAttribute("aria-labelledby", value ? id + " " + value.id : id);  /* "Organisation: Föreningen X" */
    if (value && value.getAttribute("role") === "textbox") { value.setAttribute("aria-labelledby", id); }  /* the value shown */
    box.dataset.named = "1";
  }

  function mendSearch(field) {
    var id = labelId(selectIdOf(field));
    if (id && !field.hasAttribute("aria-labelledby")) { field.setAttribute("aria-labelledby", id); }
  }

  function mend(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll('.select2-selection[role="combobox"]').forEach(mendCombobox);
    root.querySelectorAll(".select2-search__field").forEach(mendSearch);
    /* The "remove all" cross is drawn inside the list of choices, where only list items belong; it is for the
       mouse only (the keyboard removes a choice with Backspace), so it is hidden from assistive technology. */
    root.querySelectorAll(".select2-selection__rendered > .select2-selection__clear").forEach(function (cross) {
      cross.setAttribute("aria-hidden", "true");
    });
    root.querySelectorAll("span.search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");  /* an aria-label is allowed on an image, not on a bare span */
    });
  }

  /* An open combobox names the list it controls: Select2 says so with aria-owns only. */
  function mendControls(box) {
    var owns = box.getAttribute("aria-owns");
    if (owns) { box.setAttribute("aria-controls", owns); } else { box.removeAttribute("aria-controls"); }
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === "attributes") {
        if (change.target.getAttribute("role") === "combobox") { mendControls(change.target); }
        return;
      }
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) { mend(node.parentElement || node); }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-owns"] });
  document.addEventListener("DOMContentLoaded", function () { mend(document); });
})();
