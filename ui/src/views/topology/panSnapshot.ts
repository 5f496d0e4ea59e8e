// Panning a large picture as a bitmap. WebKitGTK, rendering in software, repaints every SVG element
// in view on each frame of a pan: with a thousand devices the pan ran at 48-54 frames/s where the
// display gives 62. Moving the SVG some other way was measured and did not help (a CSS transform
// on a layer: 6 frames/s, the layer is repainted; one merged path: 7; shape-rendering: no change).
// So while the user pans a picture of more than SNAPSHOT_MIN_NODES nodes, the SVG is hidden and a
// <canvas> shows the picture drawn once (rasterSnapshot.ts), moved at each input: a frame costs
// one bitmap moved, whatever the fabric's size. The SVG stays the real, accessible picture: it is
// hidden with `visibility` (its elements stay in the document, and events dispatched on them still
// bubble to the view's listeners), and SETTLE_MS after the last pan input it comes back, moved by
// the whole pan, exactly where the bitmap was. The bitmap is drawn ahead of time (PREPARE_MS after
// the picture last changed), so the first frame of a pan only swaps it in; a pan past the bitmap's
// margin (snapshotArea.ts) draws it again there.
// Two ways to move it, `Blit`: 'move' sets the canvas element's left/top (the bitmap is the
// element: no drawing per frame), 'draw' copies the bitmap onto a viewport-sized canvas at the new
// offset (one drawImage per frame). Not a CSS transform: on the SVG's layer that was the slowest
// of all. 'move' is the default because it does less work per frame; which one WebKitGTK does
// faster is for the e2e figure to say, so localStorage `hhsync.topology.panBlit` = 'draw' selects
// the other, read at each pan. While a pan shows the bitmap the view's element carries
// `data-panning` (the way), and `data-snapshot-ms` says how long the last bitmap took to draw.
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

export type Blit = 'move' | 'draw';
export const BLIT_KEY = 'hhsync.topology.panBlit';

/** The picture as the SVG shows it now, and the viewport's size. */
export interface PanScene extends Scene {
  view: View;
  width: number;
  height: number;
}

export interface PanElements {
  /** The view's element: gets the focus if it was inside the hidden SVG, and `data-panning`. */
  container: HTMLElement;
  svg: SVGSVGElement;
  /** The canvas shown instead of the SVG, absolutely placed in the container, `display: none` by default. */
  screen: HTMLCanvasElement;
}

export interface PanHost {
  scene(): PanScene;
  /** Undefined until the elements are mounted. */
  elements(): PanElements | undefined;
  /** The pan is over: move the SVG's view by (dx, dy). Called with the SVG already shown again. */
  settle(dx: number, dy: number): void;
}

/** What a bitmap is drawn on; a test's fake implements just this. */
export type PanContext = SnapshotContext & Pick<CanvasRenderingContext2D, 'clearRect' | 'drawImage'>;

export interface PanOptions {
  context?: (canvas: HTMLCanvasElement) => PanContext | null;
  /** A canvas outside the document, for 'draw'. */
  canvas?: () => HTMLCanvasElement;
  path?: (d: string) => Path2D;
  blit?: () => Blit;
  dpr?: () => number;
}

