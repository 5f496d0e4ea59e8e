// The topology picture as a self-contained SVG file, drawn from the layout and the marks alone.
// One renderer for both exports: the app's "Export… SVG" and `hhsync diagram --format svg`, which
// runs a bundle of this module (src/diagram.ts) inside QuickJS. So it is a pure string builder:
// no DOM, no computed styles, no timers. It draws what TopologyCanvas.svelte draws, in the same
// order and geometry, with the canvas's CSS written out as presentation attributes in the light
// theme's colours (PALETTE); hover-only parts (edge labels on hover, hit areas) are left out.
// The same input gives byte-identical output: numbers are rounded, nothing depends on time.
import { edgeLabel, labelsDrawn, stateOf, type Marks } from './decorate';
import { pathOf, pointsOf, type Layout, type PlacedEdge, type PlacedGroup, type PlacedNode } from './layout';
import { boxLook, edgeLook, type StrokeLook } from './look';

/**
 * The light theme's colours, as literals. Mirrors the `:root` variables in src/app.css (the names
 * are theirs, camel-cased: `fgMuted` is `--fg-muted`); diagramSvg.test.ts checks they agree.
 * `--accent-soft` is `rgb(36 88 198 / 0.07)` there: written as a colour and an opacity here,
 * which SVG 1.1 renderers understand.
 */
export const PALETTE = {
  bg: '#ffffff',
  bgAlt: '#f5f6f8',
  fg: '#1d2330',
  fgMuted: '#5b6473',
  border: '#d5d9e0',
  accent: '#2458c6',
  accentSoft: '#2458c6',
  accentSoftOpacity: '0.07',
  info: '#1f5fb3',
  infoBg: '#e4eefb',
  warn: '#8a5a00',
  warnBg: '#fdf1d8',
  danger: '#b3261e',
  dangerBg: '#fbe5e3',
} as const;

/**
 * The steps of app.css's type scale the picture uses, in px (`--text-xs`, `--text-md`, and
 * `--text-base`, the page's size, which the canvas's ⚠ inherits). A file has no CSS variables, so
 * the sizes are written out; diagramSvg.test.ts checks they are still the scale's.
 */
export const TYPE_SCALE = { xs: '11', md: '13', base: '14' } as const;

/**
 * Each node kind's Lucide icon (the ones lib/icons.ts's NODE_ICONS names), as Lucide's icon node:
 * [tag, attributes] on a 24×24 grid. Copied from @lucide/svelte 1.48.0's dist/icons/<name>.svelte
 * (`iconData.node`): that package keeps the data inside Svelte components, and this module must
 * not import Svelte (the command line's bundle has no Svelte). icons.ts is not imported for the
 * same reason; diagramSvg.test.ts checks both tables name the same icons.
 */
