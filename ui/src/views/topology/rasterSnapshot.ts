// The topology picture drawn with Canvas 2D, for the bitmap shown while a large picture pans
// (panSnapshot.ts). WebKitGTK repaints every SVG element in view on each frame of a pan, and with a
// thousand devices that is slower than the display; a bitmap drawn once and moved costs one copy
// per frame whatever the fabric's size. So this draws what TopologyCanvas.svelte's SVG shows at
// one view, from the same data: the layout's geometry through the same helpers (pointsOf, pathOf,
// as Path2D), the same decorations (decorate.ts), the same cascade of states and highlights
// (look.ts) in the live theme's colours, labels and icons only where the view is readable. When
// the pan ends the SVG comes back where the bitmap was; any difference in anti-aliasing or text
// rendering is visible for one frame at most. Pure over its inputs: the context and Path2D are
// parameters, so tests draw on a recording fake.
import { edgeLabel, stateOf, type Marks } from './decorate';
import { NODE_ICON_PATHS } from './diagramSvg';
import { pathOf, pointsOf, type Layout, type PlacedEdge, type PlacedGroup, type PlacedNode } from './layout';
import { boxLook, DIM_OPACITY, edgeLook, type Colour, type StrokeLook } from './look';
import { edgeBounds, groupBounds, intersects, nodeBounds, toLayout, type Rect } from './snapshotArea';
import { readable, type View } from './viewport';

/** What the SVG shows besides the geometry: decorations and what is highlighted. */
export interface Scene {
  layout: Layout;
  marks: Marks;
  /** Nodes highlighted; null: nothing is, nothing dims (as TopologyCanvas's `lit`). */
  lit: Set<string> | null;
  litEdges: Set<string> | null;
  /** The edges whose label is drawn (decorate.ts's `labelsDrawn`), as the SVG draws them. */
  labelled: Set<string>;
}

/** What the bitmap is painted with. */
export interface Paint {
  /** The theme's colours, as CSS colour strings. */
  colours: Record<Colour, string>;
  /** The type scale's steps the picture uses (`--text-xs`, `--text-md`, `--text-base`), in px. */
  text: { xs: number; md: number; base: number };
  /** A Path2D of SVG path data (a parameter: jsdom has no Path2D). */
  path: (d: string) => Path2D;
}

/** The part of CanvasRenderingContext2D drawn with; a test's fake implements just this. */
export type SnapshotContext = Pick<
  CanvasRenderingContext2D,
  | 'setTransform'
  | 'save'
  | 'restore'
  | 'translate'
  | 'scale'
  | 'fill'
  | 'fillRect'
  | 'stroke'
  | 'fillText'
  | 'measureText'
  | 'setLineDash'
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'lineCap'
  | 'lineJoin'
  | 'globalAlpha'
  | 'font'
  | 'textAlign'
>;

/** What was drawn: node ids and edge indices (`PlacedEdge.index`), in drawing order. */
export interface Drawn {
  nodes: string[];
  edges: number[];
}

/** The SVG's `font-family`. */
const FONT_FAMILY = 'system-ui, sans-serif';

/**
 * Draws the picture as `view` puts it on screen, the part inside `area` (screen pixels), onto a
 * context whose bitmap is `area` at `dpr` device pixels per pixel and is blank: canvas pixel
 * (0, 0) is screen point (area.x, area.y). Groups, then edges, then nodes, as the SVG stacks them;
 * anything whose bounds miss the area is skipped.
 */
export function drawSnapshot(ctx: SnapshotContext, scene: Scene, view: View, area: Rect, paint: Paint, dpr = 1): Drawn {
  const drawn: Drawn = { nodes: [], edges: [] };
  const inArea = toLayout(area, view);
  const words = readable(view);
  const pen = new Pen(ctx, paint);
  ctx.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * (view.x - area.x), dpr * (view.y - area.y));
  // SVG's defaults (a reused context may hold others)
  ctx.lineCap = 'butt';
  ctx.lineJoin = 'miter';
  for (const g of scene.layout.groups) if (intersects(groupBounds(g), inArea)) drawGroup(pen, g, words);
  for (const e of scene.layout.edges) {
    if (!intersects(edgeBounds(e), inArea)) continue;
    drawEdge(pen, e, scene, words);
    drawn.edges.push(e.index);
  }
  for (const n of scene.layout.nodes) {
    if (!intersects(nodeBounds(n), inArea)) continue;
    drawNode(pen, n, scene, words);
    drawn.nodes.push(n.node.id);
  }
  return drawn;
}