interface Bitmap {
  canvas: HTMLCanvasElement;
  blit: Blit;
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
  private offscreen: HTMLCanvasElement | null = null;
  /** The pan in progress: how far the picture has moved since the SVG's view, not yet given to it. */
  private pan: { dx: number; dy: number } | null = null;
  private held = false;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private prepareTimer: ReturnType<typeof setTimeout> | undefined;

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
      if (!this.render(s, view, els, bitmap.blit, this.paint(els.container))) {
        this.settle();
        return true;
      }
      this.present(els);
    }
    this.place(els, view);
    if (!this.held) this.armSettle();
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
      els.svg.style.visibility = '';
      els.screen.style.display = '';
      delete els.container.dataset.panning;
    }
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
    this.pan = null;
    this.bitmap = null;
    // a canvas's memory goes with its size
    if (this.offscreen) this.offscreen.width = this.offscreen.height = 0;
  }

  private armSettle(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.settle(), SETTLE_MS);
  }

  /** A bitmap of the scene as it is, filling the viewport at the SVG's view: kept when it still does, else drawn. */
  private ready(s: PanScene, els: PanElements): boolean {
    const blit = this.options.blit?.() ?? blitSetting();
    const paint = this.paint(els.container);
    const b = this.bitmap;
    const fresh =
      b &&
      b.blit === blit &&
      b.scene.layout === s.layout &&
      b.scene.marks === s.marks &&
      b.scene.lit === s.lit &&
      b.scene.litEdges === s.litEdges &&
      b.k === s.view.k &&
      b.dpr === this.dpr() &&
      b.look === lookOf(paint) &&
      covers(b.area, b.content, shift(b, s.view), s.width, s.height);
    return !!fresh || this.render(s, { x: s.view.x, y: s.view.y, k: s.view.k }, els, blit, paint);
  }

  private render(s: PanScene, view: View, els: PanElements, blit: Blit, paint: Paint): boolean {
    const dpr = this.dpr();
    const content = contentBounds(s.layout);
    const area = snapshotArea(view, content, s.width, s.height, marginFor(s.width, s.height, dpr));
    const canvas = blit === 'move' ? els.screen : (this.offscreen ??= this.options.canvas?.() ?? document.createElement('canvas'));
    // a new size clears the bitmap (and sizing a canvas to 0 frees it)
    canvas.width = Math.round(area.width * dpr);
    canvas.height = Math.round(area.height * dpr);
    const ctx = this.context(canvas);
    if (!ctx) return false;
    const t0 = performance.now();
    if (area.width && area.height) drawSnapshot(ctx, s, view, area, paint, dpr);
    els.container.dataset.snapshotMs = String(Math.round(performance.now() - t0));
    const scene = { layout: s.layout, marks: s.marks, lit: s.lit, litEdges: s.litEdges };
    this.bitmap = { canvas, blit, view, area, content: content && toScreen(content, view), scene, k: view.k, dpr, look: lookOf(paint) };
    return true;
  }

  /** The bitmap in place of the SVG. A focused node would be hidden with it: the view takes the focus. */
  private show(els: PanElements): void {
    if (els.svg.contains(els.svg.ownerDocument.activeElement)) els.container.focus({ preventScroll: true });
    this.present(els);
    els.screen.style.display = 'block';
    els.svg.style.visibility = 'hidden';
    els.container.dataset.panning = this.bitmap!.blit;
  }

  /** The screen canvas sized for the bitmap: the bitmap itself ('move'), or the viewport it is copied onto ('draw'). */
  private present(els: PanElements): void {
    const b = this.bitmap!;
    const { screen } = els;
    if (b.blit === 'move') {
      screen.style.width = `${b.area.width}px`;
      screen.style.height = `${b.area.height}px`;
      return;
    }
    const { width, height } = this.host.scene();
    const dpr = this.dpr();
    if (screen.width !== Math.round(width * dpr) || screen.height !== Math.round(height * dpr)) {
      screen.width = Math.round(width * dpr);
      screen.height = Math.round(height * dpr);
    }
    screen.style.width = `${width}px`;
    screen.style.height = `${height}px`;
    screen.style.left = screen.style.top = '0px';
  }

  /** The bitmap where the pan has taken the picture. */
  private place(els: PanElements, view: View): void {
    const b = this.bitmap!;
    const { x, y } = shift(b, view);
    if (b.blit === 'move') {
      els.screen.style.left = `${b.area.x + x}px`;
      els.screen.style.top = `${b.area.y + y}px`;
      return;
    }
    const ctx = this.context(els.screen);
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, els.screen.width, els.screen.height);
    // whole device pixels: a copy that lands between pixels is resampled, slower and blurred
    const dpr = b.dpr;
    if (b.canvas.width && b.canvas.height) ctx.drawImage(b.canvas, Math.round((b.area.x + x) * dpr), Math.round((b.area.y + y) * dpr));
  }

  private context(canvas: HTMLCanvasElement): PanContext | null {
    return this.options.context ? this.options.context(canvas) : canvas.getContext('2d');
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

const large = (s: PanScene) => s.layout.nodes.length > SNAPSHOT_MIN_NODES && s.width > 0 && s.height > 0;

/** How far the picture has moved on screen since the bitmap was drawn. */
const shift = (b: Bitmap, view: View) => ({ x: view.x - b.view.x, y: view.y - b.view.y });

const lookOf = (paint: Paint) => JSON.stringify([paint.colours, paint.text]);

function blitSetting(): Blit {
  try {
    return globalThis.localStorage?.getItem(BLIT_KEY) === 'draw' ? 'draw' : 'move';
  } catch {
    return 'move';
  }
}
