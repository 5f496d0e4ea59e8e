// The exported picture (diagramSvg): a well-formed SVG document whatever the names hold, the
// canvas's look per state and mark, labels only where the canvas shows them without hover, the
// same bytes for the same input, and its copied tables (colours, icons) still agreeing with the
// app's theme and with Lucide.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { NODE_ICONS } from '../../lib/icons';
import type { DriftReport, Topology } from '../../lib/types';
import { edge, node, smallTopology } from '../../test/topologyFixtures';
import { decorate, labelsDrawn, labelShown } from './decorate';
import { diagramSvg, escapeXml, NODE_ICON_PATHS, num, PALETTE, TYPE_SCALE } from './diagramSvg';
import { layout } from './layout';

const ODD_NAME = `a<b&c"d'e>`;

/** The small fabric, plus one node per state, a name XML must escape, a problem and a cluster's word. */
function fabric(): { topology: Topology; report: DriftReport } {
  const t = smallTopology();
  t.nodes.push(
    node('server', 'server-bad', { state: { state: 'invalid', errors: ['spec.profile: unknown'] } }),
    node('server', 'server-conflict', { state: { state: 'conflict' } }),
    node('server', 'server-gone', { state: { state: 'deleted' } }),
    node('server', 'server-ghost', { missing: true, state: { state: 'invalid', errors: ['no such server'] } }),
    node('server', ODD_NAME),
  );
  t.edges.push(edge('unbundled', 'Switch/leaf-03', 'Server/server-bad', ['server-bad--unbundled--leaf-03'], [['leaf-03/E1/5', 'server-bad/enp2s1']]));
  const unbundled = t.edges.find((e) => e.connection_type === 'unbundled')!;
  t.problems.push({ target: { node: 'Switch/leaf-03' }, message: 'port E1/3 used twice' }, { target: { edge: unbundled.id }, message: 'no such port' });
  const report: DriftReport = {
    cluster: 'reachable',
    snapshot_at: null,
    resources: [],
    switches: [{ name: 'leaf-02', agent: 'stale', heartbeat_age_s: 600, applied: true, links: [] }],
  };
  return { topology: t, report };
}

async function drawn(): Promise<{ svg: string; doc: Document; topology: Topology }> {
  const { topology, report } = fabric();
  const svg = diagramSvg(await layout(topology), decorate(topology, report));
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  return { svg, doc, topology };
}

/** The drawn node whose hover text starts with the id (the node's `<g>`). */
function nodeGroup(doc: Document, id: string): Element {
  const g = [...doc.querySelectorAll('g[transform]')].find((el) => el.querySelector('title')?.textContent?.startsWith(id));
  if (!g) throw new Error(`${id} not drawn`);
  return g;
}
const box = (g: Element) => g.querySelector(':scope > rect')!;

test('the output is a well-formed SVG document at the layout size', async () => {
  const { topology, report } = fabric();
  const l = await layout(topology);
  const svg = diagramSvg(l, decorate(topology, report));
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  const root = doc.documentElement;
  expect(root.localName).toBe('svg');
  expect(root.namespaceURI).toBe('http://www.w3.org/2000/svg');
  expect(root.getAttribute('width')).toBe(String(Math.ceil(l.width)));
  expect(root.getAttribute('height')).toBe(String(Math.ceil(l.height)));
  expect(root.getAttribute('viewBox')).toBe(`0 0 ${Math.ceil(l.width)} ${Math.ceil(l.height)}`);
  expect(root.querySelector(':scope > rect')?.getAttribute('fill')).toBe(PALETTE.bgAlt);
  // nothing of the app's markup leaks into the file
  expect(svg).not.toMatch(/class=|data-testid|tabindex|role=/);
  // one <g> per group, edge and node, in that order
  expect(root.querySelectorAll(':scope > g')).toHaveLength(l.groups.length + l.edges.length + l.nodes.length);
});

test("every node's name is drawn as text", async () => {
  const { doc, topology } = await drawn();
  const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent);
  for (const n of topology.nodes) expect(texts).toContain(n.name);
});

test('a name with markup characters is escaped, parses, and reads back as written', async () => {
  const { svg, doc } = await drawn();
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  expect(svg).not.toContain(ODD_NAME);
  expect(svg).toContain('a&lt;b&amp;c&quot;d&apos;e&gt;');
  expect(nodeGroup(doc, `Server/${ODD_NAME}`).querySelector('text')?.textContent).toBe(ODD_NAME);
  expect(escapeXml('x\u0001y')).toBe('xy');
});

