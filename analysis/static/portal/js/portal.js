/*
 * On every page: the language switcher returns to the page as it is now (filters included),
 * and <time data-format> elements are written out in the reader's language.
 */

import { formatDate, formatDateTime, formatDay, formatMonth } from "./i18n.js";

function languageSwitcher() {
  const form = document.getElementById("language-form");
  if (!form) {
    return;
  }
  const select = form.querySelector("select");
  const next = form.querySelector("input[name=next]");
  form.addEventListener("submit", () => {
    next.value = window.location.pathname + window.location.search + window.location.hash;
  });
  // Choosing a language applies it; the button stays for keyboards and for pages without script.
  select.addEventListener("change", () => form.requestSubmit());
}

export function localiseTimes(root) {
  for (const node of (root || document).querySelectorAll("time[data-format]")) {
    const value = node.getAttribute("datetime");
    if (!value) {
      continue;
    }
    const format = node.dataset.format;
    let text = "";
    if (format === "month") {
      text = formatMonth(value.slice(0, 7));
    } else if (format === "day") {
      text = formatDay(value.slice(0, 10));
    } else if (format === "date") {
      text = formatDate(value);
    } else {
      text = formatDateTime(value);
    }
    if (text) {
      node.textContent = text;
    }
  }
}

/* The filters of the page's URL carried by the header's Map, List and Dashboard links, so moving
   between them keeps the period, kinds, contingents, place and area (the map's view stays behind). */
const FILTER_KEYS = ["period", "from", "to", "week", "kind", "contingent", "place", "area"];

function keepFilters() {
  const current = new URLSearchParams(window.location.search);
  const kept = new URLSearchParams();
  for (const [key, value] of current) {
    if (FILTER_KEYS.includes(key)) {
      kept.append(key, value);
    }
  }
  const query = kept.toString();
  for (const link of document.querySelectorAll("a[data-keep-filters]")) {
    const url = new URL(link.getAttribute("href"), window.location.href);
    url.search = query;
    link.setAttribute("href", url.pathname + url.search);
  }
}

languageSwitcher();
keepFilters();
window.addEventListener("portal:filters", keepFilters);
localiseTimes();
