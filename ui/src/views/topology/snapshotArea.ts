// Which part of the picture a pan snapshot holds, and when a pan has left it. While the user pans
// a large picture the view shows a bitmap of the picture (rasterSnapshot.ts) instead of the SVG;
// the bitmap covers the viewport plus a margin on each side, cut down to the part of the picture
// that has anything in it, so a zoomed-out fabric is one small bitmap that every pan stays inside,
// and a zoomed-in one is redrawn only when a pan goes past the margin. Plain arithmetic on
// rectangles, in layout units (the layout's coordinates) or screen pixels (the viewport's, origin
// at its top left), so the tests check the numbers.
import { edgeLabel } from './decorate';
import { TYPE_SCALE } from './diagramSvg';
import type { Layout, PlacedEdge, PlacedGroup, PlacedNode, Point } from './layout';
import type { View } from './viewport';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Half the widest stroke (a highlighted box's 3), rounded up: what a line draws outside its geometry. */
const PAD = 3;
/** A generous average glyph width, in ems: text is measured only on a canvas, these bounds are not. */
const EM = 0.7;
const XS = Number(TYPE_SCALE.xs);
const MD = Number(TYPE_SCALE.md);
const textWidth = (text: string, size: number) => text.length * size * EM;

/**
 * The most device pixels a snapshot holds (4 bytes each: 48 MB). The margin shrinks to stay under
 * it; a viewport larger than this on its own is still drawn whole.
 */
export const MAX_SNAPSHOT_PIXELS = 12_000_000;

/** What a node draws: its box, and its name where it runs past the box's right edge. */
export function nodeBounds(n: PlacedNode): Rect {
  const width = Math.max(n.width, 38 + textWidth(n.node.name, MD));
  return { x: n.x - PAD, y: n.y - PAD, width: width + 2 * PAD, height: n.height + 2 * PAD };
}

/** A group's box and its label. */
export function groupBounds(g: PlacedGroup): Rect {
  const width = Math.max(g.width, 10 + textWidth(`${g.name} (${g.kind})`, XS));
  return { x: g.x - PAD, y: g.y - PAD, width: width + 2 * PAD, height: g.height + 2 * PAD };
}

/**
 * An edge's line (an arc's control point bounds its curve; a loop is a curl up to 26 units above
 * and 34 left of its corner, see pathOf) and its label's place, whether the label is shown or not.
 */
export function edgeBounds(e: PlacedEdge): Rect {
  const points: Point[] = e.shape === 'loop' ? [{ x: e.points[0].x - 34, y: e.points[0].y - 26 }, e.points[0]] : e.points;
  const line = around(points, PAD);
  const label = { x: e.label.x + 4, y: e.label.y - 4 - XS, width: textWidth(`⚠ ${edgeLabel(e.edge)}`, XS), height: XS * 1.4 };
  return union(line, label);
}

function around(points: Point[], pad: number): Rect {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs) - pad;
  const y = Math.min(...ys) - pad;
  return { x, y, width: Math.max(...xs) + pad - x, height: Math.max(...ys) + pad - y };
}

export function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** The overlap of two rectangles; null when they do not overlap. */
export function intersection(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

export const intersects = (a: Rect, b: Rect) => intersection(a, b) !== null;

export const contains = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/** A rectangle in layout units, where the view puts it on screen. */
export const toScreen = (r: Rect, v: View): Rect => ({ x: v.x + r.x * v.k, y: v.y + r.y * v.k, width: r.width * v.k, height: r.height * v.k });

/** A rectangle on screen, in layout units under the view. */
export const toLayout = (r: Rect, v: View): Rect => ({ x: (r.x - v.x) / v.k, y: (r.y - v.y) / v.k, width: r.width / v.k, height: r.height / v.k });

const bounds = new WeakMap<Layout, Rect | null>();

/** Everything the picture draws, in layout units; null for an empty picture. Kept per layout. */
export function contentBounds(layout: Layout): Rect | null {
  if (bounds.has(layout)) return bounds.get(layout)!;
  const all = [...layout.groups.map(groupBounds), ...layout.edges.map(edgeBounds), ...layout.nodes.map(nodeBounds)];
  const out = all.length ? all.reduce(union) : null;
  bounds.set(layout, out);
  return out;
}

/**
 * How far past the viewport a snapshot reaches on each side, in screen pixels: the viewport's
 * larger side, or less, the most that keeps (width + 2m) × (height + 2m) × dpr² within
 * MAX_SNAPSHOT_PIXELS (0 when the viewport alone is over it).
 */
export function marginFor(width: number, height: number, dpr: number): number {
  // the larger root of 4m² + 2(w + h)m + wh − max/dpr² = 0
  const budget = MAX_SNAPSHOT_PIXELS / (dpr * dpr);
  const m = (Math.sqrt((width - height) ** 2 + 4 * budget) - (width + height)) / 4;
  return Math.max(0, Math.min(Math.max(width, height), Math.floor(m)));
}

/**
 * The screen rectangle a snapshot taken at `view` holds: the viewport (`width` × `height`) grown
 * by `margin`, cut to the picture's content, snapped out to whole pixels (so the bitmap sits on
 * the pixel grid). Empty (zero size) when the viewport and its margin show nothing of the picture.
 */
export function snapshotArea(view: View, content: Rect | null, width: number, height: number, margin: number): Rect {
  const around = { x: -margin, y: -margin, width: width + 2 * margin, height: height + 2 * margin };
  const cut = content && intersection(around, toScreen(content, view));
  if (!cut) return { x: 0, y: 0, width: 0, height: 0 };
  const x = Math.floor(cut.x);
  const y = Math.floor(cut.y);
  return { x, y, width: Math.ceil(cut.x + cut.width) - x, height: Math.ceil(cut.y + cut.height) - y };
}

/**
 * Whether a snapshot still fills the viewport after the picture moved by `shift` screen pixels
 * since it was taken: the part of the moved viewport that shows any content (`content`: the
 * content's screen rectangle at the snapshot's view) lies inside the snapshot's area. Beyond the
 * content there is only background, which the snapshot does not need to hold.
 */
export function covers(area: Rect, content: Rect | null, shift: Point, width: number, height: number): boolean {
  const seen = content && intersection({ x: -shift.x, y: -shift.y, width, height }, content);
  return !seen || contains(area, seen);
}