test('each state is drawn as the canvas draws it', async () => {
  const { doc } = await drawn();
  const invalid = box(nodeGroup(doc, 'Server/server-bad'));
  expect(invalid.getAttribute('fill')).toBe(PALETTE.dangerBg);
  expect(invalid.getAttribute('stroke')).toBe(PALETTE.danger);
  const synced = box(nodeGroup(doc, 'Server/server-01'));
  expect(synced.getAttribute('fill')).toBe(PALETTE.bg);
  expect(synced.getAttribute('stroke')).toBe(PALETTE.border);
  expect(box(nodeGroup(doc, 'Switch/spine-01')).getAttribute('fill')).toBe(PALETTE.infoBg);
  expect(box(nodeGroup(doc, 'Server/server-02')).getAttribute('stroke')).toBe(PALETTE.info); // draft
  expect(box(nodeGroup(doc, 'Server/server-conflict')).getAttribute('fill')).toBe(PALETTE.warnBg);
  const deleted = nodeGroup(doc, 'Server/server-gone');
  expect(box(deleted).getAttribute('opacity')).toBe('0.7');
  expect(deleted.querySelector('text')?.getAttribute('text-decoration')).toBe('line-through');
  const missing = nodeGroup(doc, 'Server/server-ghost');
  expect(box(missing).getAttribute('fill')).toBe('none');
  expect([...missing.querySelectorAll('text')].map((t) => t.textContent)).toEqual(['server-ghost', 'missing']);
  expect(missing.querySelector('text')?.getAttribute('y')).toBe('20');
  expect(nodeGroup(doc, 'Server/server-01').querySelector('text')?.getAttribute('y')).toBe('29');
});

test('marks: a problem gets ⚠, the cluster word a badge, and both are in the hover text', async () => {
  const { doc } = await drawn();
  const leaf3 = nodeGroup(doc, 'Switch/leaf-03');
  expect([...leaf3.querySelectorAll('text')].some((t) => t.textContent === '⚠' && t.getAttribute('fill') === PALETTE.warn)).toBe(true);
  expect(leaf3.querySelector('title')?.textContent).toContain('⚠ port E1/3 used twice');
  const leaf2 = nodeGroup(doc, 'Switch/leaf-02');
  expect(leaf2.querySelector('circle[fill]')?.getAttribute('fill')).toBe(PALETTE.danger);
  expect(leaf2.querySelector('title')?.textContent).toContain('cluster: agent stale');
  expect(nodeGroup(doc, 'Switch/leaf-01').querySelector(':scope > circle')).toBeNull();
});

test('edge labels: shown for a bundle and a problem, the rest are hover-only and left out', async () => {
  const { doc } = await drawn();
  const edgeGroups = [...doc.querySelectorAll('svg > g:not([transform])')].filter((g) => g.querySelector('polyline, path'));
  const labelOf = (start: string) => {
    const g = edgeGroups.find((el) => el.querySelector('title')?.textContent?.startsWith(start));
    if (!g) throw new Error(`${start} not drawn`);
    return g;
  };
  const bundle = labelOf('fabric ×2: Switch/spine-01 — Switch/leaf-01');
  expect(bundle.querySelector('text')?.textContent).toBe('fabric ×2');
  expect(labelOf('fabric: Switch/spine-01 — Switch/leaf-02').querySelector('text')).toBeNull();
  const problem = labelOf('unbundled: Switch/leaf-03 — Server/server-02');
  expect(problem.querySelector('text')?.textContent).toBe('⚠ unbundled');
  expect(problem.querySelector('tspan')?.getAttribute('fill')).toBe(PALETTE.warn);
  expect(problem.querySelector('polyline')?.getAttribute('stroke')).toBe(PALETTE.warn);
  const external = labelOf('external:').querySelector('polyline');
  expect([external?.getAttribute('stroke'), external?.getAttribute('stroke-dasharray')]).toEqual([PALETTE.info, '6 3']);
  expect(labelOf('mclagDomain:').querySelector('path')?.getAttribute('stroke')).toBe(PALETTE.accent);
});

test("a VPC loopback's loop carries no label of its own, unless something is wrong with it", () => {
  const loop = { ...edge('vpcLoopback', 'Switch/leaf-03', 'Switch/leaf-03', ['a', 'b']), count: 2 };
  const marks = { problems: [], live: [], title: '', label: 'vpcLoopback ×2' };
  expect(labelShown(loop, true, marks)).toBe(false);
  expect(labelShown(loop, false, marks)).toBe(true);
  expect(labelShown(loop, true, { ...marks, problems: ['port E1/30 is used twice'] })).toBe(true);
});

