// Panning a large picture as a bitmap. WebKitGTK, rendering in software, repaints every SVG element
// in view on each frame of a pan: with a thousand devices the pan ran at 48-54 frames/s where the
// display gives 62. Moving the SVG some other way did not help (a CSS transform on a layer: 6
// frames/s; one merged path: 7; shape-rendering: no change). So while the user pans a picture of
// more than SNAPSHOT_MIN_NODES nodes, a <canvas> shows the picture drawn once (rasterSnapshot.ts),
// moved at each input, and the SVG leaves the document; SETTLE_MS after the last pan input it is
// put back, moved by the whole pan, exactly where the bitmap was. The bitmap is drawn ahead
// (PREPARE_MS after the picture last changed), so the first frame of a pan only swaps it in; a pan
// past the bitmap's margin (snapshotArea.ts) draws it again there.
// How the bitmap is moved and how the SVG is put away decide the frame rate. Measured in WebKitGTK
// 2.50 under Xvfb (MiniBrowser on a 2-CPU machine, at times busy with other work: ratios, not the
// e2e's figures), first a page moving a 1,000 × 300 bitmap by 60 px a frame (62 frames/s moving
// nothing): a canvas by left/top, 23-26 (presumably a GPU-backed layer of its own there,
// composited in software); the same with `will-change: transform` and a transform, 22-26; an
// <img> by left/top, 49-51; a canvas whose context is `willReadFrequently` (a bitmap in memory,
// painted like an image) by left/top, 48-53; drawImage onto a viewport-sized canvas each frame,
// 3-4. So the context is `willReadFrequently` and the canvas moves by left/top. Then the e2e's
// keyboard pan of the e2e's fabric in TopologyCanvas (idling at 61-62): the SVG pans at 35-44
// frames/s fitted and at under 4 zoomed in to 1:1; the bitmap with the SVG made transparent
// (`opacity: 0`), 55-62 fitted but 2-10 at 1:1: frames of hundreds of ms while the SVG is in the
// document with its text shown, whether hidden by opacity, `visibility` or `display` (the last two
// also restyle or rebuild all of it at the swap: one frame of 70-320 ms). With the SVG
// out of the document: 47-61 fitted, 14-34 at 1:1 (each new bitmap past the margin is one frame
// of 60-180 ms there). Out of the document the SVG gets no events, and the e2e dispatches its keys
// on it: a listener on the SVG itself hands them to the view while it is out (`forwardKeys`).
// A focused node would lose the focus with it: the view takes the focus first.
// The figures above were taken with WebKit painting through Mesa's software OpenGL and compositing
// the whole viewport each frame. Without a GPU the app now paints on the CPU and composites only
// what changed (src-tauri/src/rendering.rs): a page changing one pixel a frame runs at 60 there,
// and this pan, with the picture in view all along, at 59-60 fitted and 57-59 at reading size. At
// reading size each frame repaints the whole view from the bitmap: drawn opaque (the view's
// background filled in first, the context without alpha), WebKit copies it instead of blending
// it over the view, and that pan went from 54-58 to 57-59 frames/s.
// While a pan shows the bitmap the view's element carries `data-panning`, and `data-snapshot-ms`
// says how long the last bitmap took to draw.
import { PALETTE, TYPE_SCALE } from './diagramSvg';
import { COLOURS, type Colour } from './look';
import { drawSnapshot, type Paint, type Scene, type SnapshotContext } from './rasterSnapshot';
import { contentBounds, covers, marginFor, snapshotArea, toScreen, type Rect } from './snapshotArea';
import type { View } from './viewport';

/** Pictures with more nodes than this pan as a bitmap; smaller ones repaint their SVG fast enough. */
export const SNAPSHOT_MIN_NODES = 300;
/** The pan is over this long after its last input (or after the drag's release). */
export const SETTLE_MS = 150;
/** The bitmap is drawn this long after the picture last changed, ahead of the next pan. */
export const PREPARE_MS = 250;

/** The picture as the SVG shows it now, and the viewport's size. */
export interface PanScene extends Scene {
  view: View;
  width: number;
  height: number;
}

export interface PanElements {
  /** The view's element: has the key listeners, gets the focus and `data-panning`, `data-snapshot-ms`. */
  container: HTMLElement;
  /** Taken out of the document while a pan lasts, and put back where it was. */
  svg: SVGSVGElement;
  /** Over the whole view while a pan lasts, `display: none` otherwise (by CSS): holds the canvas. */
  cover: HTMLElement;
  /** The canvas in the cover; it holds the bitmap, and moves by left/top. */
  screen: HTMLCanvasElement;
}

export interface PanHost {
  scene(): PanScene;
  /** Undefined until the elements are mounted. */
  elements(): PanElements | undefined;
  /** The pan is over: move the SVG's view by (dx, dy). Called with the SVG back in the document. */
  settle(dx: number, dy: number): void;
}

export interface PanOptions {
  /** The canvas's 2D context (a test's records). */
  context?: (canvas: HTMLCanvasElement) => SnapshotContext | null;
  path?: (d: string) => Path2D;
  dpr?: () => number;
}

