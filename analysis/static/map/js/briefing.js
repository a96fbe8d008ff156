/*
 * The briefing's map: the most active hotspots of the period as circles sized by their records,
 * each named, on Haiti's outlines (no tiles needed; drawn as SVG, so it prints).
 */

import { readJSON } from "../../portal/js/dom.js";

const L = window.L;
const points = readJSON("briefing-points") || [];

window.addEventListener("map:init", (event) => {
  if (event.detail.id !== "briefing-map") {
    return;
  }
  const map = event.detail.map;
  const most = Math.max(1, ...points.map((p) => p[3]));
  const layer = L.featureGroup();
  for (const [name, lat, lon, records] of points) {
    const label = document.createElement("span");
    label.textContent = name; // a name is text, never markup
    L.circleMarker([lat, lon], {
      renderer: L.svg(),
      radius: 5 + 10 * Math.sqrt(records / most),
      color: "#ffffff",
      weight: 1.5,
      fillColor: "#b3261e",
      fillOpacity: 0.85,
      interactive: false,
    })
      .bindTooltip(label, { permanent: true, direction: "right", className: "briefing-name" })
      .addTo(layer);
  }
  layer.addTo(map);
  if (points.length) {
    map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: 12, animate: false });
  }
  map.getContainer().dataset.points = String(points.length);
});
