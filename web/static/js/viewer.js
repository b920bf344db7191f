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
 * know the diagram is there, and data-scale (the zoom, 1 = the modeler's size).
 *
 * Zoom buttons (web/templates/procedures/_viewer.html) carry data-zoom="in|out|fit|actual" and
 * data-viewer-for="<container id>"; their toolbar stays hidden until the diagram is drawn, so a
 * page without the library shows no dead buttons.
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
    if (state.selected) {
      canvas.addMarker(state.selected, "marker-selected");
      // Picked from the card: the diagram may be zoomed to a readable part, so bring the element in view.
      if (!scroll) { canvas.scrollToElement(registry.get(state.selected), 60); }
    }
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

  // bpmn-js writes labels at 11–12 px; below this zoom they shrink under ~9 px and cannot be read
  // at 1366 px (a whole Orenburg diagram fitted to the width is ~0.45, labels ~5 px).
  var READABLE_SCALE = 0.8;
  var MARGIN = 20;

  function showScale(viewer, container) {
    var scale = viewer.get("canvas").zoom();
    container.setAttribute("data-scale", scale.toFixed(3));
    var output = document.querySelector("[data-scale-for='" + container.id + "']");
    if (output) { output.textContent = Math.round(scale * 100) + " %"; }
  }

  /* The first view: the whole diagram when that is readable; otherwise its top-left corner at a
   * readable zoom, the container grown (up to most of the window) to the diagram's height, and the
   * rest reached by dragging or Ctrl + wheel. */
  function readable(viewer, container) {
    var canvas = viewer.get("canvas");
    var inner = canvas.viewbox().inner;
    var width = container.clientWidth, height = container.clientHeight;
    var fitWidth = (width - 2 * MARGIN) / Math.max(inner.width, 1);
    var scale = Math.min(1, Math.max(fitWidth, READABLE_SCALE));
    var wanted = inner.height * scale + 2 * MARGIN;
    var tallest = Math.max(height, Math.round(window.innerHeight * 0.8));
    if (wanted > height) {
      container.style.height = Math.min(wanted, tallest) + "px";
      canvas.resized();
      height = container.clientHeight;
    }
    var left = fitWidth >= scale ? inner.x - (width / scale - inner.width) / 2 : inner.x - MARGIN / scale;
    var top = inner.height * scale + 2 * MARGIN <= height ? inner.y - (height / scale - inner.height) / 2
      : inner.y - MARGIN / scale;
    canvas.viewbox({ x: left, y: top, width: width / scale, height: height / scale });
  }

  function zoomControls(viewer, container) {
    var canvas = viewer.get("canvas");
    var actions = {
      "in": function () { viewer.get("zoomScroll").stepZoom(1); },
      "out": function () { viewer.get("zoomScroll").stepZoom(-1); },
      "fit": function () { canvas.zoom("fit-viewport", "auto"); },
      "actual": function () { canvas.zoom(1, "auto"); }
    };
    var buttons = document.querySelectorAll("[data-viewer-for='" + container.id + "'] [data-zoom]");
    Array.prototype.forEach.call(buttons, function (button) {
      var action = actions[button.getAttribute("data-zoom")];
      if (action) { button.addEventListener("click", function () { action(); showScale(viewer, container); }); }
    });
    viewer.get("eventBus").on("canvas.viewbox.changed", function () { showScale(viewer, container); });
    var toolbar = document.querySelector(".viewer-tools[data-viewer-for='" + container.id + "']");
    if (toolbar) { toolbar.hidden = false; }
    showScale(viewer, container);
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
      readable(viewer, container);
      decorate(viewer, container, state);
      zoomControls(viewer, container);
      container.setAttribute("data-rendered", "true");
    }).catch(function (error) {
      container.setAttribute("data-error", String(error && error.message || error));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".bpmn-viewer"), draw);
  });
}());
