// A checklist with the form property "excludes" (e.g. co-executors excluding the main agency):
// the option equal to the other field's current choice is hidden and unticked, following each
// change. The server refuses it anyway (engine/runtime/task_forms.py); this only keeps it out of view.
(function () {
  "use strict";
  document.querySelectorAll("[data-excludes]").forEach(function (wrapper) {
    var form = wrapper.closest("form");
    if (!form) { return; }
    var key = wrapper.getAttribute("data-excludes");
    var sources = Array.prototype.filter.call(form.elements, function (el) { return el.name === key; });
    function chosen() {
      for (var i = 0; i < sources.length; i++) {
        var el = sources[i];
        if (el.tagName === "SELECT") { return el.value; }
        if (el.type === "radio" && el.checked) { return el.value; }
      }
      return "";
    }
    function follow() {
      var value = chosen();
      wrapper.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        var excluded = value !== "" && box.value === value;
        if (excluded) { box.checked = false; }
        box.closest("label").hidden = excluded;
      });
    }
    sources.forEach(function (el) { el.addEventListener("change", follow); });
    follow();
  });
}());
