// Events by place on an offline basemap (Natural Earth country outlines, no tile server).
// Popups are DOM nodes filled with textContent: place names are data, never HTML.
// Places near each other on screen are drawn as one circle labelled with their events (within
// CELL pixels, regrouped at each zoom); areas (continents, regions) are listed in the page, not pinned.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var status = document.getElementById("map-status");
  if (!box || typeof L === "undefined" || typeof topojson === "undefined") return;

  var CELL = 44;  // px: circles closer than this share one
  // zoomSnap below 1: a fit fills the panel instead of dropping to the next whole zoom level.
  var map = L.map(box, { worldCopyJump: false, zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 0,
                         attributionControl: true }).setView([25, 20], 2);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  // A ring that crosses the antimeridian jumps from +180 to -180, which a flat map draws as a line
  // across the world. Unwrap it (each point within 180 degrees of the last, running past 180); a
  // ring that goes round a pole (Antarctica) comes back shifted by 360 and is closed along the pole.
  function unwrapRing(ring) {
    var out = [ring[0].slice()], shift = 0;
    for (var i = 1; i < ring.length; i++) {
      var d = ring[i][0] - ring[i - 1][0];
      if (d > 180) shift -= 360; else if (d < -180) shift += 360;
      out.push([ring[i][0] + shift, ring[i][1]]);
    }
    if (shift !== 0) {
      var pole = ring[0][1] < 0 ? -90 : 90;
      out.push([out[out.length - 1][0], pole], [out[0][0], pole], out[0].slice());
    }
    return out;
  }

  function unwrap(features) {
    features.forEach(function (f) {
      var g = f.geometry;
      if (!g) return;
      if (g.type === "Polygon") g.coordinates = g.coordinates.map(unwrapRing);
      else if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map(function (p) { return p.map(unwrapRing); });
    });
    return features;
  }

  function placeLink(place) {
    var a = document.createElement("a");
    a.href = "/entities/" + encodeURIComponent(place.type) + "/" + encodeURIComponent(place.name);
    a.textContent = place.name;
    return a;
  }

  function eventsLink(place) {
    var a = document.createElement("a");
    var url = new URL(box.getAttribute("data-events"), window.location.href);
    url.searchParams.set("place_is", place.type + ":" + place.name);  // exact, not a substring
    a.href = url.pathname + url.search;
    a.textContent = place.events + (place.events === 1 ? " event" : " events");
    return a;
  }

  function popup(group) {
    var div = document.createElement("div");
    if (group.places.length === 1) {
      var p = group.places[0], count = document.createElement("p");
      count.appendChild(eventsLink(p));
      div.appendChild(placeLink(p));
      div.appendChild(count);
      return div;
    }
    var head = document.createElement("p");
    head.textContent = group.places.length + " places, " + group.events + " events (zoom in to split them):";
    var list = document.createElement("ul");
    group.places.forEach(function (p) {
      var li = document.createElement("li");
      li.appendChild(placeLink(p));
      li.appendChild(document.createTextNode(": "));
      li.appendChild(eventsLink(p));
      list.appendChild(li);
    });
    div.appendChild(head);
    div.appendChild(list);
    return div;
  }

  // Places within CELL pixels of a group's first (most eventful) place at the current zoom join
  // it; each group is drawn at its places' mean point. Greedy, at most 300 places: no library needed.
  function groups(points) {
    var zoom = map.getZoom(), found = [];
    points.slice().sort(function (a, b) { return b.events - a.events; }).forEach(function (p) {
      var xy = map.project([p.lat, p.lon], zoom);
      var g = null;
      for (var i = 0; i < found.length && !g; i++) if (found[i].xy.distanceTo(xy) < CELL) g = found[i];
      if (!g) found.push(g = { xy: xy, places: [], events: 0, lat: 0, lon: 0 });
      g.places.push(p);
    });
    return found.map(function (g) {
      g.places.forEach(function (p) { g.events += p.events; g.lat += p.lat; g.lon += p.lon; });
      g.lat /= g.places.length;
      g.lon /= g.places.length;
      return g;
    });
  }

  function draw(layer, points, peak) {
    layer.clearLayers();
    groups(points).forEach(function (g) {
      L.circleMarker([g.lat, g.lon], { radius: 6 + 14 * Math.sqrt(Math.min(g.events, peak) / peak), color: "#b71c1c",
                                       weight: g.places.length > 1 ? 2 : 1, fillOpacity: 0.55 })
        .bindPopup(popup(g))
        .bindTooltip(String(g.events), { permanent: true, direction: "center", className: "map-count" })
        .addTo(layer);
    });
  }

  getJson(box.getAttribute("data-basemap"))
    .then(function (world) {
      var base = L.geoJSON(unwrap(topojson.feature(world, world.objects.countries).features), {
        style: { color: "#7a7a7a", weight: 0.6, fillColor: "#e8e4d8", fillOpacity: 1 },
        interactive: false
      }).addTo(map);
      window.parleyBasemap = base;  // for tests
      return getJson(box.getAttribute("data-src"));
    })
    .then(function (places) {
      var points = places.filter(function (p) { return !p.area; });
      var peak = points.reduce(function (m, p) { return Math.max(m, p.events); }, 1);
      var layer = L.featureGroup().addTo(map);
      if (points.length) {
        var bounds = L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; }));
        // A place page's small map with one place stops wider (4): an inland city among its
        // neighbours' borders, not a blank square of its own country's fill.
        var alone = box.classList.contains("small") && points.length === 1;
        map.fitBounds(bounds.pad(0.15), { maxZoom: alone ? 4 : 6, animate: false });
      } else {
        map.fitBounds([[-55, -170], [75, 190]], { animate: false });
      }
      draw(layer, points, peak);
      map.on("zoomend", function () { draw(layer, points, peak); });
      window.parleyMap = map;
      window.parleyMarkers = layer;
      status.textContent = status.textContent.replace(/\.?\s*$/, "") + " (drawn).";
      box.setAttribute("data-ready", "true");
    })
    .catch(function (err) { status.textContent = "The map could not be drawn (" + err.message + "); the table below has the same data."; });
})();
