/*
 * Small SVG charts drawn here, with no library: vertical bars (stacked by series) and horizontal
 * bars. Each chart is an <svg role="img"> with a title and a description for screen readers, a
 * <title> on every bar for the numbers, and colours given as SVG attributes (the CSP forbids
 * inline styles). The pages also give each chart's numbers as a table.
 */

import { formatNumber } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
let counter = 0;

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    node.setAttribute(name, String(value));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/* Round tick steps (1, 2, 5 x 10^n, whole numbers: the charts count things) covering 0..max. */
export function ticks(max, count = 5) {
  if (!(max > 0)) {
    return [0, 1];
  }
  const raw = max / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw));
  const result = [];
  for (let v = 0; v <= max + step * 0.001; v += step) {
    result.push(v);
  }
  if (result[result.length - 1] < max) {
    result.push(result[result.length - 1] + step);
  }
  return result;
}

function frame(container, { title, description, width, height }) {
  const id = "chart-" + ++counter;
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`,
    class: "chart",
    preserveAspectRatio: "xMinYMin meet",
  });
  root.append(svg("title", { id: `${id}-title` }, title || ""));
  root.append(svg("desc", { id: `${id}-desc` }, description || ""));
  container.replaceChildren(root);
  return root;
}

function legend(container, series) {
  if (series.length < 2) {
    return;
  }
  const list = document.createElement("ul");
  list.className = "chart-legend";
  for (const s of series) {
    const item = document.createElement("li");
    const swatch = svg("svg", { width: 12, height: 12, "aria-hidden": "true", focusable: "false" });
    swatch.append(svg("rect", { width: 12, height: 12, fill: s.color, rx: 2 }));
    item.append(swatch, document.createTextNode(" " + s.name));
    list.append(item);
  }
  container.append(list);
}

/*
 * Vertical bars, one per category, stacked by series.
 * options: categories, series [{name, color, values}], title, description, labelOf(category),
 * height, onSelect(index) to make bars buttons (keyboard too), selected (index).
 */
export function barChart(container, options) {
  const categories = options.categories || [];
  const series = options.series || [];
  const width = options.width || 720;
  const height = options.height || 240;
  const margin = { top: 12, right: 12, bottom: 34, left: 44 };
  const root = frame(container, { title: options.title, description: options.description, width, height });
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] || 0), 0));
  const scale = ticks(Math.max(1, ...totals));
  const top = scale[scale.length - 1];
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const y = (v) => margin.top + plotH - (v / top) * plotH;

  const grid = svg("g", { class: "chart-grid" });
  for (const tick of scale) {
    grid.append(svg("line", { x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick), stroke: "#d0d4d9" }));
    grid.append(
      svg("text", { x: margin.left - 6, y: y(tick) + 4, "text-anchor": "end", class: "chart-tick" }, formatNumber(tick)),
    );
  }
  root.append(grid);

  const band = plotW / Math.max(1, categories.length);
  const barW = Math.max(2, Math.min(48, band * 0.75));
  const every = Math.max(1, Math.ceil(categories.length / Math.floor(plotW / 70)));
  const labelOf = options.labelOf || String;
  const bars = svg("g", { class: "chart-bars" });
  categories.forEach((category, i) => {
    const x = margin.left + band * i + (band - barW) / 2;
    const group = svg("g", { class: "chart-bar" + (options.selected === i ? " is-selected" : "") });
    let base = 0;
    const parts = [];
    for (const s of series) {
      const value = s.values[i] || 0;
      if (value > 0) {
        group.append(
          svg("rect", { x, y: y(base + value), width: barW, height: y(base) - y(base + value), fill: s.color }),
        );
        parts.push(`${s.name}: ${formatNumber(value)}`);
      }
      base += value;
    }
    const summary = `${labelOf(category)}: ${formatNumber(totals[i])}` + (series.length > 1 && parts.length ? ` (${parts.join(", ")})` : "");
    group.append(svg("title", {}, summary));
    if (options.onSelect) {
      // The whole band is the target, so that an empty week can be chosen too.
      const hit = svg("rect", {
        x: margin.left + band * i,
        y: margin.top,
        width: band,
        height: plotH,
        fill: "transparent",
        class: "chart-hit",
        // For the pointer only (inside role="img" a label is not allowed): keyboards have the
        // chart's own control, e.g. the map's week slider, and the group's <title> names the bar.
        "aria-hidden": "true",
      });
      hit.addEventListener("click", () => options.onSelect(i));
      group.append(hit);
    }
    bars.append(group);
    if (i % every === 0) {
      root.append(
        svg("text", { x: x + barW / 2, y: height - margin.bottom + 16, "text-anchor": "middle", class: "chart-tick" }, labelOf(category)),
      );
    }
  });
  root.append(bars);
  root.append(svg("line", { x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0), stroke: "#4a5560" }));
  legend(container, series);
  container.dataset.chartBars = String(categories.length);
  return root;
}

/*
 * Horizontal bars, one per item: options.items [{label, value, note}], color, title, description.
 */
export function horizontalBars(container, options) {
  const items = options.items || [];
  const width = options.width || 720;
  const row = 30;
  const margin = { top: 8, right: 80, bottom: 8, left: 170 };
  const height = margin.top + margin.bottom + Math.max(1, items.length) * row;
  const root = frame(container, { title: options.title, description: options.description, width, height });
  const top = Math.max(1, ...items.map((item) => item.value));
  const plotW = width - margin.left - margin.right;
  items.forEach((item, i) => {
    const yTop = margin.top + i * row;
    const w = (item.value / top) * plotW;
    const group = svg("g", { class: "chart-bar" });
    group.append(svg("text", { x: margin.left - 8, y: yTop + row / 2 + 4, "text-anchor": "end", class: "chart-label" }, item.label));
    group.append(svg("rect", { x: margin.left, y: yTop + 5, width: Math.max(1, w), height: row - 10, fill: options.color || "#1f5f8b" }));
    group.append(svg("text", { x: margin.left + w + 6, y: yTop + row / 2 + 4, class: "chart-value" }, formatNumber(item.value)));
    group.append(svg("title", {}, `${item.label}: ${formatNumber(item.value)}` + (item.note ? ` (${item.note})` : "")));
    root.append(group);
  });
  container.dataset.chartBars = String(items.length);
  return root;
}
