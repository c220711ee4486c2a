// Progressive enhancement only: the pipeline works without this file.
(function () {
  "use strict";
  // "select all on this page" for the bulk change
  var all = document.querySelector("[data-select-all]");
  if (!all) { return; }
  var boxes = function () { return document.querySelectorAll("input[name=lead_id][form=bulk-form]"); };
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes().forEach(function (b) { b.checked = all.checked; });
  });
})();
