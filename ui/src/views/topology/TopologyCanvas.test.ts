// The picture's pan wiring (TopologyCanvas with panSnapshot.ts), in jsdom given a viewport size, a
// 2D context that records and a Path2D that keeps its data: arrow keys dispatched on the SVG (as
// the e2e does) pan a large picture as the bitmap, the SVG out of the document and its transform untouched,
// then the SVG comes back with the whole pan in its transform; a zoom ends the pan first; a small
// picture pans its SVG directly. A large picture is shown first as the bitmap, its SVG after.
import { flushSync } from 'svelte';
import { render } from '@testing-library/svelte';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { SETTLE_MS } from './panSnapshot';
import { fakeContext, gridScene } from './snapshotFakes';
import TopologyCanvas from './TopologyCanvas.svelte';
import { fit, transformOf, zoomAt } from './viewport';

const W = 800;
const H = 600;

beforeEach(() => {
  vi.useFakeTimers();
  // jsdom lays nothing out: the view's element gets a size (Svelte reads it once when binding)
  for (const [prop, size] of [
    ['clientWidth', W],
    ['clientHeight', H],
  ] as const) {
    vi.spyOn(HTMLElement.prototype, prop, 'get').mockImplementation(function (this: HTMLElement) {
      return this.classList.contains('canvas') ? size : 0;
    });
  }
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => fakeContext() as unknown as CanvasRenderingContext2D);
  vi.stubGlobal(
    'Path2D',
    class {
      constructor(readonly d: string) {}
    },
  );
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** The picture drawn, its SVG in the document (a large one's after the first picture as the bitmap). */
async function shown(count: number, ondrawn: (what: string) => void = () => {}) {
  const { layout, marks } = gridScene(count);
  const { container, component } = render(TopologyCanvas, { layout, marks, lit: null, litEdges: null, onnode: () => {}, onedge: () => {}, ondrawn });
  const view = container.querySelector<HTMLElement>('.canvas')!;
  await vi.advanceTimersByTimeAsync(100);
  flushSync();
  const svg = container.querySelector('svg')!;
  const transform = () => svg.querySelector(':scope > g')!.getAttribute('transform');
  const key = (key: string) => svg.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  return { svg, view, transform, key, component, fitted: fit(layout, W, H) };
}

test('a large picture is first shown as the bitmap, its SVG built meanwhile and put in its place', async () => {
  const { layout, marks } = gridScene(400);
  const drawn: string[] = [];
  const { container } = render(TopologyCanvas, { layout, marks, lit: null, litEdges: null, onnode: () => {}, onedge: () => {}, ondrawn: (w: string) => drawn.push(w) });
  const view = container.querySelector<HTMLElement>('.canvas')!;
  expect(view.dataset.panning).toBe('bitmap');
  expect(container.querySelector('svg')).toBeNull();
  expect(drawn).toEqual([]);
  await vi.advanceTimersByTimeAsync(100);
  flushSync();
  expect(drawn).toEqual(['picture', 'interactive']);
  const svg = container.querySelector('svg')!;
  expect(svg.querySelectorAll('.node')).toHaveLength(400);
  expect(view.dataset.panning).toBeUndefined();
});

test('a small picture is drawn as its SVG at once', async () => {
  const drawn: string[] = [];
  const { svg } = await shown(50, (w) => drawn.push(w));
  expect(svg.querySelectorAll('.node')).toHaveLength(50);
  expect(drawn).toEqual(['picture', 'interactive']);
});

test('arrow keys on the SVG pan a large picture as the bitmap; the SVG comes back with the whole pan in its transform', async () => {
  const { svg, view, transform, key, fitted } = await shown(400);
  expect(transform()).toBe(transformOf(fitted));
  key('ArrowRight');
  key('ArrowRight');
  key('ArrowDown');
  flushSync();
  expect(svg.isConnected).toBe(false);
  expect(view.dataset.panning).toBe('bitmap');
  expect(transform()).toBe(transformOf(fitted)); // the SVG is not redrawn while the pan lasts
  vi.advanceTimersByTime(SETTLE_MS);
  flushSync();
  expect(svg.isConnected).toBe(true);
  expect(view.dataset.panning).toBeUndefined();
  expect(transform()).toBe(transformOf({ ...fitted, x: fitted.x - 120, y: fitted.y - 60 }));
});

test('a zoom during the pan ends it first: the zoom starts from where the pan took the picture', async () => {
  const { svg, transform, key, component, fitted } = await shown(400);
  key('ArrowLeft');
  component.zoom(2);
  flushSync();
  expect(svg.isConnected).toBe(true);
  expect(transform()).toBe(transformOf(zoomAt({ ...fitted, x: fitted.x + 60 }, 2, W / 2, H / 2)));
});

test('a small picture pans its SVG at each key', async () => {
  const { svg, view, transform, key, fitted } = await shown(50);
  key('ArrowUp');
  flushSync();
  expect(svg.isConnected).toBe(true);
  expect(view.dataset.panning).toBeUndefined();
  expect(transform()).toBe(transformOf({ ...fitted, y: fitted.y + 60 }));
});