type IconNode = [tag: string, attrs: Record<string, string>][];
export const NODE_ICON_PATHS: Record<string, { name: string; node: IconNode }> = {
  spine: {
    name: 'radio-tower',
    node: [
      ['path', { d: 'M4.9 16.1C1 12.2 1 5.8 4.9 1.9' }],
      ['path', { d: 'M7.8 4.7a6.14 6.14 0 0 0-.8 7.5' }],
      ['circle', { cx: '12', cy: '9', r: '2' }],
      ['path', { d: 'M16.2 4.8c2 2 2.26 5.11.8 7.47' }],
      ['path', { d: 'M19.1 1.9a9.96 9.96 0 0 1 0 14.1' }],
      ['path', { d: 'M9.5 18h5' }],
      ['path', { d: 'm8 22 4-11 4 11' }],
    ],
  },
  leaf: {
    name: 'network',
    node: [
      ['rect', { x: '16', y: '16', width: '6', height: '6', rx: '1' }],
      ['rect', { x: '2', y: '16', width: '6', height: '6', rx: '1' }],
      ['rect', { x: '9', y: '2', width: '6', height: '6', rx: '1' }],
      ['path', { d: 'M5 16v-3a1 1 0 0 1 1-1h12a1 1 0 0 1 1 1v3' }],
      ['path', { d: 'M12 12V8' }],
    ],
  },
  'other-switch': {
    name: 'router',
    node: [
      ['rect', { width: '20', height: '8', x: '2', y: '14', rx: '2' }],
      ['path', { d: 'M6.01 18H6' }],
      ['path', { d: 'M10.01 18H10' }],
      ['path', { d: 'M15 10v4' }],
      ['path', { d: 'M17.84 7.17a4 4 0 0 0-5.66 0' }],
      ['path', { d: 'M20.66 4.34a8 8 0 0 0-11.31 0' }],
    ],
  },
  server: {
    name: 'server',
    node: [
      ['rect', { width: '20', height: '8', x: '2', y: '2', rx: '2', ry: '2' }],
      ['rect', { width: '20', height: '8', x: '2', y: '14', rx: '2', ry: '2' }],
      ['line', { x1: '6', x2: '6.01', y1: '6', y2: '6' }],
      ['line', { x1: '6', x2: '6.01', y1: '18', y2: '18' }],
    ],
  },
  external: {
    name: 'globe',
    node: [
      ['circle', { cx: '12', cy: '12', r: '10' }],
      ['path', { d: 'M12 2a14.5 14.5 0 0 0 0 20 14.5 14.5 0 0 0 0-20' }],
      ['path', { d: 'M2 12h20' }],
    ],
  },
  gateway: {
    name: 'door-open',
    node: [
      ['path', { d: 'M10 21H2' }],
      ['path', { d: 'M10 3H7a2 2 0 00-2 2v16' }],
      ['path', { d: 'M14 12h.01' }],
      ['path', { d: 'M19 21V5a2 2 0 00-1.675-1.974l-6.163-1.013A1 1 0 0010 3v18a1 1 0 001.124.992z' }],
      ['path', { d: 'M22 21h-3' }],
    ],
  },
};

// ---- XML text ----------------------------------------------------------------------------------

