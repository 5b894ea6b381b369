// Events by place on an offline basemap (Natural Earth country outlines, no tile server).
// Popups are DOM nodes filled with textContent: place names are data, never HTML.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var status = document.getElementById("map-status");
  if (!box || typeof L === "undefined" || typeof topojson === "undefined") return;

  var map = L.map(box, { worldCopyJump: true, attributionControl: true }).setView([25, 20], 2);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  function popup(place) {
    var div = document.createElement("div");
    var title = document.createElement("a");
    title.href = "/entities/" + encodeURIComponent(place.type) + "/" + encodeURIComponent(place.name);
    title.textContent = place.name;
    var count = document.createElement("p");
    var events = document.createElement("a");
    var url = new URL(box.getAttribute("data-events"), window.location.href);
    url.searchParams.set("place_is", place.type + ":" + place.name);  // exact, not a substring
    events.href = url.pathname + url.search;
    events.textContent = place.events + (place.events === 1 ? " event" : " events");
    count.appendChild(events);
    div.appendChild(title);
    div.appendChild(count);
    return div;
  }

  getJson(box.getAttribute("data-basemap"))
    .then(function (world) {
      L.geoJSON(topojson.feature(world, world.objects.countries), {
        style: { color: "#7a7a7a", weight: 0.6, fillColor: "#e8e4d8", fillOpacity: 1 },
        interactive: false
      }).addTo(map);
      return getJson(box.getAttribute("data-src"));
    })
    .then(function (places) {
      var peak = places.reduce(function (m, p) { return Math.max(m, p.events); }, 1);
      var layer = L.featureGroup();
      places.forEach(function (p) {
        L.circleMarker([p.lat, p.lon], { radius: 4 + 14 * Math.sqrt(p.events / peak), color: "#b71c1c",
                                         weight: 1, fillOpacity: 0.55 })
          .bindPopup(popup(p)).addTo(layer);
      });
      layer.addTo(map);
      if (places.length) map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: 5 });
      window.parleyMap = map;
      status.textContent = status.textContent.replace(/\.$/, "") + " (drawn).";
      box.setAttribute("data-ready", "true");
    })
    .catch(function (err) { status.textContent = "The map could not be drawn (" + err.message + "); the table below has the same data."; });
})();
