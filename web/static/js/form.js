/* Task forms: show and hide components as the user types, by their conditional.hide.
 *
 * The server decides the first view and ignores values of hidden fields on submission
 * (engine/forms); this only saves a round trip. It evaluates the same FEEL subset
 * (engine/forms/feel.py): names, "text", numbers, true/false/null, = != < <= > >=, and, or,
 * not(...), parentheses. A component is hidden only when its condition is exactly true; anything
 * that cannot be evaluated leaves it visible, as on the server. No inline script: CSP forbids it.
 */
(function () {
  "use strict";

  var WORDS = { and: 1, or: 1, not: 1, "true": 1, "false": 1, "null": 1 };

  function tokenize(text) {
    var re = /\s*(?:("(?:[^"\\]|\\.)*")|(\d+(?:\.\d+)?|\.\d+)|([A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*)|(!=|<=|>=|[=<>()-]))/y;
    var tokens = [], match;
    text = text.replace(/^\s*=/, "").trim();
    re.lastIndex = 0;
    while (re.lastIndex < text.length) {
      match = re.exec(text);
      if (!match) { throw new Error("syntax"); }
      if (match[1] !== undefined) {
        tokens.push({ kind: "str", text: match[1].slice(1, -1).replace(/\\(.)/g, function (_, c) {
          return { n: "\n", t: "\t", r: "\r" }[c] || c;
        }) });
      } else if (match[2] !== undefined) {
        tokens.push({ kind: "num", text: match[2] });
      } else if (match[3] !== undefined) {
        tokens.push({ kind: WORDS[match[3]] ? "word" : "name", text: match[3] });
      } else {
        tokens.push({ kind: "op", text: match[4] });
      }
      if (/^\s*$/.test(text.slice(re.lastIndex))) { break; }
    }
    tokens.push({ kind: "end", text: "" });
    return tokens;
  }

  function truthy(v) {
    if (v === null || v === undefined) { return false; }
    if (Array.isArray(v) || typeof v === "string") { return v.length > 0; }
    return Boolean(v);
  }

  function equal(a, b) {
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length === b.length && a.every(function (x, i) { return equal(x, b[i]); });
    }
    var numeric = function (x) { return typeof x === "number" || typeof x === "boolean"; };
    if (numeric(a) && numeric(b)) { return Number(a) === Number(b); }
    return a === b;
  }

  function compare(op, a, b) {
    if (op === "=") { return equal(a, b); }
    if (op === "!=") { return !equal(a, b); }
    var ok = (typeof a === "number" || typeof a === "boolean") && (typeof b === "number" || typeof b === "boolean");
    ok = ok || (typeof a === "string" && typeof b === "string");
    if (!ok) { throw new Error("incomparable"); }  /* null < 5: the server leaves the field visible */
    if (op === "<") { return a < b; }
    if (op === "<=") { return a <= b; }
    if (op === ">") { return a > b; }
    return a >= b;
  }

  function evaluate(text, vars) {
    var tokens = tokenize(text), pos = 0;
    function peek() { return tokens[pos]; }
    function take() { var t = tokens[pos]; pos = Math.min(pos + 1, tokens.length - 1); return t; }
    function expect(op) { var t = take(); if (t.kind !== "op" || t.text !== op) { throw new Error("syntax"); } }
    function expression(word) {
      word = word || "or";
      var part = word === "or" ? function () { return expression("and"); } : comparison;
      var value = part();
      while (peek().kind === "word" && peek().text === word) {
        take();
        var right = part();  /* evaluated eagerly; the result follows Python's and/or */
        value = word === "or" ? (truthy(value) ? value : right) : (truthy(value) ? right : value);
      }
      return value;
    }
    function comparison() {
      var left = operand(), t = peek();
      if (t.kind === "op" && ["=", "!=", "<", "<=", ">", ">="].indexOf(t.text) >= 0) {
        take();
        return compare(t.text, left, operand());
      }
      return left;
    }
    function operand() {
      var t = take();
      if (t.kind === "op" && t.text === "(") { var inner = expression(); expect(")"); return inner; }
      if (t.kind === "word" && t.text === "not") { expect("("); var v = expression(); expect(")"); return v === false; }
      if (t.kind === "op" && t.text === "-" && peek().kind === "num") { return -Number(take().text); }
      if (t.kind === "num") { return Number(t.text); }
      if (t.kind === "str") { return t.text; }
      if (t.kind === "word") {
        if (t.text === "true") { return true; }
        if (t.text === "false") { return false; }
        if (t.text === "null") { return null; }
      }
      if (t.kind === "name") { return Object.prototype.hasOwnProperty.call(vars, t.text) ? vars[t.text] : null; }
      throw new Error("syntax");
    }
    var result = expression();
    if (peek().kind !== "end") { throw new Error("syntax"); }
    return result;
  }

  function hides(condition, vars) {
    if (!condition) { return false; }
    try { return evaluate(condition, vars) === true; } catch (e) { return false; }
  }

  function valueOf(wrapper) {
    var type = wrapper.getAttribute("data-type");
    var inputs = wrapper.querySelectorAll("input, select, textarea");
    var i, checked = [];
    if (type === "checkbox") { return inputs[0] ? inputs[0].checked : false; }
    if (type === "checklist" || type === "filepicker") {
      for (i = 0; i < inputs.length; i++) {
        if (inputs[i].type === "checkbox" && inputs[i].checked) { checked.push(inputs[i].value); }
      }
      return checked;
    }
    if (type === "radio") {
      for (i = 0; i < inputs.length; i++) { if (inputs[i].checked) { return inputs[i].value; } }
      return null;
    }
    var raw = inputs[0] ? inputs[0].value : "";
    if (type === "number") { return raw.trim() === "" || isNaN(Number(raw)) ? null : Number(raw); }
    if (type === "select" || type === "datetime") { return raw === "" ? null : raw; }
    return raw;
  }

  function refresh(form, context) {
    var vars = Object.assign({}, context);
    var components = form.querySelectorAll("[data-component]");
    var i, el, key;
    for (i = 0; i < components.length; i++) {
      key = components[i].getAttribute("data-key");
      if (key) { vars[key] = valueOf(components[i]); }
    }
    for (i = 0; i < components.length; i++) {
      el = components[i];
      var outer = el.parentElement && el.parentElement.closest("[data-component]");
      var hidden = (outer && outer.hidden) || hides(el.getAttribute("data-hide-if"), vars);
      el.hidden = Boolean(hidden);
      key = el.getAttribute("data-key");
      if (key && hidden) { vars[key] = null; }  /* later conditions see a hidden field as empty */
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("task-form");
    if (!form) { return; }
    var context = {};
    try { context = JSON.parse(form.getAttribute("data-context") || "{}"); } catch (e) { context = {}; }
    var update = function () { refresh(form, context); };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  });
})();
