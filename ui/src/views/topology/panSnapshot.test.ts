// Panning a large picture as a bitmap (PanSnapshot), in jsdom with a recording fake context: a
// small picture pans its SVG; a large one takes the SVG out of the document for a bitmap moved at
// each input, and SETTLE_MS after the last input the SVG is back where it was, moved by the whole
// pan, where the bitmap put the picture; the bitmap is drawn ahead and reused, drawn again past its
// margin or when what it shows changed; a drag holds it until release; keys dispatched on the SVG
// while it is out still reach the view, and a focused node hands the focus to the view.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { PALETTE } from './diagramSvg';
import { PanSnapshot, PREPARE_MS, SETTLE_MS, type PanScene } from './panSnapshot';
import { fakeContext, fakePath, gridScene, type FakeContext } from './snapshotFakes';
import { panBy } from './viewport';

interface Rig {
  snapshot: PanSnapshot;
  scene: PanScene;
  container: HTMLDivElement;
  svg: SVGSVGElement;
  cover: HTMLDivElement;
  screen: HTMLCanvasElement;
  /** The screen canvas's context. */
  ctx: FakeContext;
  /** How many bitmaps were drawn (each drawing starts by filling the background). */
  drawings: () => number;
  settled: [number, number][];
}

/** A view of `count` nodes, 800 × 600, at `view`. */
function rig(count: number, view = { x: 0, y: 0, k: 1 }): Rig {
  const container = document.createElement('div');
  container.tabIndex = 0;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const cover = document.createElement('div');
  const screen = document.createElement('canvas');
  cover.append(screen);
  container.append(svg, cover);
  document.body.append(container);
  const ctx = fakeContext();
  const scene: PanScene = { ...gridScene(count), view, width: 800, height: 600 };
  const settled: [number, number][] = [];
  const snapshot = new PanSnapshot(
    {
      scene: () => scene,
      elements: () => ({ container, svg, cover, screen }),
      settle: (dx, dy) => {
        settled.push([dx, dy]);
        scene.view = panBy(scene.view, dx, dy);
      },
    },
    { context: () => ctx, path: fakePath, dpr: () => 1 },
  );
  const drawings = () => ctx.ops.filter((o) => o.op === 'fillRect').length;
  return { snapshot, scene, container, svg, cover, screen, ctx, drawings, settled };
}

