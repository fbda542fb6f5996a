// Cuts Sweden and its neighbours out of Natural Earth's world TopoJSON and simplifies them for
// the dashboard's map: run by scripts/fetch-map, which passes the topojson-client build, the
// atlas and the output path. Sweden is kept whole (a promise can be anywhere in it), the
// neighbours give the coast its far side (Denmark across Öresund from Skåne).
"use strict";
const fs = require("fs");
const [clientPath, atlasPath, outPath] = process.argv.slice(2);
const topojson = require(require("path").resolve(clientPath));
const world = JSON.parse(fs.readFileSync(atlasPath, "utf8"));

// Natural Earth's English names → the names the map gives them (echarts shows these).
const keep = { Sweden: "Sverige", Denmark: "Danmark", Norway: "Norge", Finland: "Finland" };
// Douglas–Peucker tolerance in degrees (0.002°: about 200 m north–south) and the smallest
// island kept (square degrees; 0.0002 is about 1 km²). Sweden is drawn finer than a symbol
// on the map at the zoom of one municipality; the neighbours, only context, coarser, to keep
// the file small.
const detail = { Sverige: { tolerance: 0.002, minArea: 0.0002 } };
const context = { tolerance: 0.01, minArea: 0.002 };

function perpendicular(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / len;
}

function simplify(points, tolerance) {
  if (points.length < 3) return points;
  const keepIdx = new Uint8Array(points.length);
  keepIdx[0] = keepIdx[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let max = 0, index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicular(points[i], points[first], points[last]);
      if (d > max) { max = d; index = i; }
    }
    if (max > tolerance) {
      keepIdx[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keepIdx[i]);
}

function area(ring) {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  }
  return Math.abs(s / 2);
}

const round = (v) => Math.round(v * 1e4) / 1e4;

const features = [];
for (const f of topojson.feature(world, world.objects.countries).features) {
  const name = keep[f.properties.name];
  if (!name) continue;
  const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  const { tolerance, minArea } = detail[name] || context;
  const out = [];
  for (const polygon of polygons) {
    if (area(polygon[0]) < minArea) continue;
    const rings = polygon.map((r) => simplify(r, tolerance).map((p) => [round(p[0]), round(p[1])]))
      .filter((r) => r.length >= 4);
    if (rings.length) out.push(rings);
  }
  features.push({ type: "Feature", properties: { name }, geometry: { type: "MultiPolygon", coordinates: out } });
}
features.sort((a, b) => (a.properties.name === "Sverige" ? -1 : b.properties.name === "Sverige" ? 1 : 0));
if (features.length !== Object.keys(keep).length) {
  throw new Error("expected " + Object.keys(keep).join(", ") + ", found " + features.map((f) => f.properties.name));
}
fs.writeFileSync(outPath, JSON.stringify({ type: "FeatureCollection", features }) + "\n");
