/*
 * Place names drawn by the map itself, for the field where no tiles can be reached: departments
 * when zoomed out, communes closer in, populated places (asked for the view only) closest in. The
 * layer thins itself: names are placed most important first, and one that would overlap a name
 * already placed is left out, so each zoom shows as many names as fit and no more.
 *
 * The names are decoration for sighted readers (the panel lists the hotspots in view, and the
 * search finds every name), so the pane is hidden from screen readers and takes no pointer.
 */

import { getJSON, withParams } from "../../portal/js/api.js";

const L = window.L;
// Zooms from which each group is drawn (the map opens at 9 and shows whole departments at 8).
const FROM_ZOOM = { departments: 0, communes: 9, places: 12 };
const UNTIL_ZOOM = { departments: 10, communes: 99, places: 99 };
// As map.css draws them (.place-name-*): font, size in rem, letter spacing in em, capitals.
const FONTS = {
  departments: { font: "700", size: 0.95, spacing: 0.06, upper: true },
  communes: { font: "600", size: 0.82, spacing: 0, upper: false },
  places: { font: "italic 400", size: 0.75, spacing: 0, upper: false },
};
const LINE_HEIGHT = { departments: 22, communes: 19, places: 17 };
const GAP = 4; // pixels kept free around each name

let measurer = null;

/* The width in pixels a name takes on screen, measured with the font it is drawn in. */
function textWidth(group, name) {
  if (!measurer) {
    measurer = document.createElement("canvas").getContext("2d");
  }
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const family = getComputedStyle(document.body).fontFamily;
  const { font, size, spacing, upper } = FONTS[group];
  measurer.font = `${font} ${size * rem}px ${family}`;
  const text = upper ? name.toUpperCase() : name;
  return measurer.measureText(text).width + spacing * size * rem * text.length;
}

export class PlaceNames extends L.Layer {
  constructor(urls) {
    super();
    this.urls = urls;
    this.areas = null;
    this.places = [];
    this.placesBox = null;
    this.generation = 0;
  }

  onAdd(map) {
    if (!map.getPane("names")) {
      const pane = map.createPane("names");
      pane.style.zIndex = 420; // over the outlines, under the hotspots
      pane.style.pointerEvents = "none";
      pane.setAttribute("aria-hidden", "true");
    }
    this.group = L.layerGroup().addTo(map);
    map.on("moveend", this.refresh, this);
    if (!this.areas) {
      getJSON(this.urls.labels)
        .then(({ data }) => {
          this.areas = data;
          this.refresh();
        })
        .catch((error) => window.console.warn(error));
    } else {
      this.refresh();
    }
  }

  onRemove(map) {
    map.off("moveend", this.refresh, this);
    this.group.remove();
  }

  refresh() {
    if (!this._map || !this.areas) {
      return;
    }
    const zoom = this._map.getZoom();
    if (zoom >= FROM_ZOOM.places) {
      this.loadPlaces();
    }
    this.draw();
  }

  /* The populated places of the view and around it, asked for again only when the view leaves that box. */
  loadPlaces() {
    const view = this._map.getBounds();
    if (this.placesBox && this.placesBox.contains(view)) {
      return;
    }
    const box = view.pad(0.5);
    const generation = ++this.generation;
    const bbox = [box.getWest(), box.getSouth(), box.getEast(), box.getNorth()].map((v) => v.toFixed(4)).join(",");
    getJSON(withParams(this.urls.labels, { in_bbox: bbox }))
      .then(({ data }) => {
        if (generation !== this.generation) {
          return;
        }
        this.places = data.places;
        this.placesBox = box;
        this.draw();
      })
      .catch((error) => window.console.warn(error));
  }

  draw() {
    const map = this._map;
    const zoom = map.getZoom();
    const size = map.getSize();
    const groups = ["departments", "communes", "places"].filter((g) => zoom >= FROM_ZOOM[g] && zoom <= UNTIL_ZOOM[g]);
    const taken = [];
    const shown = [];
    for (const group of groups) {
      const rows = group === "places" ? this.places : this.areas[group];
      for (const [name, lat, lon] of rows) {
        const point = map.latLngToContainerPoint([lat, lon]);
        const width = textWidth(group, name) + 2 * GAP;
        const height = LINE_HEIGHT[group] + 2 * GAP;
        const box = { left: point.x - width / 2, right: point.x + width / 2, top: point.y - height / 2, bottom: point.y + height / 2 };
        if (box.right < 0 || box.left > size.x || box.bottom < 0 || box.top > size.y) {
          continue;
        }
        if (taken.some((t) => box.left < t.right && box.right > t.left && box.top < t.bottom && box.bottom > t.top)) {
          continue;
        }
        taken.push(box);
        shown.push({ group, name, lat, lon });
      }
    }
    this.group.clearLayers();
    for (const { group, name, lat, lon } of shown) {
      const text = document.createElement("span");
      text.textContent = name; // a name is text, never markup
      const icon = L.divIcon({ className: `place-name place-name-${group}`, html: text, iconSize: null });
      L.marker([lat, lon], { icon, pane: "names", interactive: false, keyboard: false }).addTo(this.group);
    }
    map.getContainer().dataset.names = String(shown.length);
  }
}