/** Where the bitmap puts layout point (px, py) on screen: its drawing's transform, then the element's place. */
function onScreen(r: Rig, px: number, py: number): [number, number] {
  const [a, , , d, e, f] = r.ctx.ops.filter((o) => o.op === 'setTransform').at(-1)!.args as number[];
  return [parseFloat(r.screen.style.left) + e + a * px, parseFloat(r.screen.style.top) + f + d * py];
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

test('a small picture is not snapshotted: the caller pans its SVG', () => {
  const r = rig(50);
  expect(r.snapshot.panBy(-60, 0)).toBe(false);
  expect(r.svg.isConnected).toBe(true);
  expect(r.drawings()).toBe(0);
});

test('a large picture pans as the bitmap; after SETTLE_MS the SVG is back, moved by the whole pan, where the bitmap showed it', () => {
  const r = rig(400, { x: -1000.5, y: -200, k: 0.8 });
  expect(r.snapshot.panBy(-60, 0)).toBe(true);
  expect(r.svg.isConnected).toBe(false);
  expect(r.cover.style.display).toBe('block');
  expect(r.container.dataset.panning).toBe('bitmap');
  r.snapshot.panBy(-60, 0);
  r.snapshot.panBy(0, 60);
  expect(r.drawings()).toBe(1); // drawn once, then only moved
  expect(r.scene.view).toEqual({ x: -1000.5, y: -200, k: 0.8 }); // the SVG has not moved yet
  const shown = onScreen(r, 1234, 567);

  vi.advanceTimersByTime(SETTLE_MS - 1);
  expect(r.snapshot.panning).toBe(true);
  vi.advanceTimersByTime(1);
  expect(r.settled).toEqual([[-120, 60]]);
  expect(r.snapshot.panning).toBe(false);
  // back in its place: before the cover, in the view
  expect(r.svg.parentNode).toBe(r.container);
  expect(r.svg.nextSibling).toBe(r.cover);
  expect(r.cover.style.display).toBe('');
  expect(r.container.dataset.panning).toBeUndefined();
  // the SVG's transform puts the point where the bitmap had it: no jump
  const { x, y, k } = r.scene.view;
  expect([x + k * 1234, y + k * 567]).toEqual(shown);
});

test("the bitmap is opaque: the view's background fills the whole canvas before the picture is drawn on it", () => {
  const r = rig(400, { x: -1000, y: -200, k: 0.8 });
  r.snapshot.panBy(-60, 0);
  const [transform, background, ...picture] = r.ctx.ops;
  expect(transform).toMatchObject({ op: 'setTransform', args: [1, 0, 0, 1, 0, 0] });
  expect(background).toMatchObject({ op: 'fillRect', args: [0, 0, r.screen.width, r.screen.height], fillStyle: PALETTE.bgAlt });
  expect(r.screen.width).toBeGreaterThan(0);
  expect(picture.filter((o) => o.op === 'fill' || o.op === 'stroke').length).toBeGreaterThan(0);
  expect(picture.some((o) => o.op === 'fillRect')).toBe(false);
});

test('the canvas is asked for a context without alpha, read often (a bitmap in memory, painted like an image)', () => {
  const r = rig(400, { x: -1000, y: -200, k: 0.8 });
  const asked: unknown[] = [];
  r.screen.getContext = ((kind: string, options: unknown) => {
    asked.push([kind, options]);
    return fakeContext();
  }) as unknown as typeof r.screen.getContext;
  const els = { container: r.container, svg: r.svg, cover: r.cover, screen: r.screen };
  const snapshot = new PanSnapshot({ scene: () => r.scene, elements: () => els, settle: () => {} }, { path: fakePath, dpr: () => 1 });
  expect(snapshot.panBy(-60, 0)).toBe(true);
  expect(asked).toEqual([['2d', { willReadFrequently: true, alpha: false }]]);
});

test('the input timer restarts with each input: a steady pan never flickers back to the SVG', () => {
  const r = rig(400);
  for (let i = 0; i < 10; i++) {
    r.snapshot.panBy(-60, 0);
    vi.advanceTimersByTime(SETTLE_MS - 10);
  }
  expect(r.settled).toEqual([]);
  vi.advanceTimersByTime(10);
  expect(r.settled).toEqual([[-600, 0]]);
});

test('the bitmap is drawn ahead once the picture is still, and the pan only shows it', () => {
  const r = rig(400);
  r.snapshot.prepareSoon();
  vi.advanceTimersByTime(PREPARE_MS);
  expect(r.drawings()).toBe(1);
  expect(r.svg.isConnected).toBe(true); // drawn, not shown
  r.snapshot.panBy(0, -60);
  expect(r.drawings()).toBe(1);
  vi.advanceTimersByTime(SETTLE_MS);
  // the SVG's view moved with the pan: the same bitmap still fills the viewport
  r.snapshot.prepareSoon();
  vi.advanceTimersByTime(PREPARE_MS);
  r.snapshot.panBy(0, -60);
  expect(r.drawings()).toBe(1);
});

test('a highlight, a new layout or a zoom since the bitmap was drawn: drawn again', () => {
  const r = rig(400);
  r.snapshot.panBy(-60, 0);
  r.snapshot.settle();
  r.scene.lit = new Set(['Server/server-0001']);
  r.snapshot.panBy(-60, 0);
  expect(r.drawings()).toBe(2);
  r.snapshot.settle();
  r.scene.view = { ...r.scene.view, k: 0.5 };
  r.snapshot.panBy(-60, 0);
  expect(r.drawings()).toBe(3);
  r.snapshot.settle();
  r.scene.layout = gridScene(400).layout;
  r.snapshot.panBy(-60, 0);
  expect(r.drawings()).toBe(4);
});

test('a pan past the margin draws the bitmap again where the pan is, and keeps the picture in place', () => {
  // 400 nodes at 1:1 are 4,000 × 2,000 units: the 800-pixel margin ends inside the picture
  const r = rig(400, { x: -1500, y: -700, k: 1 });
  r.snapshot.panBy(-60, 0);
  for (let i = 0; i < 12; i++) r.snapshot.panBy(-60, 0); // 780: inside the margin
  expect(r.drawings()).toBe(1);
  const before = onScreen(r, 2000, 1000);
  r.snapshot.panBy(-60, 0); // 840: past it
  expect(r.drawings()).toBe(2);
  expect(onScreen(r, 2000, 1000)).toEqual([before[0] - 60, before[1]]);
  vi.advanceTimersByTime(SETTLE_MS);
  expect(r.settled).toEqual([[-840, 0]]);
});

test('a drag holds the bitmap while the button is down; the pan settles SETTLE_MS after release', () => {
  const r = rig(400);
  r.snapshot.hold(true);
  r.snapshot.panBy(10, 10);
  vi.advanceTimersByTime(5 * SETTLE_MS);
  expect(r.snapshot.panning).toBe(true);
  r.snapshot.hold(false);
  vi.advanceTimersByTime(SETTLE_MS);
  expect(r.settled).toEqual([[10, 10]]);
});

test('settle() ends the pan at once (before a zoom or a fit); with no pan it does nothing', () => {
  const r = rig(400);
  r.snapshot.settle();
  expect(r.settled).toEqual([]);
  r.snapshot.panBy(0, 60);
  r.snapshot.settle();
  expect(r.settled).toEqual([[0, 60]]);
  vi.advanceTimersByTime(SETTLE_MS);
  expect(r.settled).toHaveLength(1);
});

test('keys dispatched on the SVG while it is out of the document (as the e2e does) reach the view', () => {
  const r = rig(400);
  const keys: string[] = [];
  r.container.addEventListener('keydown', (e) => {
    keys.push(e.key);
    r.snapshot.panBy(-60, 0);
  });
  for (let i = 0; i < 3; i++) r.svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
  expect(keys).toEqual(['ArrowRight', 'ArrowRight', 'ArrowRight']); // the first bubbled, the others were handed over
  expect(r.svg.isConnected).toBe(false);
  vi.advanceTimersByTime(SETTLE_MS);
  expect(r.settled).toEqual([[-180, 0]]);
  // in the document again: a key bubbles once, nothing is handed over
  r.svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
  expect(keys).toHaveLength(4);
});

test('a node focused in the SVG gives the focus to the view before the SVG leaves, so the keys keep coming', () => {
  const r = rig(400);
  const g = document.createElementNS('http://www.w3.org/2000/svg', 'g');
  g.setAttribute('tabindex', '-1');
  r.svg.append(g);
  g.focus();
  expect(document.activeElement).toBe(g);
  r.snapshot.panBy(-60, 0);
  expect(document.activeElement).toBe(r.container);
});
