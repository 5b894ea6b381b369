// Who-met-whom graph. Every label comes from the API as data and is drawn by cytoscape on a
// canvas (never parsed as HTML); links are built with encodeURIComponent / URLSearchParams.
(function () {
  "use strict";
  var box = document.getElementById("network");
  var status = document.getElementById("network-status");
  if (!box || typeof cytoscape === "undefined") return;

  function entityUrl(type, name) {
    return "/entities/" + encodeURIComponent(type) + "/" + encodeURIComponent(name);
  }

  // An edge's events, by the two entities' exact TYPE:name keys (not a name substring).
  // An edge of one event type links to the events of that type only, so the list holds what it counted.
  function eventsUrl(source, target, types) {
    var url = new URL(box.getAttribute("data-events"), window.location.href);
    url.searchParams.set("actor_is", source);
    url.searchParams.set("recipient_is", target);
    var kinds = types ? Object.keys(types) : [];
    if (kinds.length === 1) url.searchParams.set("type", kinds[0]);
    return url.pathname + url.search;
  }

  // Labels of a dense cluster write over one another: heaviest first, a main label that would
  // overlap one already drawn waits for a zoom, like the minor ones (its node stays, and its name
  // is in the table below the graph).
  function declutter(cy) {
    var drawn = [];
    cy.nodes("[!minor]").sort(function (a, b) { return b.data("weight") - a.data("weight"); }).forEach(function (n) {
      var box = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
      var clash = drawn.some(function (d) { return box.x1 < d.x2 && d.x1 < box.x2 && box.y1 < d.y2 && d.y1 < box.y2; });
      if (clash) {
        n.data("minor", true);
        n.style("font-size", 11);
      } else {
        drawn.push(box);
      }
    });
    // A minor label shows once the graph is zoomed in to 1.6 times its fitted size.
    cy.style().selector("node[?minor]").style("min-zoomed-font-size", Math.max(9, 11 * 1.6 * cy.zoom())).update();
  }

  fetch(box.getAttribute("data-src"), { headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(function (graph) {
      var maxW = graph.edges.reduce(function (m, e) { return Math.max(m, e.events); }, 1);
      // The nodes come heaviest first: the first LABELLED always carry their names, the others once zoomed in.
      var LABELLED = 30;
      var elements = graph.nodes.map(function (n, i) {
        return { data: { id: n.id, label: n.name, type: n.type, name: n.name, weight: n.events, minor: i >= LABELLED } };
      }).concat(graph.edges.map(function (e, i) {
        return { data: { id: "edge" + i, source: e.source_type + ":" + e.source, target: e.target_type + ":" + e.target,
                         events: e.events, from: e.source, to: e.target, types: e.types || null,
                         width: 1 + 7 * e.events / maxW } };
      }));
      var cy = cytoscape({
        container: box,
        elements: elements,
        // Room for 150 edges: repulsion, components packed close; minor nodes' labels wait for a
        // zoom (min-zoomed-font-size), so the heaviest actors' names stay legible.
        layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 12000, idealEdgeLength: 60,
                  nodeOverlap: 20, componentSpacing: 20, numIter: 1500 },
        style: [
          { selector: "node", style: { "label": "data(label)", "font-size": 11, "background-color": "#7a7a7a",
                                       "text-wrap": "ellipsis", "text-max-width": 140,
                                       "color": "#111", "text-valign": "bottom", "text-margin-y": 3,
                                       "width": "mapData(weight, 1, 50, 12, 40)", "height": "mapData(weight, 1, 50, 12, 40)" } },
          { selector: "node[?minor]", style: { "min-zoomed-font-size": 9 } },
          { selector: "node[type = 'PERSON']", style: { "background-color": "#1f5f99" } },
          { selector: "node[type = 'ORG']", style: { "background-color": "#a0522d", "shape": "round-rectangle" } },
          { selector: "node[type = 'GPE'], node[type = 'LOC'], node[type = 'FAC']", style: { "background-color": "#2e7d32", "shape": "diamond" } },
          { selector: "edge", style: { "width": "data(width)", "line-color": "#8a8a8a", "target-arrow-color": "#8a8a8a",
                                       "target-arrow-shape": "triangle", "curve-style": "bezier" } },
          { selector: ":selected", style: { "background-color": "#c2185b", "line-color": "#c2185b" } }
        ]
      });
      // A big graph is fitted at a small zoom: scale the main labels so they read at 11 px as drawn.
      if (cy.zoom() < 1) cy.style().selector("node[!minor]").style("font-size", Math.min(11 / cy.zoom(), 30)).update();
      declutter(cy);
      cy.on("tap", "node", function (evt) { window.location.href = entityUrl(evt.target.data("type"), evt.target.data("name")); });
      cy.on("tap", "edge", function (evt) { window.location.href = eventsUrl(evt.target.data("source"), evt.target.data("target"), evt.target.data("types")); });
      window.parleyNetwork = cy;  // for tests and the curious
      status.textContent = graph.edges.length + " edges among " + graph.nodes.length + " actors (drawn).";
      box.setAttribute("data-ready", "true");
    })
    .catch(function (err) { status.textContent = "The graph could not be drawn (" + err.message + "); the table below has the same data."; });
})();
