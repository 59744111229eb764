"""The interactive graph of the HTML report: style and script around the vis-network library.

The script reads the embedded `strangler-data` JSON (positions, sizes and module blocks are
computed in Python, `interactive`), draws it with vis-network in `#graph-canvas` with the physics
simulation off, and offers:

- arrows as wide as their weight: call sites (imports when none) plus `TABLE_WEIGHT` per shared
  table;
- pan (drag), zoom (wheel, pinch, the + / − / Fit buttons, keys + - 0); the first view fits the
  graph but never below a readable label size (`READABLE` px);
- hover on a service: its neighbours stay, the rest fades, the readout gives its numbers; hover on
  an arrow: its numbers in the readout and on the arrow;
- click on a service: it opens in place into its modules (the others make room, moving outwards),
  its title bar closes it again; click on an arrow: its call sites (file:line) in the side panel;
- search (the side panel's box): opens the module's service, centres on the module, highlights it;
- toggles: the shared kernel, and edges below a weight;
- the plan: a wave selector fades what is still in the monolith and shows what the wave moves.

State and functions are exposed as `window.stranglerGraph` for the side panel and for tests.
Names from the analyzed code reach the page only through `textContent` and canvas text.
"""

from __future__ import annotations

import json

from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.plan.extraction_plan import PlanOptions
from strangler.render import palette

#: Width and the weight filter count a shared table as this many call sites, as the plan's
#: ordering weighs one.
TABLE_WEIGHT = PlanOptions().weight_shared_table

GRAPH_STYLE = """
.toolbar { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin: 0 0 8px; }
.toolbar .group { display: inline-flex; }
.toolbar button {
  font: inherit; font-size: 0.9rem; padding: 4px 10px; border: 1px solid #b9b9b2; background: #fff;
  cursor: pointer; min-width: 2.2em;
}
.toolbar .group button { border-radius: 0; margin-left: -1px; }
.toolbar .group button:first-child { border-radius: 6px 0 0 6px; margin-left: 0; }
.toolbar .group button:last-child { border-radius: 0 6px 6px 0; }
.toolbar > button { border-radius: 6px; }
.toolbar button:hover, .toolbar button:focus { background: #eef4fa; }
.toolbar .control { display: inline-flex; align-items: center; gap: 6px; font-size: 0.9rem; }
.toolbar select { font: inherit; font-size: 0.9rem; padding: 3px 4px; max-width: 22em; }
.toolbar output { min-width: 2.5em; font-variant-numeric: tabular-nums; }
.canvas {
  position: relative; height: calc(100vh - 250px); min-height: 480px; border: 1px solid #ecece7;
  border-radius: 8px; background: #fff; outline: none;
}
.canvas:focus { box-shadow: 0 0 0 2px var(--accent); }
.readout { margin: 8px 2px 0; min-height: 1.5em; font-size: 0.9rem; }
.wave-info { margin: 6px 2px 0; font-size: 0.9rem; }
.wave-info:empty { display: none; }
.wave-info strong { font-weight: 650; }
.legend {
  list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px;
  font-size: 0.82rem; color: var(--muted);
}
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.legend .swatch { display: inline-block; width: 26px; }
.legend .swatch.box {
  height: 12px; border: 2px solid var(--accent); border-radius: 3px; background: #c7e0ee;
}
.legend .swatch.line { height: 0; border-top: 3px solid var(--accent); }
.legend .swatch.cycle { border-top-width: 4px; }
.legend .swatch.kernel { border-top-width: 2px; }
.legend .swatch.wires { border-top: 2px dashed; }
.legend .swatch.data { border-top: 2px dotted; }
.legend .mark { font-weight: 700; color: var(--ink); }
"""

