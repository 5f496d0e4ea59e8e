// Pan and zoom as plain arithmetic on one transform (translate x, y, then scale k), so the SVG
// applies it to a single <g> and panning never re-renders a node; tests check the numbers.
import type { Box } from './layout';

export interface View {
  x: number;
  y: number;
  k: number;
}

export const MIN_K = 0.02;

/**
 * Below this zoom a name is under 5 px: unreadable. The picture drops its text, icons and the
 * edges' wide hit areas there (the SVG and the raster snapshot alike), so a fabric of a thousand
 * devices does not paint a thousand labels nobody can read.
 */
export const FAR = 0.35;
export const readable = (v: View) => v.k >= FAR;

export const MAX_K = 4;

const clampK = (k: number) => Math.min(MAX_K, Math.max(MIN_K, k));

export const transformOf = (v: View) => `translate(${v.x} ${v.y}) scale(${v.k})`;

/** The whole box in a viewport of `w`×`h`, centred, at most 1:1. */
export function fit(box: { width: number; height: number }, w: number, h: number, margin = 16): View {
  if (box.width <= 0 || box.height <= 0 || w <= 0 || h <= 0) return { x: 0, y: 0, k: 1 };
  const k = clampK(Math.min(1, (w - 2 * margin) / box.width, (h - 2 * margin) / box.height));
  return { x: (w - box.width * k) / 2, y: (h - box.height * k) / 2, k };
}

/** Zoom by `factor` keeping the viewport point (px, py) still. */
export function zoomAt(v: View, factor: number, px: number, py: number): View {
  const k = clampK(v.k * factor);
  const f = k / v.k;
  return { x: px - (px - v.x) * f, y: py - (py - v.y) * f, k };
}

export const panBy = (v: View, dx: number, dy: number): View => ({ ...v, x: v.x + dx, y: v.y + dy });

/** The boxes' centre in the middle of the viewport; zoomed in to at least `minK` (readable). */
export function centreOn(v: View, boxes: Box[], w: number, h: number, minK = 0.8): View {
  if (!boxes.length) return v;
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  const k = clampK(Math.max(v.k, Math.min(minK, (w * 0.8) / Math.max(1, x1 - x0), (h * 0.8) / Math.max(1, y1 - y0))));
  return { x: w / 2 - ((x0 + x1) / 2) * k, y: h / 2 - ((y0 + y1) / 2) * k, k };
}