interface Bitmap {
  /** The view it was drawn at, its area (screen pixels at that view) and the content's rectangle there. */
  view: View;
  area: Rect;
  content: Rect | null;
  /** What it shows: a pan may use it while these are the same. */
  scene: Scene;
  k: number;
  dpr: number;
  look: string;
}

/** Where the light theme's colours stand in for a variable the page lacks (tests: no app.css). */
const FALLBACK: Record<Colour, string> = { ...PALETTE, accentSoft: 'rgba(36, 88, 198, 0.07)' };
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export class PanSnapshot {
  private bitmap: Bitmap | null = null;
  /** The pan in progress: how far the picture has moved since the SVG's view, not yet given to it. */
  private pan: { dx: number; dy: number } | null = null;
  private held = false;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private prepareTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where the SVG goes back: its parent and the node after it. */
  private svgPlace: { parent: Node; next: Node | null } | null = null;
  /** The SVG whose keys are handed to the view while it is out of the document. */
  private keysFrom: SVGSVGElement | null = null;

  constructor(
    private readonly host: PanHost,
    private readonly options: PanOptions = {},
  ) {}

  /** Whether a pan is being shown as the bitmap. */
  get panning(): boolean {
    return this.pan !== null;
  }

  /**
   * Moves the picture by (dx, dy) screen pixels as the bitmap. False when it does not (a small
   * picture, no size yet, no canvas): the caller moves the SVG itself.
   */
  panBy(dx: number, dy: number): boolean {
    const els = this.host.elements();
    if (!els) return false;
    const s = this.host.scene();
    if (!this.pan) {
      if (!large(s) || !this.ready(s, els)) return false;
      this.pan = { dx: 0, dy: 0 };
      this.show(els);
    }
    this.pan.dx += dx;
    this.pan.dy += dy;
    const view = { x: s.view.x + this.pan.dx, y: s.view.y + this.pan.dy, k: s.view.k };
    const bitmap = this.bitmap!;
    if (!covers(bitmap.area, bitmap.content, shift(bitmap, view), s.width, s.height)) {
      // past the margin: drawn again where the pan is now (one slow frame)
      if (!this.render(s, view, els, this.paint(els.container))) {
        this.settle();
        return true;
      }
    }
    this.place(els, view);
    if (!this.held) this.armSettle();
    return true;
  }

  /**
   * Shows the picture as the bitmap, still, in place of the SVG (out of the document) until
   * `settle()`, which a pan in the meantime also ends with. A large picture's first drawing: the
   * bitmap is drawn in a fraction of the time WebKit takes to build, style and paint its SVG,
   * which is built meanwhile. False when it is not shown (a small picture, no size, no canvas).
   */
  showStill(): boolean {
    if (this.pan) return true;
    const els = this.host.elements();
    const s = this.host.scene();
    if (!els || !large(s) || !this.ready(s, els)) return false;
    this.pan = { dx: 0, dy: 0 };
    this.show(els);
    this.place(els, s.view);
    return true;
  }

  /** A drag holds the bitmap while the button is down; the pan settles SETTLE_MS after release. */
  hold(on: boolean): void {
    this.held = on;
    clearTimeout(this.settleTimer);
    if (!on && this.pan) this.armSettle();
  }

  /** Ends the pan now: the SVG back, moved by the whole pan. Before any other change of the view. */
  settle(): void {
    clearTimeout(this.settleTimer);
    if (!this.pan) return;
    const { dx, dy } = this.pan;
    this.pan = null;
    const els = this.host.elements();
    if (els) {
      const place = this.svgPlace;
      if (place && !els.svg.isConnected) place.parent.insertBefore(els.svg, place.next?.parentNode === place.parent ? place.next : null);
      els.cover.style.display = '';
      delete els.container.dataset.panning;
    }
    this.svgPlace = null;
    this.host.settle(dx, dy);
  }

  /** The picture changed (or the view, or the size): the bitmap is drawn again once it is still. */
  prepareSoon(): void {
    clearTimeout(this.prepareTimer);
    this.prepareTimer = setTimeout(() => {
      const els = this.host.elements();
      const s = this.host.scene();
      if (!this.pan && els && large(s)) this.ready(s, els);
    }, PREPARE_MS);
  }

  destroy(): void {
    clearTimeout(this.settleTimer);
    clearTimeout(this.prepareTimer);
    this.keysFrom?.removeEventListener('keydown', this.forwardKeys);
    this.pan = null;
    this.bitmap = null;
  }

  private armSettle(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.settle(), SETTLE_MS);
  }

  /** A bitmap of the scene as it is, filling the viewport at the SVG's view: kept when it still does, else drawn. */
  private ready(s: PanScene, els: PanElements): boolean {
    const paint = this.paint(els.container);
    const b = this.bitmap;
    const fresh =
      b &&
      b.scene.layout === s.layout &&
      b.scene.marks === s.marks &&
      b.scene.lit === s.lit &&
      b.scene.litEdges === s.litEdges &&
      b.k === s.view.k &&
      b.dpr === this.dpr() &&
      b.look === lookOf(paint) &&
      covers(b.area, b.content, shift(b, s.view), s.width, s.height);
    return !!fresh || this.render(s, { x: s.view.x, y: s.view.y, k: s.view.k }, els, paint);
  }

  /** The bitmap of the scene at `view`, on the screen canvas, sized to its area. */
  private render(s: PanScene, view: View, els: PanElements, paint: Paint): boolean {
    const dpr = this.dpr();
    const content = contentBounds(s.layout);
    const area = snapshotArea(view, content, s.width, s.height, marginFor(s.width, s.height, dpr));
    const canvas = els.screen;
    // a new size clears the bitmap
    canvas.width = Math.round(area.width * dpr);
    canvas.height = Math.round(area.height * dpr);
    canvas.style.width = `${area.width}px`;
    canvas.style.height = `${area.height}px`;
    const ctx = this.context(canvas);
    if (!ctx) return false;
    const t0 = performance.now();
    // the view's background first: an opaque bitmap is copied as it is, not blended over the view
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = paint.colours.bgAlt;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (area.width && area.height) drawSnapshot(ctx, s, view, area, paint, dpr);
    els.container.dataset.snapshotMs = String(Math.round(performance.now() - t0));
    const scene = { layout: s.layout, marks: s.marks, lit: s.lit, litEdges: s.litEdges, labelled: s.labelled };
    this.bitmap = { view, area, content: content && toScreen(content, view), scene, k: view.k, dpr, look: lookOf(paint) };
    return true;
  }

  /** The bitmap in place of the SVG, which leaves the document (the view keeping the focus and the keys). */
  private show(els: PanElements): void {
    const { container, svg, cover } = els;
    if (svg.contains(svg.ownerDocument.activeElement)) container.focus({ preventScroll: true });
    if (this.keysFrom !== svg) {
      this.keysFrom?.removeEventListener('keydown', this.forwardKeys);
      svg.addEventListener('keydown', this.forwardKeys);
      this.keysFrom = svg;
    }
    if (svg.parentNode) this.svgPlace = { parent: svg.parentNode, next: svg.nextSibling };
    svg.remove();
    cover.style.display = 'block';
    container.dataset.panning = 'bitmap';
  }

  /**
   * A key dispatched on the SVG while it is out of the document reaches no listener of the view:
   * it is dispatched again on the view. (Users' keys go to the focused view; a script's may be
   * dispatched on the SVG, as the e2e's frame-rate figure does.)
   */
  private readonly forwardKeys = (e: KeyboardEvent): void => {
    const els = this.host.elements();
    if (!els || els.svg.isConnected) return;
    const { key, code, altKey, ctrlKey, metaKey, shiftKey, repeat } = e;
    const copy = new KeyboardEvent(e.type, { key, code, altKey, ctrlKey, metaKey, shiftKey, repeat, bubbles: true, cancelable: true });
    if (!els.container.dispatchEvent(copy)) e.preventDefault();
  };

  /** The bitmap where the pan has taken the picture (WebKit repaints where it was and where it is, as for an image). */
  private place(els: PanElements, view: View): void {
    const { area } = this.bitmap!;
    const { x, y } = shift(this.bitmap!, view);
    els.screen.style.left = `${area.x + x}px`;
    els.screen.style.top = `${area.y + y}px`;
  }

  private context(canvas: HTMLCanvasElement): SnapshotContext | null {
    // willReadFrequently: a bitmap in memory, not a GPU texture, so the canvas is painted like an
    // image instead of being a compositing layer of its own (see the top of this file); no alpha:
    // the bitmap is opaque (its background drawn in), so nothing under it is painted or blended
    return this.options.context ? this.options.context(canvas) : canvas.getContext('2d', { willReadFrequently: true, alpha: false });
  }

  private dpr(): number {
    return this.options.dpr?.() ?? globalThis.devicePixelRatio ?? 1;
  }

  /** The theme as the page has it now (Settings can switch it while the view is open). */
  private paint(el: HTMLElement): Paint {
    const style = getComputedStyle(el);
    const read = (name: string) => style.getPropertyValue(name).trim();
    const colours = Object.fromEntries(COLOURS.map((c) => [c, read(`--${kebab(c)}`) || FALLBACK[c]])) as Record<Colour, string>;
    const size = (step: keyof typeof TYPE_SCALE) => parseFloat(read(`--text-${step}`)) || Number(TYPE_SCALE[step]);
    const path = this.options.path ?? ((d: string) => new Path2D(d));
    return { colours, text: { xs: size('xs'), md: size('md'), base: size('base') }, path };
  }
}

/** A picture that pans as a bitmap, and is first shown as one (TopologyCanvas). */
export const largePicture = (layout: Scene['layout']) => layout.nodes.length > SNAPSHOT_MIN_NODES;

const large = (s: PanScene) => largePicture(s.layout) && s.width > 0 && s.height > 0;

/** How far the picture has moved on screen since the bitmap was drawn. */
const shift = (b: Bitmap, view: View) => ({ x: view.x - b.view.x, y: view.y - b.view.y });

const lookOf = (paint: Paint) => JSON.stringify([paint.colours, paint.text]);
