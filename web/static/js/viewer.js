/* Diagram viewer: bpmn-js NavigatedViewer (web/static/vendor, from npm at build time) on every
 * element with class "bpmn-viewer". No inline script (CSP); everything comes from attributes:
 *
 *   data-diagram-url="…"        the BPMN XML to draw, or
 *   data-diagram-source="#id"   a <textarea hidden> holding it (an upload not deployed yet)
 *   data-markers='{"id": "marker-current"}'       CSS classes put on elements
 *   data-overlays='[{"element": "id", "text": "3", "title": "…", "kind": "violations"}]'
 *   data-card="#id"             a table whose rows carry data-element: clicking a row selects its
 *                               element, clicking an element selects its row
 *
 * When drawn, the container gets data-rendered="true" (or data-error="…"), so pages and tests
 * know the diagram is there.
 */
(function () {
  "use strict";

  function json(container, name, fallback) {
    var text = container.getAttribute(name);
    if (!text) { return fallback; }
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }

  function loadXml(container) {
    var source = container.getAttribute("data-diagram-source");
    if (source) {
      var holder = document.querySelector(source);
      return Promise.resolve(holder ? holder.value : "");
    }
    return fetch(container.getAttribute("data-diagram-url"), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.text();
    });
  }

  function cardRows(card) {
    return card ? Array.prototype.slice.call(card.querySelectorAll("[data-element]")) : [];
  }

  function select(viewer, state, elementId, scroll) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    if (state.selected && registry.get(state.selected)) { canvas.removeMarker(state.selected, "marker-selected"); }
    state.selected = registry.get(elementId) ? elementId : null;
    if (state.selected) { canvas.addMarker(state.selected, "marker-selected"); }
    cardRows(state.card).forEach(function (row) {
      var on = row.getAttribute("data-element") === elementId;
      row.classList.toggle("is-selected", on);
      if (on && scroll) { row.scrollIntoView({ block: "nearest" }); }
    });
  }

  function decorate(viewer, container, state) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    var markers = json(container, "data-markers", {});
    Object.keys(markers).forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, markers[id]); }
    });
    var overlays = viewer.get("overlays");
    json(container, "data-overlays", []).forEach(function (item) {
      if (!registry.get(item.element)) { return; }
      var badge = document.createElement("span");
      badge.className = "diagram-badge diagram-badge-" + (item.kind || "info");
      badge.textContent = item.text;
      if (item.title) { badge.title = item.title; }
      overlays.add(item.element, { position: { top: -12, right: 12 }, html: badge });
    });
    viewer.get("eventBus").on("element.click", function (event) {
      select(viewer, state, event.element.id, true);
    });
    cardRows(state.card).forEach(function (row) {
      row.tabIndex = 0;
      function pick() { select(viewer, state, row.getAttribute("data-element"), false); }
      row.addEventListener("click", pick);
      row.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); pick(); }
      });
    });
  }

  function draw(container) {
    if (typeof window.BpmnJS !== "function") {
      container.setAttribute("data-error", "viewer library missing");
      container.textContent = container.getAttribute("data-missing-text") || "";
      return;
    }
    var viewer = new window.BpmnJS({ container: container });
    var state = { selected: null, card: document.querySelector(container.getAttribute("data-card") || "#none") };
    loadXml(container).then(function (xml) {
      return viewer.importXML(xml);
    }).then(function () {
      viewer.get("canvas").zoom("fit-viewport");
      decorate(viewer, container, state);
      container.setAttribute("data-rendered", "true");
    }).catch(function (error) {
      container.setAttribute("data-error", String(error && error.message || error));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".bpmn-viewer"), draw);
  });
}());