/** Characters XML 1.0 does not allow at all (a stray control character would break the file). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or an attribute value, safe inside an element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A coordinate: at most 2 decimals, no trailing zeros, never `-0`, `NaN` or an exponent. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? '0' : String(rounded);
}

type AttrValue = string | number | undefined;

/** Attributes in the given order; numbers are formatted with num(), undefined ones left out. */
function attrs(list: Record<string, AttrValue>): string {
  let out = '';
  for (const [name, value] of Object.entries(list)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

function el(tag: string, list: Record<string, AttrValue>, content?: string): string {
  return content === undefined ? `<${tag}${attrs(list)}/>` : `<${tag}${attrs(list)}>${content}</${tag}>`;
}

/** The hover text, as the canvas's `<title>` gives it (nothing when there is none). */
const title = (text: string | undefined) => (text ? `<title>${escapeXml(text)}</title>` : '');

// ---- the picture -------------------------------------------------------------------------------

function group(g: PlacedGroup): string {
  const box = el('rect', {
    x: g.x,
    y: g.y,
    width: g.width,
    height: g.height,
    rx: 10,
    fill: PALETTE.accentSoft,
    'fill-opacity': PALETTE.accentSoftOpacity,
    stroke: PALETTE.accent,
    'stroke-dasharray': '4 3',
  });
  const label = el('text', { x: g.x + 10, y: g.y + 15, fill: PALETTE.fgMuted, 'font-size': TYPE_SCALE.xs }, escapeXml(`${g.name}${g.kind ? ` (${g.kind})` : ''}`));
  return `<g>${box}${label}</g>`;
}

/** A stroke in the file's attributes: look.ts's colour names as the light theme's literals. */
function strokeAttrs(look: StrokeLook): Record<string, AttrValue> {
  return { stroke: PALETTE[look.stroke], 'stroke-width': look.width, 'stroke-dasharray': look.dash?.join(' ') };
}

function edge(e: PlacedEdge, marks: Marks, labelled: Set<string>): string {
  const m = marks.edges.get(e.edge.id);
  const bad = !!m?.live.length;
  const problem = !!m?.problems.length;
  const stroke = { fill: 'none', ...strokeAttrs(edgeLook(e.edge.connection_type, { problem, bad })) };
  const line = e.shape === 'routed' ? el('polyline', { points: pointsOf(e.points, num), ...stroke }) : el('path', { d: pathOf(e, num), ...stroke });
  // as on the canvas: the other labels are in the hover text (<title>) only
  let label = '';
  if (labelled.has(e.edge.id)) {
    const mark = bad || problem ? el('tspan', { fill: PALETTE.warn, 'font-weight': '700' }, '⚠ ') : '';
    label = el('text', { x: e.label.x + 4, y: e.label.y - 4, fill: PALETTE.fgMuted, 'font-size': TYPE_SCALE.xs }, mark + escapeXml(m?.label ?? edgeLabel(e.edge)));
  }
  return `<g>${title(m?.title)}${line}${label}</g>`;
}

/** The box's look per state (and the spine's fill), as look.ts has the canvas's `.node.state-*` rules. */
function boxStyle(n: PlacedNode): Record<string, AttrValue> {
  const look = boxLook(n.node);
  return { fill: look.fill ? PALETTE[look.fill] : 'none', ...strokeAttrs(look), opacity: look.opacity };
}

/** The kind's icon, 20 px at (10, middle), stroked in the text colour like Lucide's component. */
function icon(n: PlacedNode): string {
  const data = NODE_ICON_PATHS[n.node.kind] ?? NODE_ICON_PATHS['other-switch'];
  const parts = data.node.map(([tag, a]) => el(tag, a)).join('');
  return el(
    'svg',
    {
      x: 10,
      y: n.height / 2 - 10,
      width: 20,
      height: 20,
      viewBox: '0 0 24 24',
      fill: 'none',
      stroke: PALETTE.fg,
      'stroke-width': 2,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    },
    parts,
  );
}

function node(n: PlacedNode, marks: Marks): string {
  const m = marks.nodes.get(n.node.id);
  const deleted = stateOf(n.node) === 'deleted';
  const sub = n.node.missing ? 'missing' : n.node.role;
  const parts = [
    title(m?.title),
    el('rect', { width: n.width, height: n.height, rx: 8, ...boxStyle(n) }),
    icon(n),
    el(
      'text',
      { x: 38, y: sub ? 20 : 29, fill: PALETTE.fg, 'font-size': TYPE_SCALE.md, 'font-weight': '600', 'text-decoration': deleted ? 'line-through' : undefined },
      escapeXml(n.node.name),
    ),
    sub ? el('text', { x: 38, y: 36, fill: PALETTE.fgMuted, 'font-size': TYPE_SCALE.xs }, escapeXml(sub)) : '',
    // the canvas's mark has no size of its own: it gets the page's body size
    m?.problems.length
      ? el('text', { x: n.width - 6, y: 15, fill: PALETTE.warn, 'font-size': TYPE_SCALE.base, 'font-weight': '700', 'text-anchor': 'end' }, '⚠')
      : '',
    m?.live.length ? el('circle', { cx: n.width - 10, cy: n.height - 10, r: 5, fill: PALETTE.danger }) : '',
  ];
  return `<g transform="translate(${num(n.x)} ${num(n.y)})">${parts.join('')}</g>`;
}

/** The whole picture, at the layout's size, as an SVG document (no XML declaration). */
export function diagramSvg(layout: Layout, marks: Marks): string {
  const width = Math.ceil(layout.width);
  const height = Math.ceil(layout.height);
  const labelled = labelsDrawn(layout.edges, marks.edges, layout.nodes);
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    // the canvas's background: node boxes are white on it
    el('rect', { width, height, fill: PALETTE.bgAlt }),
    ...layout.groups.map(group),
    ...layout.edges.map((e) => edge(e, marks, labelled)),
    ...layout.nodes.map((n) => node(n, marks)),
    '</svg>',
  ];
  return lines.join('\n') + '\n';
}
