/* The report form's map: progressive enhancement of the "Where?" question.
 *
 * Without this script (or without Leaflet) the reporter chooses a named place, or none
 * (the area's centre). With it, a map of the chosen area shows its outline and named
 * places; tapping or clicking sets the hidden lat/lon fields, choosing a named place in
 * the list moves the marker there. Data comes from the json_script element
 * "report-map-data" (no inline script: the Content Security Policy forbids it).
 * Background tiles are drawn only when the server names a tile URL.
 */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  function init() {
    var dataNode = byId("report-map-data");
    var wrapper = byId("report-map-wrapper");
    var box = byId("report-map");
    if (!dataNode || !wrapper || !box || typeof window.L === "undefined") { return; }
    var L = window.L;
    var data = JSON.parse(dataNode.textContent);
    var labels = data.labels || {};
    var lat = byId("id_lat");
    var lon = byId("id_lon");
    var placeSelect = byId("id_place");
    var status = byId("report-map-status");
    var clear = byId("report-map-clear");
    wrapper.hidden = false;

    var map = L.map(box, { attributionControl: Boolean(data.tileUrl), keyboard: true });
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.tileAttribution || "" }).addTo(map);
    }
    var outlines = L.layerGroup().addTo(map);
    var placeDots = L.layerGroup().addTo(map);
    var point = null;

    function say(text) { if (status) { status.textContent = text || ""; } }

    function currentArea() {
      var chosen = document.querySelector("[data-area-radio]:checked") ||
        document.querySelector("input[type=hidden][data-area-radio]");
      return chosen ? data.areas[chosen.value] : null;
    }
    function currentAreaId() {
      var chosen = document.querySelector("[data-area-radio]:checked") ||
        document.querySelector("input[type=hidden][data-area-radio]");
      return chosen ? Number(chosen.value) : null;
    }

    function setPoint(latlng, announce) {
      if (point) { point.setLatLng(latlng); } else {
        point = L.circleMarker(latlng, { radius: 9, color: "#0b0c0c", weight: 3, fillColor: "#ffdd00", fillOpacity: 1 })
          .addTo(map);
      }
      if (announce) { say(announce); }
    }

    function removePoint() {
      if (point) { map.removeLayer(point); point = null; }
      lat.value = "";
      lon.value = "";
      if (clear) { clear.hidden = true; }
    }

    function showArea() {
      var area = currentArea();
      var areaId = currentAreaId();
      outlines.clearLayers();
      placeDots.clearLayers();
      if (!area) { map.setView([59.33, 18.06], 11); return; }
      var bounds = null;
      if (area.boundary) {
        var shape = L.geoJSON(area.boundary, { style: { color: "#1d70b8", weight: 2, fillOpacity: 0.05 } });
        shape.addTo(outlines);
        bounds = shape.getBounds();
      }
      (data.places || []).forEach(function (place) {
        if (place.area !== areaId) { return; }
        var dot = L.circleMarker([place.lat, place.lon], { radius: 6, color: "#1d70b8", fillOpacity: 0.8 });
        dot.bindTooltip(place.name);
        dot.on("click", function (event) {
          L.DomEvent.stopPropagation(event);
          placeSelect.value = String(place.id);
          removePoint();
          setPoint([place.lat, place.lon], (labels.placeChosen || "") + " " + place.name);
        });
        dot.addTo(placeDots);
      });
      if (bounds && bounds.isValid()) { map.fitBounds(bounds); } else if (area.centre) {
        map.setView(area.centre, 15);
      } else { map.setView([59.33, 18.06], 11); }
    }

    map.on("click", function (event) {
      var ll = event.latlng;
      lat.value = ll.lat.toFixed(5);
      lon.value = ll.lng.toFixed(5);
      placeSelect.value = "";
      setPoint(ll, labels.pointSet);
      if (clear) { clear.hidden = false; }
    });
    if (clear) {
      clear.addEventListener("click", function () { removePoint(); say(labels.pointRemoved); });
    }
    placeSelect.addEventListener("change", function () {
      var id = Number(placeSelect.value);
      var found = (data.places || []).filter(function (p) { return p.id === id; })[0];
      removePoint();
      if (found) { setPoint([found.lat, found.lon], (labels.placeChosen || "") + " " + found.name); }
    });
    document.querySelectorAll("[data-area-radio]").forEach(function (radio) {
      radio.addEventListener("change", function () { removePoint(); placeSelect.value = ""; showArea(); });
    });

    showArea();
    if (lat.value && lon.value) {  // the form came back with an error: show the point kept
      setPoint([Number(lat.value), Number(lon.value)], "");
      if (clear) { clear.hidden = false; }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else { init(); }
}());