test('a count label that would overlap one already placed is left to the hover text; a problem is always drawn', () => {
  const at = (x: number, y: number) => ({ x, y });
  const e = (id: string, count: number) => ({ ...edge('fabric', `Switch/s-${id}`, `Switch/l-${id}`, ['a', 'b']), id, count });
  const edges = [
    { edge: e('1', 2), shape: 'routed', label: at(100, 50) },
    { edge: e('2', 2), shape: 'routed', label: at(120, 52) }, // on top of the first
    { edge: e('3', 2), shape: 'routed', label: at(400, 50) }, // clear of both
    { edge: e('4', 1), shape: 'routed', label: at(400, 50) }, // no count: not a label at all
    { edge: e('5', 1), shape: 'routed', label: at(104, 50) }, // a problem, over the first
  ];
  const marks = new Map(edges.map((x) => [x.edge.id, { problems: [] as string[], live: [] as string[], title: '', label: `fabric ×${x.edge.count}` }]));
  marks.get('5')!.problems.push('port E1/1 is used twice');
  // the problem is placed first, so the first count label now overlaps it and gives way too
  expect([...labelsDrawn(edges, marks)].sort()).toEqual(['3', '5']);
  marks.get('5')!.problems.length = 0;
  expect([...labelsDrawn(edges, marks)].sort()).toEqual(['1', '3']);
});

test("a count label over a device's box is left to the hover text, unless something is wrong with the link", () => {
  const link = { ...edge('mclag', 'Switch/leaf-01', 'Switch/leaf-02', ['a', 'b']), id: 'peer', count: 2 };
  // leaf-02's box starts 10 px right of the label's anchor: "mclag ×2" runs into it
  const edges = [{ edge: link, shape: 'arc', label: { x: 300, y: 40 } }];
  const leaf02 = { x: 310, y: 10, width: 168, height: 48 };
  const marks = new Map([['peer', { problems: [] as string[], live: [] as string[], title: '', label: 'mclag ×2' }]]);
  expect([...labelsDrawn(edges, marks)]).toEqual(['peer']);
  expect([...labelsDrawn(edges, marks, [leaf02])]).toEqual([]);
  expect([...labelsDrawn(edges, marks, [{ ...leaf02, x: 600 }])]).toEqual(['peer']);
  marks.get('peer')!.problems.push('mismatched links');
  expect([...labelsDrawn(edges, marks, [leaf02])]).toEqual(['peer']);
});

test('the same input gives the same bytes, with coordinates of at most 2 decimals', async () => {
  const { topology, report } = fabric();
  const a = diagramSvg(await layout(topology), decorate(topology, report));
  const b = diagramSvg(await layout(fabric().topology), decorate(fabric().topology, fabric().report));
  expect(b).toBe(a);
  expect(a).not.toMatch(/\d\.\d{3}/);
  expect([num(1 / 3), num(2.5), num(-0.001), num(Number.NaN), num(12)]).toEqual(['0.33', '2.5', '0', '0', '12']);
});

test("PALETTE mirrors the light theme's variables in app.css", () => {
  const css = readFileSync(join(process.cwd(), 'src/app.css'), 'utf8');
  const root = css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')));
  const variable = (name: string) => root.match(new RegExp(`--${name}:\\s*([^;]+);`))?.[1].trim();
  const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const key of ['bg', 'bgAlt', 'fg', 'fgMuted', 'border', 'accent', 'info', 'infoBg', 'warn', 'warnBg', 'danger', 'dangerBg'] as const) {
    expect([key, PALETTE[key]]).toEqual([key, variable(kebab(key))]);
  }
  // rgb(36 88 198 / 0.07) as a colour and an opacity
  const [r, g, b, alpha] = variable('accent-soft')!.match(/[\d.]+/g)!.map(Number);
  expect(PALETTE.accentSoft).toBe(`#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`);
  expect(Number(PALETTE.accentSoftOpacity)).toBe(alpha);
});

test("the text sizes are steps of app.css's type scale", () => {
  const css = readFileSync(join(process.cwd(), 'src/app.css'), 'utf8');
  for (const [step, px] of Object.entries(TYPE_SCALE)) expect([step, `${px}px`]).toEqual([step, css.match(new RegExp(`--text-${step}:\\s*(\\d+px)`))?.[1]]);
});

test("the icons are NODE_ICONS' Lucide icons, with Lucide's own path data", () => {
  for (const [kind, { name }] of Object.entries(NODE_ICONS)) {
    expect([kind, NODE_ICON_PATHS[kind]?.name]).toEqual([kind, name]);
    const source = readFileSync(join(process.cwd(), `node_modules/@lucide/svelte/dist/icons/${name}.svelte`), 'utf8');
    const data = JSON.parse(source.match(/const iconData = (\{.*\});/)![1]) as { node: unknown };
    expect(NODE_ICON_PATHS[kind].node).toEqual(data.node);
  }
  expect(Object.keys(NODE_ICON_PATHS).sort()).toEqual(Object.keys(NODE_ICONS).sort());
});
