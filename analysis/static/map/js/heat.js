/*
 * An activity heat layer for Leaflet, drawn on one canvas: each hotspot leaves a soft spot
 * weighted by its activity, and the summed intensities are coloured from pale yellow to dark red.
 * Written for this portal (no plugin): it redraws after each move or zoom, which is cheap for a
 * thousand points.
 */

const L = window.L;

function palette() {
  const canvas = document.createElement("canvas");
  canvas.width = 256;
  canvas.height = 1;
  const ctx = canvas.getContext("2d");
  const gradient = ctx.createLinearGradient(0, 0, 256, 0);
  gradient.addColorStop(0.0, "rgba(255,255,178,0)");
  gradient.addColorStop(0.25, "#fecc5c");
  gradient.addColorStop(0.5, "#fd8d3c");
  gradient.addColorStop(0.75, "#f03b20");
  gradient.addColorStop(1.0, "#8b0000");
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, 256, 1);
  return ctx.getImageData(0, 0, 256, 1).data;
}

export const HeatLayer = L.Layer.extend({
  options: { pane: "heat", radius: 36, maxOpacity: 0.8 },

  initialize(options) {
    L.setOptions(this, options);
    this._points = [];
  },

  /* points: [{latlng: [lat, lng], weight}] */
  setPoints(points) {
    this._points = points;
    if (this._map) {
      this._redraw();
    }
    return this;
  },

  onAdd(map) {
    if (!map.getPane(this.options.pane)) {
      map.createPane(this.options.pane);
      map.getPane(this.options.pane).style.zIndex = 380;
      map.getPane(this.options.pane).style.pointerEvents = "none";
    }
    this._canvas = L.DomUtil.create("canvas", "heat-layer leaflet-zoom-hide");
    this._canvas.setAttribute("aria-hidden", "true");
    map.getPane(this.options.pane).appendChild(this._canvas);
    this._palette = this._palette || palette();
    map.on("moveend zoomend resize viewreset", this._redraw, this);
    this._redraw();
  },

  onRemove(map) {
    map.off("moveend zoomend resize viewreset", this._redraw, this);
    L.DomUtil.remove(this._canvas);
    this._canvas = null;
  },

  _redraw() {
    const map = this._map;
    if (!map || !this._canvas) {
      return;
    }
    const size = map.getSize();
    const canvas = this._canvas;
    canvas.width = size.x;
    canvas.height = size.y;
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.clearRect(0, 0, size.x, size.y);
    const max = Math.max(1, ...this._points.map((p) => p.weight));
    // Wider spots when zoomed in, so that a town's hotspots still merge into one area.
    const radius = this.options.radius * Math.max(0.6, Math.min(2.5, Math.pow(1.35, map.getZoom() - 9)));
    for (const point of this._points) {
      if (!(point.weight > 0)) {
        continue;
      }
      const p = map.latLngToContainerPoint(point.latlng);
      if (p.x < -radius || p.y < -radius || p.x > size.x + radius || p.y > size.y + radius) {
        continue;
      }
      const alpha = Math.max(0.12, Math.sqrt(point.weight / max));
      const gradient = ctx.createRadialGradient(p.x, p.y, 0, p.x, p.y, radius);
      gradient.addColorStop(0, `rgba(0,0,0,${alpha})`);
      gradient.addColorStop(1, "rgba(0,0,0,0)");
      ctx.fillStyle = gradient;
      ctx.fillRect(p.x - radius, p.y - radius, radius * 2, radius * 2);
    }
    if (size.x === 0 || size.y === 0) {
      return;
    }
    const image = ctx.getImageData(0, 0, size.x, size.y);
    const pixels = image.data;
    const colours = this._palette;
    for (let i = 3; i < pixels.length; i += 4) {
      const a = pixels[i];
      if (a === 0) {
        continue;
      }
      const j = a * 4;
      pixels[i - 3] = colours[j];
      pixels[i - 2] = colours[j + 1];
      pixels[i - 1] = colours[j + 2];
      pixels[i] = Math.min(255, a * 1.4) * this.options.maxOpacity;
    }
    ctx.putImageData(image, 0, 0);
    this._drawn = this._points.filter((p) => p.weight > 0).length;
  },
});