/** The context with the theme at hand, and the few settings that cost a parse kept from repeating. */
class Pen {
  private font = '';
  private icons = new Map<string, Path2D[]>();

  constructor(
    readonly ctx: SnapshotContext,
    readonly paint: Paint,
  ) {}

  colour(c: Colour): string {
    return this.paint.colours[c];
  }

  stroke(path: Path2D, look: StrokeLook): void {
    this.ctx.strokeStyle = this.colour(look.stroke);
    this.ctx.lineWidth = look.width;
    this.ctx.setLineDash(look.dash ?? []);
    this.ctx.stroke(path);
  }

  fill(path: Path2D, colour: Colour): void {
    this.ctx.fillStyle = this.colour(colour);
    this.ctx.fill(path);
  }

  /** Text at a baseline point, as SVG's <text x y>. */
  text(text: string, x: number, y: number, { size, weight = 400, colour, align = 'left' }: { size: number; weight?: number; colour: Colour; align?: CanvasTextAlign }): void {
    const font = `${weight} ${size}px ${FONT_FAMILY}`;
    if (font !== this.font) this.ctx.font = this.font = font;
    this.ctx.textAlign = align;
    this.ctx.fillStyle = this.colour(colour);
    this.ctx.fillText(text, x, y);
  }

  /** The width of text in the font the last text() was drawn in. */
  width(text: string): number {
    return this.ctx.measureText(text).width;
  }

  /** A kind's Lucide icon as paths on its 24×24 grid, made once per drawing. */
  icon(kind: string): Path2D[] {
    let paths = this.icons.get(kind);
    if (!paths) {
      const data = NODE_ICON_PATHS[kind] ?? NODE_ICON_PATHS['other-switch'];
      paths = data.node.map(([tag, a]) => this.paint.path(iconPathData(tag, a)));
      this.icons.set(kind, paths);
    }
    return paths;
  }
}

function drawGroup(pen: Pen, g: PlacedGroup, words: boolean): void {
  pen.ctx.globalAlpha = 1;
  const box = pen.paint.path(roundedRect(g.x, g.y, g.width, g.height, 10));
  pen.fill(box, 'accentSoft');
  pen.stroke(box, { stroke: 'accent', width: 1, dash: [4, 3] });
  if (words) pen.text(`${g.name}${g.kind ? ` (${g.kind})` : ''}`, g.x + 10, g.y + 15, { size: pen.paint.text.xs, colour: 'fgMuted' });
}

function drawEdge(pen: Pen, e: PlacedEdge, { marks, litEdges, labelled }: Scene, words: boolean): void {
  const m = marks.edges.get(e.edge.id);
  const hl = litEdges?.has(e.edge.id) ?? false;
  const flagged = !!m?.problems.length || !!m?.live.length;
  pen.ctx.globalAlpha = litEdges !== null && !hl ? DIM_OPACITY : 1;
  // a polyline's points after one moveto are its line segments, as in SVG's <polyline points>
  const d = e.shape === 'routed' ? `M${pointsOf(e.points)}` : pathOf(e);
  pen.stroke(pen.paint.path(d), edgeLook(e.edge.connection_type, { problem: !!m?.problems.length, bad: !!m?.live.length, hl }));
  if (!words || !labelled.has(e.edge.id)) return;
  let x = e.label.x + 4;
  const y = e.label.y - 4;
  const size = pen.paint.text.xs;
  if (flagged) {
    pen.text('⚠ ', x, y, { size, weight: 700, colour: 'warn' });
    x += pen.width('⚠ ');
  }
  pen.text(m?.label ?? edgeLabel(e.edge), x, y, { size, colour: 'fgMuted' });
}

