// The picture's pan wiring (TopologyCanvas with panSnapshot.ts), in jsdom given a viewport size, a
// 2D context that records and a Path2D that keeps its data: arrow keys dispatched on the SVG (as
// the e2e does) pan a large picture as the bitmap, the SVG out of the document and its transform untouched,
// then the SVG comes back with the whole pan in its transform; a zoom ends the pan first; a small
// picture pans its SVG directly.
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

function shown(count: number) {
  const { layout, marks } = gridScene(count);
  const { container, component } = render(TopologyCanvas, { layout, marks, lit: null, litEdges: null, onnode: () => {}, onedge: () => {} });
  const svg = container.querySelector('svg')!;
  const view = container.querySelector<HTMLElement>('.canvas')!;
  const transform = () => svg.querySelector(':scope > g')!.getAttribute('transform');
  const key = (key: string) => svg.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  return { svg, view, transform, key, component, fitted: fit(layout, W, H) };
}

test('arrow keys on the SVG pan a large picture as the bitmap; the SVG comes back with the whole pan in its transform', () => {
  const { svg, view, transform, key, fitted } = shown(400);
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

test('a zoom during the pan ends it first: the zoom starts from where the pan took the picture', () => {
  const { svg, transform, key, component, fitted } = shown(400);
  key('ArrowLeft');
  component.zoom(2);
  flushSync();
  expect(svg.isConnected).toBe(true);
  expect(transform()).toBe(transformOf(zoomAt({ ...fitted, x: fitted.x + 60 }, 2, W / 2, H / 2)));
});

test('a small picture pans its SVG at each key', () => {
  const { svg, view, transform, key, fitted } = shown(50);
  key('ArrowUp');
  flushSync();
  expect(svg.isConnected).toBe(true);
  expect(view.dataset.panning).toBeUndefined();
  expect(transform()).toBe(transformOf({ ...fitted, y: fitted.y + 60 }));
});
