/* The weekly picture's map (picture/week.html): area outlines (or a ring at the
   centre), the 250 m grid cells as squares shaded by their count, and the week's
   reports as dots coloured by category. Data from the page's json_script; no inline
   script (CSP). Background tiles only when the server names a tile server. The map is
   keyboard-usable (Leaflet: arrows pan, +/- zoom) and can be skipped: the tables
   below hold the same reports. */
(function () {
  "use strict";
  var wrapper = document.querySelector("[data-week-map]");
  var holder = document.getElementById("week-map");
  var source = document.getElementById("week-map-data");
  if (!wrapper || !holder || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var COLOUR = /^#[0-9a-fA-F]{6}$/;
  function colour(value) { return COLOUR.test(value || "") ? value : "#1f5f8b"; }

  wrapper.hidden = false;
  var L = window.L;
  var map = L.map(holder, { keyboard: true, zoomControl: false, preferCanvas: true,
                            attributionControl: Boolean(data.tiles) });
  L.control.zoom({ zoomInTitle: data.labels.zoom_in, zoomOutTitle: data.labels.zoom_out }).addTo(map);
  if (data.tiles) {
    map.attributionControl.setPrefix(false);
    L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
  }
  // Build every layer first, set the view from their extent, then add them (a canvas
  // layer added before the map has a view has no pixel bounds yet).
  var layers = [];
  var bounds = L.latLngBounds([]);
  (data.areas || []).forEach(function (area) {
    if (area.boundary) {
      var outline = L.geoJSON(area.boundary, { interactive: false,
        style: { color: "#0b0c0c", weight: 2, fill: false } });
      layers.push(outline);
      bounds.extend(outline.getBounds());
    } else if (area.centre) {
      layers.push(L.circleMarker(area.centre, { radius: 10, color: "#0b0c0c", weight: 2, fill: false,
                                                interactive: false }));
      bounds.extend(L.latLng(area.centre[0], area.centre[1]));
    }
  });
  var most = 1;
  (data.cells || []).forEach(function (cell) { most = Math.max(most, cell[4]); });
  (data.cells || []).forEach(function (cell) {
    var square = L.latLngBounds([cell[0], cell[1]], [cell[2], cell[3]]);
    layers.push(L.rectangle(square, { color: "#1d70b8", weight: 1, fillColor: "#1d70b8",
                                      fillOpacity: 0.08 + 0.5 * cell[4] / most, interactive: false }));
    bounds.extend(square);
  });
  var categories = data.categories || {};
  (data.points || []).forEach(function (point) {
    var c = colour((categories[point[2]] || {}).colour);
    layers.push(L.circleMarker([point[0], point[1]], { radius: 4, color: "#ffffff", weight: 1, fillColor: c,
                                                       fillOpacity: 0.95, interactive: false }));
  });
  if (bounds.isValid()) {
    map.fitBounds(bounds.pad(0.1), { maxZoom: 16 });
  } else {
    map.setView(data.fallback, 12);
  }
  layers.forEach(function (layer) { layer.addTo(map); });
}());