function drawNode(pen: Pen, n: PlacedNode, { marks, lit }: Scene, words: boolean): void {
  const { ctx, paint } = pen;
  const m = marks.nodes.get(n.node.id);
  const hl = lit?.has(n.node.id) ?? false;
  const alpha = lit !== null && !hl ? DIM_OPACITY : 1;
  const look = boxLook(n.node, hl);
  ctx.globalAlpha = alpha * (look.opacity ?? 1);
  const box = paint.path(roundedRect(n.x, n.y, n.width, n.height, 8));
  if (look.fill) pen.fill(box, look.fill);
  pen.stroke(box, look);
  ctx.globalAlpha = alpha;
  if (words) {
    drawIcon(pen, n);
    const sub = n.node.missing ? 'missing' : n.node.role;
    const nameY = n.y + (sub ? 20 : 29);
    pen.text(n.node.name, n.x + 38, nameY, { size: paint.text.md, weight: 600, colour: 'fg' });
    if (stateOf(n.node) === 'deleted') {
      // text-decoration: line-through, about the middle of the lower-case letters
      const strike = nameY - paint.text.md * 0.3;
      pen.stroke(paint.path(`M${n.x + 38},${strike} H${n.x + 38 + pen.width(n.node.name)}`), { stroke: 'fg', width: paint.text.md / 14 });
    }
    if (sub) pen.text(sub, n.x + 38, n.y + 36, { size: paint.text.xs, colour: 'fgMuted' });
  }
  // the ⚠ has no size of its own in the SVG: it gets the page's body size
  if (m?.problems.length) pen.text('⚠', n.x + n.width - 6, n.y + 15, { size: paint.text.base, weight: 700, colour: 'warn', align: 'right' });
  if (m?.live.length) pen.fill(paint.path(circle(n.x + n.width - 10, n.y + n.height - 10, 5)), 'danger');
}

/** The kind's icon, 20 px at (10, middle), stroked in the text colour as Lucide's component is. */
function drawIcon(pen: Pen, n: PlacedNode): void {
  const { ctx } = pen;
  ctx.save();
  ctx.translate(n.x + 10, n.y + n.height / 2 - 10);
  ctx.scale(20 / 24, 20 / 24);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const path of pen.icon(n.node.kind)) pen.stroke(path, { stroke: 'fg', width: 2 });
  ctx.restore();
}

/** SVG's <rect rx> as path data, per SVG's own definition of it (starting right of the top left corner). */
export function roundedRect(x: number, y: number, w: number, h: number, radius: number): string {
  const r = Math.max(0, Math.min(radius, w / 2, h / 2));
  if (!r) return `M${x},${y} H${x + w} V${y + h} H${x} Z`;
  const arc = (ex: number, ey: number) => `A${r},${r} 0 0 1 ${ex},${ey}`;
  return `M${x + r},${y} H${x + w - r} ${arc(x + w, y + r)} V${y + h - r} ${arc(x + w - r, y + h)} H${x + r} ${arc(x, y + h - r)} V${y + r} ${arc(x + r, y)} Z`;
}

const circle = (cx: number, cy: number, r: number) => `M${cx - r},${cy} A${r},${r} 0 1 0 ${cx + r},${cy} A${r},${r} 0 1 0 ${cx - r},${cy} Z`;

/** One of Lucide's icon elements (path, rect, circle, line) as path data. */
export function iconPathData(tag: string, a: Record<string, string>): string {
  const n = (name: string) => Number(a[name] ?? 0);
  switch (tag) {
    case 'rect':
      return roundedRect(n('x'), n('y'), n('width'), n('height'), n(a.rx ? 'rx' : 'ry'));
    case 'circle':
      return circle(n('cx'), n('cy'), n('r'));
    case 'line':
      return `M${n('x1')},${n('y1')} L${n('x2')},${n('y2')}`;
    default:
      return a.d ?? '';
  }
}
