// The pan bitmap's area (snapshotArea): the viewport and its margin cut to the picture's content
// and snapped to whole pixels, when a pan has left it, the margin's pixel budget, and the content's
// bounds reaching every shape an edge draws.
import { expect, test } from 'vitest';
import { edge, node } from '../../test/topologyFixtures';
import type { Layout, PlacedEdge } from './layout';
import { contentBounds, covers, edgeBounds, marginFor, MAX_SNAPSHOT_PIXELS, snapshotArea, toLayout, toScreen } from './snapshotArea';

const e = (shape: PlacedEdge['shape'], points: { x: number; y: number }[]): PlacedEdge => ({
  edge: edge('fabric', 'Switch/a', 'Switch/b', ['a--b']),
  index: 0,
  shape,
  points,
  label: points[0],
});

test('toScreen and toLayout are the view, both ways', () => {
  const v = { x: 100, y: -20, k: 0.25 };
  const r = { x: 400, y: 80, width: 1000, height: 200 };
  expect(toScreen(r, v)).toEqual({ x: 200, y: 0, width: 250, height: 50 });
  expect(toLayout(toScreen(r, v), v)).toEqual(r);
});

test('the area: the viewport and its margin, cut to the content, out to whole pixels', () => {
  const content = { x: 0, y: 0, width: 20_000, height: 3_000 };
  // zoomed in: the content is larger than the viewport and its margin on every side
  expect(snapshotArea({ x: -5_000, y: -1_000, k: 1 }, content, 800, 600, 800)).toEqual({ x: -800, y: -800, width: 2400, height: 2200 });
  // the margin is cut where the content ends: above its top edge (at 100), nothing to hold
  expect(snapshotArea({ x: -5_000, y: 100, k: 1 }, content, 800, 600, 800)).toEqual({ x: -800, y: 100, width: 2400, height: 1300 });
  // zoomed out: the whole content, a strip 768 × 115.2, snapped out to the pixel grid
  expect(snapshotArea({ x: 16.4, y: 270.2, k: 0.0384 }, content, 800, 600, 800)).toEqual({ x: 16, y: 270, width: 769, height: 116 });
  // panned far away: nothing to hold
  expect(snapshotArea({ x: 5_000, y: 0, k: 1 }, content, 800, 600, 800)).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  expect(snapshotArea({ x: 0, y: 0, k: 1 }, null, 800, 600, 800).width).toBe(0);
});

test('covers: a pan inside the margin needs no new bitmap, one past it does, past the content only background shows', () => {
  const content = { x: -5_000, y: -400, width: 20_000, height: 1_000 }; // on screen, at the bitmap's view
  const area = { x: -800, y: -400, width: 2400, height: 1000 };
  expect(covers(area, content, { x: 0, y: 0 }, 800, 600)).toBe(true);
  // the picture moved 780 left: the viewport looks 780 further right, still inside
  expect(covers(area, content, { x: -780, y: 0 }, 800, 600)).toBe(true);
  expect(covers(area, content, { x: -820, y: 0 }, 800, 600)).toBe(false);
  expect(covers(area, content, { x: 820, y: 0 }, 800, 600)).toBe(false);
  // below the content there is only background: the area needs to reach no further down
  expect(covers(area, content, { x: 0, y: -900 }, 800, 600)).toBe(true);
  // a bitmap of nothing covers a view of nothing, and not a view of something
  expect(covers({ x: 0, y: 0, width: 0, height: 0 }, content, { x: -30_000, y: 0 }, 800, 600)).toBe(true);
  expect(covers({ x: 0, y: 0, width: 0, height: 0 }, content, { x: 0, y: 0 }, 800, 600)).toBe(false);
});

test("the margin: the viewport's larger side, or the most within the pixel budget", () => {
  expect(marginFor(800, 600, 1)).toBe(800); // 2,400 × 2,200: 5.3 M pixels
  const pixels = (w: number, h: number, m: number, dpr: number) => (w + 2 * m) * (h + 2 * m) * dpr * dpr;
  for (const [w, h, dpr] of [
    [1920, 1080, 1],
    [1920, 1080, 2],
    [1280, 800, 1.5],
  ]) {
    const m = marginFor(w, h, dpr);
    expect(m).toBeGreaterThan(0);
    expect(m).toBeLessThan(Math.max(w, h));
    expect(pixels(w, h, m, dpr)).toBeLessThanOrEqual(MAX_SNAPSHOT_PIXELS);
    expect(pixels(w, h, m + 1, dpr)).toBeGreaterThan(MAX_SNAPSHOT_PIXELS);
  }
  expect(marginFor(3840, 2160, 2)).toBe(0); // the viewport alone is over the budget: no margin
});

test("the content's bounds hold an arc's control point, a loop's curl and a label", () => {
  // an arc above a tier: its control point 120 above the ends bounds the curve
  expect(edgeBounds(e('arc', [{ x: 0, y: 200 }, { x: 500, y: 80 }, { x: 1000, y: 200 }])).y).toBeLessThanOrEqual(80 - 3);
  // a loopback at a node's top right corner (1000, 200) curls up to 26 above and 34 left of it
  const loop = edgeBounds(e('loop', [{ x: 1000, y: 200 }]));
  expect([loop.x, loop.y]).toEqual([1000 - 34 - 3, 200 - 26 - 3]);
  const layout: Layout = {
    nodes: [{ node: node('server', 's'), index: 0, x: 0, y: 0, width: 168, height: 48 }],
    edges: [e('arc', [{ x: 0, y: 0 }, { x: 100, y: -120 }, { x: 200, y: 0 }])],
    groups: [],
    width: 200,
    height: 48,
  };
  const b = contentBounds(layout)!;
  expect(b.y).toBeLessThanOrEqual(-123);
  expect(b.y + b.height).toBeGreaterThanOrEqual(51);
  expect(contentBounds(layout)).toBe(b); // kept per layout
  expect(contentBounds({ ...layout, nodes: [], edges: [] })).toBeNull();
});
