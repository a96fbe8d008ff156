/*
 * The dashboard's charts, drawn from the numbers the page carries (a JSON data block): updates
 * per week by kind, officers trained per month, personnel per contingent.
 */

import { barChart, horizontalBars } from "./charts.js";
import { readJSON } from "./dom.js";
import { fmt, formatDay, formatMonth, formatNumber, gettext } from "./i18n.js";

const KIND_COLOURS = {
  security_operation: "#1f5f8b",
  deployment: "#b86e00",
  training: "#007a5a",
  incident: "#b3261e",
  humanitarian: "#7a4fa0",
  statement: "#5f6b76",
};

const data = readJSON("dashboard-data");
const labels = data.labels;

function empty(container, text) {
  const p = document.createElement("p");
  p.className = "muted";
  p.textContent = text;
  container.replaceChildren(p);
  container.dataset.chartBars = "0";
}

function weekly() {
  const container = document.getElementById("chart-weekly");
  const series = Object.entries(data.weekly.updates).map(([kind, values]) => ({
    name: labels.update_kind[kind] || kind,
    color: KIND_COLOURS[kind] || "#555555",
    values,
  }));
  barChart(container, {
    categories: data.weekly.weeks,
    series,
    title: gettext("Updates per week, by kind"),
    description: gettext("Stacked bars: one bar per week, one colour per kind of update."),
    labelOf: (w) => formatDay(w, { day: "numeric", month: "short" }),
    height: 260,
  });
}

function training() {
  const container = document.getElementById("chart-training");
  if (!data.training.months.length) {
    empty(container, gettext("No completed course yet."));
    return;
  }
  barChart(container, {
    categories: data.training.months,
    series: [{ name: gettext("Officers trained"), color: "#007a5a", values: data.training.perMonth }],
    title: gettext("Officers trained per month"),
    description: gettext("One bar per month: officers trained in courses that ended that month."),
    labelOf: formatMonth,
    height: 220,
  });
}

function personnel() {
  const container = document.getElementById("chart-personnel");
  if (!data.personnel.length) {
    empty(container, gettext("No deployment figures yet."));
    return;
  }
  horizontalBars(container, {
    items: data.personnel.map((row) => ({
      label: row.name,
      value: row.personnel,
      note: fmt(gettext("as of %(day)s"), { day: formatDay(row.at.slice(0, 10)) }),
    })),
    color: "#b86e00",
    title: gettext("Latest reported strength, per contingent"),
    description: gettext("One bar per contingent: the latest personnel figure reported for it."),
  });
}

const total = document.getElementById("trained-total");
total.textContent = formatNumber(Number(total.dataset.value));
weekly();
training();
personnel();
