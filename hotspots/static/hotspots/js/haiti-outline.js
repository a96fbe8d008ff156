/*
 * Draws Haiti's departments under every django-leaflet map (admin widgets included), so staff
 * can find their way when no map tiles can be reached, as in the field. Loaded as a django-leaflet
 * plugin (LEAFLET_CONFIG["PLUGINS"]); listens to the "map:init" event each map fires.
 */
(function () {
  "use strict";
  if (window.mssHaitiOutline) {
    return; // included twice (a page map and an admin widget): one listener is enough
  }
  window.mssHaitiOutline = true;
  var script = document.currentScript;
  var url = new URL("../data/departments.geojson", script ? script.src : window.location.href).href;
  var outline = null;

  function load() {
    if (!outline) {
      outline = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error("departments outline: HTTP " + response.status);
        }
        return response.json();
      });
    }
    return outline;
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    if (!map.getPane("haitiOutline")) {
      map.createPane("haitiOutline");
      map.getPane("haitiOutline").style.zIndex = 250; // above tiles, below shapes and markers
      map.getPane("haitiOutline").style.pointerEvents = "none";
    }
    load()
      .then(function (data) {
        window.L.geoJSON(data, {
          pane: "haitiOutline",
          interactive: false,
          style: { color: "#5a6b7b", weight: 1, fillColor: "#f4f1e8", fillOpacity: 0.6 },
        }).addTo(map);
      })
      .catch(function (error) {
        window.console.warn(error);
      });
  });
})();
