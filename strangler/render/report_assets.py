"""The style sheet and the side panel's script of the HTML report, inline so the page needs nothing
from the network (the graph's own script and style are in `graph_script`).

The script is vanilla JavaScript: it reads the embedded `strangler-data` JSON, wires the search box
and the services table, and builds the side panel (a service's details, an edge's call sites) with
DOM calls and `textContent` only, so names from the analyzed code are never parsed as HTML. It
talks to the graph through `window.stranglerGraph` (when the graph is drawn) and offers
`window.stranglerPanel` (`select`, `showEdge`, `clear`) to it.
"""

from __future__ import annotations

STYLE = """
:root {
  --ink: #1b1b1b; --muted: #5f6368; --line: #d9d9d4; --bg: #f6f6f3; --card: #ffffff;
  --accent: #0072b2; --cycle: #d55e00; --hit: #fff3c4;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0; padding: 20px 28px 40px; background: var(--bg); color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.45;
}
h1 { font-size: 1.6rem; margin: 0 0 2px; font-weight: 650; letter-spacing: -0.01em; }
h1 .project { color: var(--accent); }
h2 { font-size: 1.15rem; margin: 28px 0 10px; }
code, .mono { font-family: var(--mono); font-size: 0.86em; }
.summary { margin: 0 0 16px; color: var(--muted); }
.notes { margin: 0 0 16px; color: var(--muted); font-size: 0.9rem; }
.muted { color: var(--muted); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 16px; align-items: start; }
.graph, .panel, .tables table {
  background: var(--card); border: 1px solid var(--line); border-radius: 10px;
}
.graph { padding: 10px 12px; min-height: 320px; }
.graph .node { cursor: pointer; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 2px solid; border-radius: 8px; padding: 10px 14px; display: flex; flex-direction: column; }
.card.selected { box-shadow: 0 0 0 3px var(--ink); }
.panel { padding: 14px 16px; position: sticky; top: 12px; max-height: calc(100vh - 24px); overflow: auto; }
.search label { display: block; font-weight: 600; margin-bottom: 4px; }
.search input {
  width: 100%; padding: 8px 10px; font: inherit; border: 1px solid #b9b9b2; border-radius: 6px;
}
.search input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
.matches { list-style: none; margin: 4px 0 0; padding: 0; }
.matches button, .link {
  font: inherit; background: none; border: 0; padding: 0; color: inherit; cursor: pointer; text-align: left;
}
.matches button {
  width: 100%; padding: 5px 6px; border-radius: 5px;
  display: flex; gap: 8px; justify-content: space-between;
}
.matches button:hover, .matches button:focus { background: #eef4fa; outline: none; }
.matches .svc { color: var(--muted); font-size: 0.85em; white-space: nowrap; }
.details { margin-top: 14px; border-top: 1px solid var(--line); padding-top: 12px; }
.details h2 { margin: 0 0 4px; font-size: 1.3rem; display: flex; align-items: center; gap: 8px; }
.details h3 { font-size: 0.95rem; margin: 14px 0 4px; }
.details ul { margin: 0; padding-left: 0; list-style: none; }
.details li { padding: 3px 0; border-bottom: 1px solid #efefea; }
.details li:last-child { border-bottom: 0; }
.details details.fold summary { cursor: pointer; }
.details details.fold summary h3 { display: inline; }
.details .reason { display: block; color: var(--muted); font-size: 0.88em; }
.details li.hit { background: var(--hit); border-radius: 4px; padding: 3px 6px; }
.dot {
  display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%;
  margin-right: 6px; vertical-align: -0.05em;
}
.badge {
  font-size: 0.72rem; font-weight: 600; padding: 1px 7px; border-radius: 999px;
  background: #eee; color: var(--ink);
}
.badge.cycle { background: #fbe3d3; color: #8a3b00; }
.badge.pinned { background: #dcecf7; color: #004c78; }
.link { color: var(--accent); text-decoration: underline; text-underline-offset: 2px; }
.tables table { border-collapse: separate; border-spacing: 0; width: 100%; overflow: hidden; }
.tables th, .tables td {
  padding: 7px 12px; text-align: left; border-bottom: 1px solid #ecece7; vertical-align: top;
}
.tables thead th {
  background: #efefea; font-size: 0.85rem; text-transform: uppercase;
  letter-spacing: 0.03em; color: var(--muted);
}
.tables tbody tr:last-child th, .tables tbody tr:last-child td { border-bottom: 0; }
.tables tr.selected { background: #eef4fa; }
.tables tr.current { background: #fff3c4; }
.tables td.why { font-size: 0.85rem; color: var(--muted); max-width: 40em; }
.tables a.doc { color: var(--accent); font-size: 0.85em; white-space: nowrap; }
.details .site { display: block; font-family: var(--mono); font-size: 0.82em; word-break: break-all; }
.details .site .where { color: var(--accent); }
.num { text-align: right !important; font-variant-numeric: tabular-nums; }
footer { margin-top: 28px; color: var(--muted); font-size: 0.85rem; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } .panel { position: static; } }
"""

SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("strangler-data").textContent);
  var byName = {};
  data.services.forEach(function (s) { byName[s.name] = s; });
  var graph = document.getElementById("graph");
  var details = document.getElementById("details");
  var search = document.getElementById("search");
  var matches = document.getElementById("matches");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function title(s) { return s.kernel ? "shared kernel" : s.name; }
  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }
  function drawing() { return window.stranglerGraph || null; }
  // Lists longer than FOLD items start collapsed (a <details> element), so a service of
  // hundreds of modules does not push the rest of the panel out of sight.
  var FOLD = 20;
  function section(parent, heading, items, render) {
    if (!items.length) { return null; }
    var list = el("ul");
    items.forEach(function (item) { list.appendChild(render(item)); });
    var title = heading + " (" + items.length.toLocaleString("en") + ")";
    if (items.length <= FOLD) {
      parent.appendChild(el("h3", "", title));
      parent.appendChild(list);
      return null;
    }
    var fold = el("details", "fold");
    var summary = el("summary");
    summary.appendChild(el("h3", "", title));
    fold.appendChild(summary);
    fold.appendChild(list);
    parent.appendChild(fold);
    return fold;
  }
  function serviceLink(name, suffix) {
    var li = el("li");
    var button = el("button", "link", title(byName[name] || { name: name }));
    button.type = "button";
    button.addEventListener("click", function () { select(name); });
    li.appendChild(button);
    if (suffix) { li.appendChild(document.createTextNode(" " + suffix)); }
    return li;
  }
  function counts(e) {
    var text = e.call_sites ? plural(e.call_sites, "call site") : plural(e.imports, "import");
    return "— " + text + (e.in_cycle ? " (cycle)" : "");
  }
  function unselect() {
    Array.prototype.forEach.call(document.querySelectorAll(".selected"), function (n) {
      n.classList.remove("selected");
    });
  }
  function heading(s) {
    var h = el("h2");
    var dot = el("span", "dot");
    dot.style.background = s.colour;
    h.appendChild(dot);
    h.appendChild(document.createTextNode(title(s)));
    if (s.in_cycle) { h.appendChild(el("span", "badge cycle", "in a cycle")); }
    return h;
  }
  function moduleItem(m, module) {
    var li = el("li");
    li.setAttribute("data-module", m.name);
    li.appendChild(el("span", "mono", m.name));
    if (m.pinned) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "badge pinned", "pinned"));
    }
    var why = m.reason || "no reason recorded";
    if (m.confidence < 1) { why += " (confidence " + Math.round(m.confidence * 100) + "%)"; }
    li.appendChild(el("span", "reason", why));
    if (m.name === module) { li.classList.add("hit"); }
    return li;
  }

  // Show service `name` in the panel (and `module` highlighted in its list). `fromGraph` is set
  // when the graph asked, so the panel does not ask the graph back.
  function select(name, module, fromGraph) {
    var s = byName[name];
    if (!s) { return; }
    unselect();
    var node = document.getElementById(s.node_id);
    if (node) { node.classList.add("selected"); }
    Array.prototype.forEach.call(document.querySelectorAll("tr[data-service]"), function (row) {
      if (row.getAttribute("data-service") === name) { row.classList.add("selected"); }
    });
    graph.classList.add("has-selection");
    if (!fromGraph && drawing()) {
      if (module) { drawing().focusModule(module); } else { drawing().focusService(name); }
    }

    details.textContent = "";
    details.appendChild(heading(s));
    var facts = [plural(s.modules.length, "module"), plural(s.loc, "line")];
    if (s.cohesion !== null) { facts.push("cohesion " + s.cohesion.toFixed(2)); }
    if (s.coupling !== null) { facts.push("coupling " + s.coupling.toFixed(2)); }
    details.appendChild(el("p", "muted", facts.join(" · ")));

    section(details, "Uses", s.uses, function (e) { return serviceLink(e.service, counts(e)); });
    section(details, "Used by", s.used_by, function (e) { return serviceLink(e.service, counts(e)); });
    section(details, "Routes", s.routes, function (r) { return el("li", "mono", r); });
    section(details, "Tables it owns", s.tables, function (t) { return el("li", "mono", t); });
    section(details, "Shared tables", s.shared_tables, function (t) {
      var li = el("li");
      li.appendChild(el("span", "mono", t.table));
      li.appendChild(el("span", "reason", "also used by " + t.services.join(", ") +
        (t.writers.length ? "; written by " + t.writers.join(", ") : "")));
      return li;
    });
    section(details, "Interface", s.interface, function (op) {
      var li = el("li");
      li.appendChild(el("span", "mono", op.symbol));
      var from = plural(op.call_sites, "call site") + " from " + op.callers.join(", ");
      li.appendChild(el("span", "reason", from));
      return li;
    });
    var fold = section(details, "Modules", s.modules, function (m) { return moduleItem(m, module); });
    var hit = details.querySelector("li.hit");
    if (hit) {
      if (fold) { fold.open = true; }
      hit.scrollIntoView({ block: "nearest" });
    }
  }

  function siteItem(site) {
    var li = el("li", "site");
    li.setAttribute("data-site", site.path + ":" + site.line);
    li.appendChild(el("span", "where", site.path + ":" + site.line));
    li.appendChild(document.createTextNode(" " + site.source + " → " + site.target +
      (site.symbol === "import" ? " (import)" : "." + site.symbol)));
    return li;
  }
  // An edge of the graph: its numbers and every call site (file:line) behind it.
  function showEdge(edge) {
    unselect();
    details.textContent = "";
    details.setAttribute("data-edge", edge.from + " → " + edge.to);
    details.appendChild(el("h2", "", edge.from + " → " + edge.to));
    details.appendChild(el("p", "muted", edge.summary));
    var calls = edge.sites.filter(function (x) { return x.symbol !== "import"; });
    var imports = edge.sites.filter(function (x) { return x.symbol === "import"; });
    section(details, "Call sites", calls, siteItem);
    section(details, "Imports", imports, siteItem);
    if (!edge.sites.length) {
      details.appendChild(el("p", "muted", "No call site: the services share tables."));
    }
  }

  function clear() {
    unselect();
    graph.classList.remove("has-selection");
  }

  data.services.forEach(function (s) {
    var node = document.getElementById(s.node_id);  // the boxes listed when the graph is not drawn
    if (!node) { return; }
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", title(s));
    node.addEventListener("click", function (event) { event.stopPropagation(); select(s.name); });
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(s.name); }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-service]"), function (b) {
    b.addEventListener("click", function () { select(b.getAttribute("data-service")); });
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { clear(); } });

  var modules = Object.keys(data.assignments).sort();
  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return []; }
    var found = modules.filter(function (m) { return m.toLowerCase().indexOf(q) !== -1; });
    found.sort(function (a, b) {
      var ea = a.toLowerCase().slice(-q.length) === q ? 0 : 1;
      var eb = b.toLowerCase().slice(-q.length) === q ? 0 : 1;
      return ea - eb || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    });
    return found.slice(0, 12);
  }
  function choose(module) {
    var where = data.assignments[module];
    if (!where) { return; }
    select(where.service, module);
    matches.textContent = "";
  }
  search.addEventListener("input", function () {
    matches.textContent = "";
    var found = find(search.value);
    if (!found.length && search.value.trim()) {
      matches.appendChild(el("li", "muted", "No module matches."));
    }
    found.forEach(function (m) {
      var li = el("li");
      var button = el("button");
      button.type = "button";
      button.setAttribute("data-module", m);
      button.appendChild(el("span", "mono", m));
      var svc = byName[data.assignments[m].service];
      button.appendChild(el("span", "svc", svc ? title(svc) : data.assignments[m].service));
      button.addEventListener("click", function () { choose(m); });
      li.appendChild(button);
      matches.appendChild(li);
    });
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      var found = find(search.value);
      if (found.length) { choose(found[0]); }
    }
  });
  window.stranglerPanel = { select: select, showEdge: showEdge, clear: clear };
})();
"""
