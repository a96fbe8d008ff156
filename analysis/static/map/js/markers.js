/*
 * How a hotspot looks on the map: its colour says its kind, its size its activity in the period
 * (updates and reports), and a dashed, paler ring says that its point is only a fallback (low
 * confidence). Markers are drawn on a canvas, so a thousand of them stay fluid.
 */

import { gettext } from "../../portal/js/i18n.js";

// Distinguishable for the common colour-vision deficiencies (Okabe-Ito based), dark enough on the beige outline.
export const KIND_COLOURS = {
  airport: "#0072b2",
  port: "#3a8fc1",
  police_facility: "#1b3a6b",
  fuel_terminal: "#b86e00",
  government_building: "#7a4fa0",
  public_square: "#b5508f",
  neighbourhood: "#c0440e",
  road_junction: "#007a5a",
  road: "#4f7a2b",
  town: "#7d5f25",
  other: "#555555",
};

export function colourOf(kind) {
  return KIND_COLOURS[kind] || KIND_COLOURS.other;
}

export function activityOf(row) {
  return row.updates + row.reports;
}

export function radiusFor(activity, maxActivity) {
  if (!activity) {
    return 5;
  }
  return 6 + 12 * Math.sqrt(activity / Math.max(1, maxActivity));
}

export function markerStyle(row, maxActivity, { dimmed = false } = {}) {
  const activity = activityOf(row);
  const low = row.confidence === "low";
  return {
    radius: radiusFor(activity, maxActivity),
    color: low ? "#3b3b3b" : "#ffffff",
    weight: low ? 2 : 1.5,
    dashArray: low ? "4 3" : null,
    fillColor: colourOf(row.kind),
    fillOpacity: (activity ? 0.9 : 0.45) * (low ? 0.6 : 1) * (dimmed ? 0.3 : 1),
    opacity: dimmed ? 0.35 : 1,
  };
}

const SVG = "http://www.w3.org/2000/svg";

function swatch(kind, { low = false, radius = 6 } = {}) {
  const size = 2 * radius + 4;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", size);
  svg.setAttribute("height", size);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const circle = document.createElementNS(SVG, "circle");
  circle.setAttribute("cx", size / 2);
  circle.setAttribute("cy", size / 2);
  circle.setAttribute("r", radius);
  circle.setAttribute("fill", kind ? colourOf(kind) : "#888888");
  circle.setAttribute("fill-opacity", low ? "0.55" : "0.9");
  circle.setAttribute("stroke", low ? "#3b3b3b" : "#ffffff");
  circle.setAttribute("stroke-width", low ? "2" : "1.5");
  if (low) {
    circle.setAttribute("stroke-dasharray", "4 3");
  }
  svg.append(circle);
  return svg;
}

/* The legend: the kinds present on the map, then what size and a dashed ring mean. */
export function fillLegend(container, kinds, kindLabels) {
  container.replaceChildren();
  const list = document.createElement("ul");
  list.className = "legend-kinds";
  for (const kind of kinds) {
    const item = document.createElement("li");
    item.append(swatch(kind), document.createTextNode(" " + (kindLabels[kind] || kind)));
    list.append(item);
  }
  const sizes = document.createElement("li");
  sizes.append(swatch(null, { radius: 4 }), swatch(null, { radius: 8 }), document.createTextNode(" " + gettext("Larger: more activity in the period")));
  const low = document.createElement("li");
  low.append(swatch(null, { low: true }), document.createTextNode(" " + gettext("Dashed ring: low-confidence location (a fallback point)")));
  const notes = document.createElement("ul");
  notes.append(sizes, low);
  container.append(list, notes);
}