_SCRIPT = """
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("strangler-data").textContent);
  var G = data.graph;
  var container = document.getElementById("graph-canvas");
  if (!window.vis || !container || !G) { return; }
  var info = document.getElementById("graph-info");
  var waveInfo = document.getElementById("wave-info");
  var KERNEL = __KERNEL__;
  var CYCLE = __CYCLE__, GREY = __GREY__, DATA = __DATA__, INK = __INK__, FAINT = __FAINT__;
  var FADED_FILL = "#f3f3f0", FADED_LINE = "#e3e3de", FADED_INK = "#a3a39e", FOCUS = "#1b1b1b";
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
  var READABLE = 12;  // px: the first view never shows a service label smaller than this
  var MAX_FIRST_SCALE = 1.3;  // and never blows a small graph up further
  var GAP = 48, PAD = 18, HEADER = 40;  // room around an opened service, its title bar
  var CURVED_UP_TO = 600;  // more edges than this are drawn straight (cheaper)
  var BIG = 800;  // edges (or half as many nodes) from which the picture is "large"
  var SEP = String.fromCharCode(0);
  // A shared table weighs as much as this many call sites (the plan's weight for one).
  var TABLE_WEIGHT = __TABLE_WEIGHT__;
  var DASHES = { solid: false, dashed: [8, 5], dotted: [2, 4], bold: false };

  var svc = {}, byId = {}, names = [], modulesOf = {}, serviceEdge = {};
  data.services.forEach(function (s) { svc[s.name] = s; byId[s.node_id] = s.name; names.push(s.name); });
  G.modules.forEach(function (m, i) { (modulesOf[m[1]] = modulesOf[m[1]] || []).push(i); });
  data.edges.forEach(function (e) { serviceEdge[e.source + SEP + e.target] = e; });
  var moduleIndex = {};
  G.modules.forEach(function (m, i) { moduleIndex[m[0]] = i; });

  var state = {
    expanded: [], kernel: true, minWeight: 1, wave: 0, hover: null, hoverEdge: null, focus: null,
    firstDraw: null, renders: [], centre: {}, extent: {}, big: false
  };
  var open = {};
  var info0 = info ? info.textContent : "";
  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: {
      hover: true, hoverConnectedEdges: false, selectConnectedEdges: false, tooltipDelay: 100000,
      zoomView: true, dragView: true, dragNodes: true, multiselect: false, keyboard: false,
      navigationButtons: false, zoomSpeed: 0.7
    },
    nodes: { shape: "box", borderWidth: 2, font: { face: FONT, color: INK } },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.55 } },
      color: { inherit: false }, selectionWidth: 1.5, hoverWidth: 1.2,
      font: { face: FONT, size: 13, color: INK, strokeWidth: 4, strokeColor: "#ffffff", align: "middle" }
    }
  });

  function title(name) { return name === KERNEL ? "shared kernel" : name; }
  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }
  function visible(name) { return name !== KERNEL || state.kernel; }
  function say(text) { if (info) { info.textContent = text; } }

  // ------------------------------------------------------------------ placement
  function reach(half, ux, uy) {  // centre of a rectangle to its border, along (ux, uy)
    var rx = Math.abs(ux) > 1e-9 ? half[0] / Math.abs(ux) : Infinity;
    var ry = Math.abs(uy) > 1e-9 ? half[1] / Math.abs(uy) : Infinity;
    return Math.min(rx, ry);
  }
  function blockHalf(name) {
    var b = G.blocks[name];
    return [b[0] / 2 + PAD, b[1] / 2 + PAD + HEADER / 2];
  }
  function direction(from, to) {
    var dx = to[0] - from[0], dy = to[1] - from[1];
    var d = Math.sqrt(dx * dx + dy * dy);
    return d > 1e-6 ? [dx / d, dy / d, d] : [1, 0, 0];
  }
  // An opened service pushes every other one straight outwards from it, all by the same distance:
  // just enough to clear its block. Pushing along the rays never brings two others closer.
  function makeRoom(name, centre, extent) {
    var push = 0;
    names.forEach(function (t) {
      if (t === name || !visible(t)) { return; }
      var u = direction(centre[name], centre[t]);
      var need = reach(extent[name], u[0], u[1]) + reach(extent[t], u[0], u[1]) + GAP - u[2];
      push = Math.max(push, need);
    });
    if (push <= 0) { return; }
    names.forEach(function (t) {
      if (t === name) { return; }
      var u = direction(centre[name], centre[t]);
      centre[t] = [centre[t][0] + u[0] * push, centre[t][1] + u[1] * push];
    });
  }
  function place() {
    var centre = {}, extent = {};
    names.forEach(function (n) {
      var L = G.services[n];
      centre[n] = [L.x, L.y];
      extent[n] = [L.w / 2, L.h / 2];
    });
    state.expanded.forEach(function (n) {
      extent[n] = blockHalf(n);
      makeRoom(n, centre, extent);
    });
    state.centre = centre;
    state.extent = extent;
  }

  // ------------------------------------------------------------------ nodes
  function serviceNode(name) {
    var s = svc[name], L = G.services[name], margin = G.margins.service;
    return {
      id: s.node_id, kind: "service", service: name, label: L.label,
      x: state.centre[name][0], y: state.centre[name][1],
      margin: margin, widthConstraint: { minimum: L.w - 2 * margin },
      heightConstraint: { minimum: L.h - 2 * margin, valign: "middle" },
      shapeProperties: { borderRadius: 8, borderDashes: DASHES[s.pattern] || false },
      fontSize: G.fonts.service
    };
  }
  function headerNode(name) {
    var s = svc[name], b = G.blocks[name], c = state.centre[name], e = state.extent[name];
    return {
      id: "h:" + s.node_id, kind: "header", service: name,
      label: "▾ " + title(name) + " · " + plural(b ? modulesOf[name].length : 0, "module") + " · close",
      x: c[0], y: c[1] - e[1] + HEADER / 2, margin: 8,
      widthConstraint: { minimum: Math.max(2 * e[0] - 24, 120) },
      shapeProperties: { borderRadius: 6, borderDashes: false },
      fontSize: 15
    };
  }
  function moduleNode(i) {
    var m = G.modules[i], b = G.blocks[m[1]], c = state.centre[m[1]], margin = G.margins.module;
    return {
      id: "m:" + m[0], kind: "module", service: m[1], module: m[0], label: m[2],
      x: c[0] + m[5], y: c[1] + m[6] + HEADER / 2, margin: margin,
      widthConstraint: { minimum: b[2] - 2 * margin, maximum: b[2] - 2 * margin },
      shapeProperties: { borderRadius: 4, borderDashes: false },
      fontSize: G.fonts.module, borderWidth: 1
    };
  }
  function buildNodes() {
    var list = [];
    names.forEach(function (name) {
      if (!visible(name)) { return; }
      if (!open[name]) { list.push(serviceNode(name)); return; }
      list.push(headerNode(name));
      (modulesOf[name] || []).forEach(function (i) { list.push(moduleNode(i)); });
    });
    return list;
  }

  // ------------------------------------------------------------------ edges
  function rep(i) {  // the node a module is drawn in: itself when its service is open
    var service = G.modules[i][1];
    if (!visible(service)) { return null; }
    return open[service] ? "m:" + G.modules[i][0] : svc[service].node_id;
  }
  function serviceEdges(list) {
    data.edges.forEach(function (e) {
      if (open[e.source] || open[e.target] || !visible(e.source) || !visible(e.target)) { return; }
      list.push({
        id: "e:" + svc[e.source].node_id + ">" + svc[e.target].node_id, kind: "service",
        from: svc[e.source].node_id, to: svc[e.target].node_id, sFrom: e.source, sTo: e.target,
        weight: (e.call_sites || e.imports) + TABLE_WEIGHT * e.shared_tables.length, info: e
      });
    });
    data.data_edges.forEach(function (d) {
      var a = d.services[0], b = d.services[1];
      if (!d.drawn || open[a] || open[b] || !visible(a) || !visible(b)) { return; }
      list.push({
        id: "d:" + svc[a].node_id + ">" + svc[b].node_id, kind: "data", from: svc[a].node_id,
        to: svc[b].node_id, sFrom: a, sTo: b, weight: TABLE_WEIGHT * d.tables.length, info: d
      });
    });
  }
  function moduleEdges(list) {
    var sum = {}, keys = [];
    G.module_edges.forEach(function (t) {
      var sa = G.modules[t[0]][1], sb = G.modules[t[1]][1];
      if (!open[sa] && !open[sb]) { return; }
      var a = rep(t[0]), b = rep(t[1]);
      if (!a || !b || a === b) { return; }
      var key = a + SEP + b;
      if (!sum[key]) {
        sum[key] = { from: a, to: b, sFrom: sa, sTo: sb, weight: 0, pairs: 0 };
        keys.push(key);
      }
      sum[key].weight += t[2];
      sum[key].pairs += 1;
    });
    keys.sort().forEach(function (key) {
      var x = sum[key];
      list.push({
        id: "x:" + x.from + ">" + x.to, kind: "module", from: x.from, to: x.to, sFrom: x.sFrom,
        sTo: x.sTo, weight: x.weight, info: { pairs: x.pairs, service: serviceEdge[x.sFrom + SEP + x.sTo] }
      });
    });
  }
  function buildEdges() {
    var list = [];
    serviceEdges(list);
    moduleEdges(list);
    return list.filter(function (e) { return e.weight >= state.minWeight; });
  }

  // ------------------------------------------------------------------ styles
  function extractedSet() {
    var set = {};
    if (state.wave > 0) { data.waves[state.wave - 1].extracted.forEach(function (n) { set[n] = true; }); }
    return set;
  }
  function neighbourSet() {
    if (!state.hover) { return null; }
    var set = {};
    set[state.hover] = true;
    network.getConnectedNodes(state.hover).forEach(function (id) { set[id] = true; });
    return set;
  }
  function nodeStyle(item, out, near) {
    var s = svc[item.service];
    var faded = (state.wave > 0 && !out[item.service]) || (near && !near[item.id]);
    var current = state.wave > 0 && data.waves[state.wave - 1].service === item.service;
    var border = faded ? FADED_LINE : s.colour;
    var width = item.kind === "module" ? 1 : 2;
    if (current && item.kind !== "module") { width = 5; }
    if (state.focus === item.id) { border = FOCUS; width = 4; }
    var fill = faded ? FADED_FILL : (item.kind === "header" ? s.fill : s.fill);
    return {
      id: item.id, borderWidth: width,
      color: {
        background: fill, border: border,
        highlight: { background: fill, border: FOCUS }, hover: { background: fill, border: s.colour }
      },
      // (a data set update replaces a whole `font`, so it is given in full)
      font: { size: item.fontSize, face: FONT, color: faded ? FADED_INK : INK }
    };
  }
  function edgeColour(e) {
    var into = e.kind === "service" ? e.info : e.info && e.info.service;
    if (e.kind === "data") { return DATA; }
    if (into && into.feedback && e.sFrom !== e.sTo) { return CYCLE; }
    if (e.sFrom === e.sTo) { return FAINT; }
    if ((into && into.wires) || e.sTo === KERNEL) { return GREY; }
    return svc[e.sFrom].colour;
  }
  // An arrow shows its numbers while hovered. The library keeps a label it was once given unless
  // it is replaced, so an arrow that had one gets a blank one back (the others get none: cheaper).
  var labelled = {};
  function edgeLabel(e) {
    if (state.hoverEdge === e.id) {
      labelled[e.id] = true;
      return edgeNumbers(e);
    }
    return labelled[e.id] ? " " : undefined;
  }
  function edgeStyle(e, out, near, heaviest) {
    var colour = edgeColour(e);
    var into = e.kind === "service" ? e.info : e.info && e.info.service;
    var crossing = state.wave > 0 && !!out[e.sFrom] !== !!out[e.sTo] &&
      e.sTo !== KERNEL && e.sFrom !== KERNEL;
    var faded = (state.wave > 0 && !crossing) || (near && !(near[e.from] && near[e.to] &&
      (e.from === state.hover || e.to === state.hover)));
    var width = 1 + 5 * Math.sqrt(e.weight / heaviest);
    if (colour === CYCLE) { width += 1.5; }
    if (colour === GREY || colour === FAINT) { width = 1 + 1.5 * Math.sqrt(e.weight / heaviest); }
    if (crossing) { width += 1.5; }
    return {
      id: e.id, width: width,
      color: { color: faded ? FADED_LINE : colour, highlight: colour, hover: colour, opacity: 1 },
      dashes: e.kind === "data" ? [2, 4] : (into && into.wires ? [6, 4] : false),
      arrows: { to: { enabled: e.kind !== "data", scaleFactor: 0.55 } },
      label: edgeLabel(e)
    };
  }
  function heaviestOf(list) {
    var heaviest = 1;
    list.forEach(function (e) { heaviest = Math.max(heaviest, e.weight); });
    return heaviest;
  }
  // Styles last given to each item: a restyle updates only the items whose style changed.
  var lastStyle = {};
  function remember(style) {
    var key = JSON.stringify(style);
    if (lastStyle[style.id] === key) { return false; }
    lastStyle[style.id] = key;
    return true;
  }
  function styled(items, style) {
    return items.map(function (item) {
      var look = style(item);
      remember(look);
      return Object.assign(item, look);
    });
  }
  function restyle() {
    var out = extractedSet(), near = state.big ? null : neighbourSet();
    var all = edges.get(), heaviest = heaviestOf(all);
    nodes.update(nodes.get().map(function (n) { return nodeStyle(n, out, near); }).filter(remember));
    edges.update(all.map(function (e) { return edgeStyle(e, out, near, heaviest); }).filter(remember));
  }

  // ------------------------------------------------------------------ drawing
  function render() {
    var t0 = performance.now();
    open = {};
    state.expanded.forEach(function (n) { open[n] = true; });
    place();
    var out = extractedSet(), near = null;
    state.hover = null;
    state.hoverEdge = null;
    var nodeList = buildNodes(), edgeList = buildEdges(), heaviest = heaviestOf(edgeList);
    var curved = edgeList.length <= CURVED_UP_TO, big = edgeList.length > BIG || nodeList.length > BIG / 2;
    edgeList.forEach(function (e) {
      e.smooth = curved ? { enabled: true, type: "curvedCW", roundness: 0.12 } : false;
    });
    // A large picture keeps pan and zoom smooth: edges hidden while moving, and hover lights up
    // the node's own edges (drawn by the library) instead of fading everything else.
    state.big = big;
    network.setOptions({
      interaction: { hideEdgesOnDrag: big, hideEdgesOnZoom: big, hoverConnectedEdges: big }
    });
    lastStyle = {};
    labelled = {};
    nodes.clear();
    edges.clear();
    nodes.add(styled(nodeList, function (n) { return nodeStyle(n, out, near); }));
    edges.add(styled(edgeList, function (e) { return edgeStyle(e, out, near, heaviest); }));
    state.renders.push(performance.now() - t0);
  }
  function drawBlocks(ctx) {
    state.expanded.forEach(function (name) {
      if (!visible(name)) { return; }
      var c = state.centre[name], e = state.extent[name], s = svc[name];
      ctx.save();
      ctx.globalAlpha = 0.35;
      ctx.fillStyle = s.fill;
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.rect(c[0] - e[0], c[1] - e[1], 2 * e[0], 2 * e[1]);
      ctx.fill();
      ctx.globalAlpha = 0.9;
      ctx.stroke();
      ctx.restore();
    });
  }

  // ------------------------------------------------------------------ view
  function viewBox() {
    var box = null;
    nodes.getIds().forEach(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) { return; }
      box = box ? [Math.min(box[0], b.left), Math.min(box[1], b.top), Math.max(box[2], b.right),
        Math.max(box[3], b.bottom)] : [b.left, b.top, b.right, b.bottom];
    });
    return box || [0, 0, 0, 0];
  }
  // Fit the graph, but not below READABLE px labels nor above MAX_FIRST_SCALE.
  function defaultView() {
    network.fit({ animation: false });  // (also sizes every node's box)
    var box = viewBox(), least = READABLE / G.fonts.service;
    var width = Math.max(box[2] - box[0], 1), height = Math.max(box[3] - box[1], 1);
    var fit = Math.min((container.clientWidth - 24) / width, (container.clientHeight - 24) / height);
    network.moveTo({
      position: { x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2 },
      scale: Math.min(Math.max(fit, least), MAX_FIRST_SCALE), animation: false
    });
  }
  function zoomBy(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: false });
  }
  function showBlock(name) {
    var c = state.centre[name], e = state.extent[name];
    var w = container.clientWidth, h = container.clientHeight;
    var fit = Math.min(w / (2 * e[0] + 60), h / (2 * e[1] + 60));
    var scale = Math.min(Math.max(fit, READABLE / G.fonts.module), 1.2);
    var y = c[1];
    if (2 * e[1] * scale > h) { y = c[1] - e[1] + (h / 2 - 30) / scale; }  // keep its title in sight
    network.moveTo({ position: { x: c[0], y: y }, scale: scale, animation: false });
  }

  // ------------------------------------------------------------------ actions
  function expand(name, keepView) {
    if (!svc[name] || open[name] || !(modulesOf[name] || []).length) { return; }
    state.expanded.push(name);
    state.hover = null;
    render();
    if (!keepView) { showBlock(name); }
  }
  function collapse(name) {
    var at = state.expanded.indexOf(name);
    if (at < 0) { return; }
    state.expanded.splice(at, 1);
    if (state.focus && state.focus.indexOf("m:") === 0 && !open[name]) { state.focus = null; }
    state.hover = null;
    render();
    if (!state.expanded.length) { defaultView(); }
  }
  function collapseAll() {
    state.expanded = [];
    state.focus = null;
    render();
    defaultView();
  }
  function expandAll() {
    state.expanded = names.filter(function (n) { return visible(n) && (modulesOf[n] || []).length; });
    render();
    network.fit({ animation: false });
  }
  function focusModule(module) {
    var i = moduleIndex[module];
    if (i === undefined) { return false; }
    var service = G.modules[i][1];
    if (!visible(service)) { setKernel(true); }
    if (!open[service]) { expand(service, true); }
    var id = "m:" + module;
    state.focus = id;
    restyle();
    network.selectNodes([id]);
    network.moveTo({
      position: network.getPosition(id), scale: Math.max(network.getScale(), 1), animation: false
    });
    say("Found " + module + " in " + title(service) + " (" + plural(G.modules[i][3], "line") + ", " +
      G.modules[i][4] + ").");
    return true;
  }
  function focusService(name) {
    if (!svc[name]) { return; }
    if (!visible(name)) { setKernel(true); }
    var id = open[name] ? "h:" + svc[name].node_id : svc[name].node_id;
    state.focus = id;
    restyle();
    network.selectNodes([id]);
    var least = READABLE / G.fonts.service;
    network.moveTo({
      position: network.getPosition(id), scale: Math.max(network.getScale(), least), animation: false
    });
  }
  function setKernel(on) {
    state.kernel = !!on;
    var box = document.getElementById("show-kernel");
    if (box) { box.checked = state.kernel; }
    render();
  }
  function setMinWeight(value) {
    state.minWeight = Math.max(1, Math.round(value));
    var slider = document.getElementById("min-weight"), shown = document.getElementById("min-weight-value");
    if (slider) { slider.value = String(state.minWeight); }
    if (shown) { shown.textContent = String(state.minWeight); }
    render();
  }

  // ------------------------------------------------------------------ the plan
  function routesText(routes) {
    var shown = routes.slice(0, 8).join(", ");
    return routes.length > 8 ? shown + " and " + (routes.length - 8).toLocaleString("en") + " more" : shown;
  }
  function waveLines(k) {
    if (k === 0) {
      return [["Today", "everything is in the monolith; " + plural(data.waves.length, "wave") +
        " extract the services, least entangled first. Pick a wave to see what it moves."]];
    }
    var w = data.waves[k - 1], moved = [];
    data.waves.slice(0, k).forEach(function (x) { moved = moved.concat(x.routes); });
    return [
      ["After wave " + k + " of " + data.waves.length, title(w.service) + " leaves (" +
        plural(w.modules, "module") + ", " + plural(w.routes.length, "route") + ")."],
      ["Out of the monolith", w.extracted.map(title).join(", ") + "."],
      ["Routes moved",
        moved.length ? moved.length.toLocaleString("en") + ": " + routesText(moved) : "none yet."],
      ["Calls still crossing", plural(w.calls_into_monolith, "call site") + " from the extracted services " +
        "into the monolith, " + plural(w.calls_from_monolith, "call site") + " from the monolith into them."]
    ];
  }
  function showWave() {
    if (!waveInfo) { return; }
    waveInfo.textContent = "";
    waveLines(state.wave).forEach(function (pair) {
      var p = document.createElement("div");
      var b = document.createElement("strong");
      b.textContent = pair[0] + ": ";
      p.appendChild(b);
      p.appendChild(document.createTextNode(pair[1]));
      waveInfo.appendChild(p);
    });
    Array.prototype.forEach.call(document.querySelectorAll("tr[data-wave]"), function (row) {
      row.classList.toggle("current", Number(row.getAttribute("data-wave")) === state.wave);
    });
  }
  function setWave(k) {
    state.wave = Math.max(0, Math.min(data.waves.length, Math.round(k)));
    var select = document.getElementById("wave");
    if (select) { select.value = String(state.wave); }
    restyle();
    showWave();
  }

  // ------------------------------------------------------------------ hover and click
  function serviceNumbers(name) {
    var s = svc[name], out = 0, into = 0;
    s.uses.forEach(function (e) { out += e.call_sites; });
    s.used_by.forEach(function (e) { into += e.call_sites; });
    return title(name) + ": " + plural(s.modules.length, "module") + " · " + plural(s.loc, "line") +
      " · uses " + plural(s.uses.length, "service") + " (" + plural(out, "call site") + ") · used by " +
      plural(s.used_by.length, "service") + " (" + plural(into, "call site") + ")" +
      (s.in_cycle ? " · in a dependency cycle" : "");
  }
  function edgeNumbers(e) {
    if (e.kind === "data") { return "tables: " + e.info.tables.join(", "); }
    if (e.kind === "module") {
      return plural(e.weight, "line") + " (" + plural(e.info.pairs, "module pair") + ")";
    }
    var x = e.info;
    var text = x.call_sites ? plural(x.call_sites, "call") : plural(x.imports, "import");
    if (x.shared_tables.length) { text += " · " + plural(x.shared_tables.length, "shared table"); }
    return (x.in_cycle && !x.feedback ? "↻ " : "") + text;
  }
  function edgeSentence(e) {
    var from = e.from.indexOf("m:") === 0 ? e.from.slice(2) : title(e.sFrom);
    var to = e.to.indexOf("m:") === 0 ? e.to.slice(2) : title(e.sTo);
    if (e.kind === "data") {
      return title(e.sFrom) + " and " + title(e.sTo) + " both use " + e.info.tables.join(", ") + ".";
    }
    if (e.kind === "module") {
      return from + " → " + to + ": " + plural(e.weight, "import/reference line") + " over " +
        plural(e.info.pairs, "module pair") + ".";
    }
    var x = e.info, note = "";
    if (x.feedback) { note = " This dependency closes a cycle: invert it (events, callbacks) first."; }
    else if (x.in_cycle) { note = " In a dependency cycle."; }
    else if (x.wires) { note = " Wiring only: registers its routes or imports it for side effects."; }
    return from + " → " + to + ": " + plural(x.call_sites, "call site") + ", " + plural(x.imports, "import") +
      (x.shared_tables.length ? ", shared tables " + x.shared_tables.join(", ") : "") + "." + note;
  }
  function siteList(e) {
    var found = [];
    G.sites.forEach(function (t) {
      if (rep(t[0]) === e.from && rep(t[2]) === e.to) {
        found.push({ path: G.modules[t[0]][4] || G.modules[t[0]][0], line: t[1], source: G.modules[t[0]][0],
          target: G.modules[t[2]][0], symbol: t[3] });
      }
    });
    return found;
  }
  function onHoverNode(params) {
    var item = nodes.get(params.node);
    state.hover = params.node;
    restyle();
    if (!item) { return; }
    if (item.kind === "module") {
      var m = G.modules[moduleIndex[item.module]];
      say(item.module + " (" + title(item.service) + "): " + plural(m[3], "line") + " · " + m[4]);
    } else {
      say(serviceNumbers(item.service));
    }
  }
  function onHoverEdge(params) {
    var e = edges.get(params.edge);
    if (!e) { return; }
    state.hoverEdge = params.edge;
    restyle();
    say(edgeSentence(e));
  }
  function onBlur() {
    state.hover = null;
    state.hoverEdge = null;
    restyle();
    say(info0);
  }
  function panel() { return window.stranglerPanel || null; }
  function onClick(params) {
    if (params.nodes.length) {
      var item = nodes.get(params.nodes[0]);
      if (!item) { return; }
      if (item.kind === "header") { collapse(item.service); return; }
      if (item.kind === "module") {
        state.focus = item.id;
        restyle();
        if (panel()) { panel().select(item.service, item.module, true); }
        return;
      }
      expand(item.service);
      if (panel()) { panel().select(item.service, null, true); }
      return;
    }
    if (params.edges.length) {
      var e = edges.get(params.edges[0]);
      if (e && panel()) {
        var from = e.from.indexOf("m:") === 0 ? e.from.slice(2) : title(e.sFrom);
        var to = e.to.indexOf("m:") === 0 ? e.to.slice(2) : title(e.sTo);
        panel().showEdge({ from: from, to: to, summary: edgeSentence(e), sites: siteList(e) });
      }
    }
  }
  function onDoubleClick(params) {
    var item = params.nodes.length ? nodes.get(params.nodes[0]) : null;
    if (item && item.kind === "module") { collapse(item.service); }
  }

  // ------------------------------------------------------------------ wiring
  function bind(id, event, handler) {
    var element = document.getElementById(id);
    if (element) { element.addEventListener(event, handler); }
  }
  network.on("hoverNode", onHoverNode);
  network.on("blurNode", onBlur);
  network.on("hoverEdge", onHoverEdge);
  network.on("blurEdge", onBlur);
  network.on("click", onClick);
  network.on("doubleClick", onDoubleClick);
  network.on("beforeDrawing", drawBlocks);
  network.once("afterDrawing", function () { state.firstDraw = performance.now(); });
  bind("zoom-in", "click", function () { zoomBy(1.3); });
  bind("zoom-out", "click", function () { zoomBy(1 / 1.3); });
  bind("zoom-fit", "click", function () { network.fit({ animation: false }); });
  bind("collapse-all", "click", collapseAll);
  bind("show-kernel", "change", function (event) { setKernel(event.target.checked); });
  bind("min-weight", "input", function (event) { setMinWeight(Number(event.target.value)); });
  bind("wave", "change", function (event) { setWave(Number(event.target.value)); });
  container.addEventListener("keydown", function (event) {
    if (event.key === "+" || event.key === "=") { zoomBy(1.3); }
    else if (event.key === "-") { zoomBy(1 / 1.3); }
    else if (event.key === "0") { defaultView(); }
  });

  render();
  defaultView();
  showWave();
  window.stranglerGraph = {
    network: network, nodes: nodes, edges: edges, state: state, started: started,
    expand: expand, collapse: collapse, collapseAll: collapseAll, expandAll: expandAll,
    focusModule: focusModule, focusService: focusService, setKernel: setKernel,
    setMinWeight: setMinWeight, setWave: setWave, zoomBy: zoomBy, defaultView: defaultView,
    fit: function () { network.fit({ animation: false }); }
  };
})();
"""

GRAPH_SCRIPT = (
    _SCRIPT.replace("__KERNEL__", json.dumps(SHARED_KERNEL))
    .replace("__CYCLE__", json.dumps(palette.CYCLE))
    .replace("__GREY__", json.dumps(palette.MUTED))
    .replace("__DATA__", json.dumps(palette.DATA))
    .replace("__INK__", json.dumps(palette.INK))
    .replace("__FAINT__", json.dumps(palette.FAINT))
    .replace("__TABLE_WEIGHT__", json.dumps(TABLE_WEIGHT))
)
