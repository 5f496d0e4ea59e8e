// The pan bitmap's drawing (rasterSnapshot), on a recording fake context: every node and edge in
// the area drawn with the SVG's own geometry, what lies outside skipped, the view's transform,
// labels only where the view is readable, and the states, highlights and marks in the theme's
// colours as the SVG's CSS gives them.
import { expect, test } from 'vitest';
import type { DriftReport, Topology } from '../../lib/types';
import { edge, node, smallTopology } from '../../test/topologyFixtures';
import { decorate, labelsDrawn } from './decorate';
import { layout, pathOf, pointsOf } from './layout';
import { drawSnapshot, iconPathData, roundedRect, type Scene } from './rasterSnapshot';
import { fakeContext, fakePaint, gridScene, type Op } from './snapshotFakes';
import { contentBounds, nodeBounds, snapshotArea, toLayout, intersects } from './snapshotArea';
import type { View } from './viewport';

/** The small fabric with a node per state, a problem on a node and an edge, and a stale agent. */
async function smallScene(): Promise<Scene & { topology: Topology }> {
  const t = smallTopology();
  t.nodes.push(
    node('server', 'server-gone', { state: { state: 'deleted' } }),
    node('server', 'server-ghost', { missing: true, state: { state: 'invalid', errors: ['no such server'] } }),
  );
  t.edges.push(edge('unbundled', 'Switch/leaf-03', 'Server/server-gone', ['server-gone--unbundled--leaf-03']));
  t.problems.push({ target: { node: 'Switch/leaf-03' }, message: 'port E1/3 used twice' }, { target: { edge: 'unbundled:Switch/leaf-03--Server/server-02' }, message: 'no such port' });
  const report: DriftReport = {
    cluster: 'reachable',
    snapshot_at: null,
    resources: [],
    switches: [{ name: 'leaf-02', agent: 'stale', heartbeat_age_s: 600, applied: true, links: [] }],
  };
  const placed = await layout(t);
  const marks = decorate(t, report);
  return { topology: t, layout: placed, marks, lit: null, litEdges: null, labelled: labelsDrawn(placed.edges, marks.edges, placed.nodes) };
}

/** Draws the whole scene at `view` (the area holds all of it) on a fresh fake. */
function drawWhole(scene: Scene, view: View) {
  const ctx = fakeContext();
  const area = snapshotArea(view, contentBounds(scene.layout), 100_000, 100_000, 0);
  const drawn = drawSnapshot(ctx, scene, view, area, fakePaint);
  return { ctx, drawn, area };
}

const paths = (ops: Op[], op: 'fill' | 'stroke') => ops.filter((o) => o.op === op).map((o) => o.d);
const texts = (ops: Op[]) => ops.filter((o) => o.op === 'fillText').map((o) => o.args[0]);
/** The ops that drew a node: from its box up to the next node's box (radius 8). */
function nodeOps(ops: Op[], box: string): Op[] {
  const start = ops.findIndex((o) => o.d === box);
  const next = ops.findIndex((o, i) => i > start && o.d !== box && !!o.d?.includes('A8,8'));
  return ops.slice(start, next < 0 ? undefined : next);
}
const boxOf = (scene: Scene, id: string) => {
  const n = scene.layout.nodes.find((p) => p.node.id === id)!;
  return roundedRect(n.x, n.y, n.width, n.height, 8);
};

test("every node and edge is drawn, with the SVG's geometry: pointsOf and pathOf, boxes as <rect rx=8>", async () => {
  const scene = await smallScene();
  const { ctx, drawn } = drawWhole(scene, { x: 0, y: 0, k: 1 });
  expect(drawn.nodes).toEqual(scene.layout.nodes.map((n) => n.node.id));
  expect(drawn.edges).toEqual(scene.layout.edges.map((e) => e.index));
  const strokes = paths(ctx.ops, 'stroke');
  for (const e of scene.layout.edges) expect(strokes).toContain(e.shape === 'routed' ? `M${pointsOf(e.points)}` : pathOf(e));
  for (const n of scene.layout.nodes) expect(strokes).toContain(roundedRect(n.x, n.y, n.width, n.height, 8));
  // one of each shape: the routed polylines, the pair's arc, the loopback's curl
  expect(new Set(scene.layout.edges.map((e) => e.shape))).toEqual(new Set(['routed', 'arc', 'loop']));
  // the group box, dashed in the accent over its soft fill
  const group = scene.layout.groups[0];
  const box = roundedRect(group.x, group.y, group.width, group.height, 10);
  expect(ctx.ops.find((o) => o.op === 'fill' && o.d === box)?.fillStyle).toBe('C:accentSoft');
  expect(ctx.ops.find((o) => o.op === 'stroke' && o.d === box)).toMatchObject({ strokeStyle: 'C:accent', dash: [4, 3] });
});

test('the view and the area are the transform: a layout point lands where the SVG puts it, less the area origin, in device pixels', () => {
  const scene = gridScene(4);
  const ctx = fakeContext();
  const view = { x: 30.5, y: -12, k: 0.5 };
  const area = { x: -40, y: -50, width: 500, height: 300 };
  drawSnapshot(ctx, scene, view, area, fakePaint, 2);
  expect(ctx.ops[0]).toMatchObject({ op: 'setTransform', args: [1, 0, 0, 1, 2 * (30.5 + 40), 2 * (-12 + 50)] });
});

test('what lies outside the area is skipped; what overlaps it is drawn', () => {
  const scene = gridScene(400); // 20 rows of 20, 4,000 × 2,000 units
  const view = { x: -1000, y: -500, k: 1 };
  const area = { x: 0, y: 0, width: 800, height: 600 };
  const { nodes, edges } = drawSnapshot(fakeContext(), scene, view, area, fakePaint);
  const inArea = toLayout(area, view);
  const expected = scene.layout.nodes.filter((n) => intersects(nodeBounds(n), inArea)).map((n) => n.node.id);
  expect(nodes).toEqual(expected);
  // 800 × 600 at (1000, 500): columns 5 to 9 (the one at 800 ends at 971 with its stroke), rows 5
  // to 11 (the one at 1,100 starts at 1,097 with its stroke: bounds are generous, never short)
  expect(nodes.length).toBe(5 * 7);
  expect(nodes).toContain('Server/server-0105');
  expect(nodes).not.toContain('Server/server-0000');
  expect(nodes).not.toContain('Server/server-0399');
  expect(edges.length).toBeGreaterThan(0);
  expect(edges.length).toBeLessThan(scene.layout.edges.length / 4);
});

test('names, roles, edge labels and icons only where the view is readable; ⚠ and badges at any zoom', async () => {
  const scene = await smallScene();
  const near = drawWhole(scene, { x: 0, y: 0, k: 1 }).ctx.ops;
  expect(texts(near)).toEqual(expect.arrayContaining(['spine-01', 'server-leaf', 'missing', 'mclag-1 (mclag)', 'fabric ×2', '⚠ ', 'unbundled', '⚠']));
  expect(near.filter((o) => o.op === 'translate')).toHaveLength(scene.layout.nodes.length); // an icon each
  const far = drawWhole(scene, { x: 0, y: 0, k: 0.2 }).ctx.ops;
  expect(texts(far)).toEqual(['⚠']);
  expect(far.filter((o) => o.op === 'translate')).toHaveLength(0);
  // the stale agent's badge: a filled circle on leaf-02's corner, near and far
  for (const ops of [near, far]) expect(nodeOps(ops, boxOf(scene, 'Switch/leaf-02')).some((o) => o.op === 'fill' && o.fillStyle === 'C:danger')).toBe(true);
});

test("states in the theme's colours, as the SVG's CSS: spine, draft, deleted, missing, a problem's ⚠", async () => {
  const scene = await smallScene();
  const { ctx } = drawWhole(scene, { x: 0, y: 0, k: 1 });
  const box = (id: string, op: 'fill' | 'stroke') => nodeOps(ctx.ops, boxOf(scene, id)).find((o) => o.op === op && o.d === boxOf(scene, id));
  expect(box('Switch/spine-01', 'fill')?.fillStyle).toBe('C:infoBg');
  expect(box('Server/server-01', 'fill')?.fillStyle).toBe('C:bg');
  expect(box('Server/server-02', 'stroke')).toMatchObject({ strokeStyle: 'C:info', lineWidth: 2 });
  expect(box('Server/server-gone', 'stroke')).toMatchObject({ globalAlpha: 0.7, dash: [5, 3] });
  // the deleted name is struck through, at full opacity
  const gone = scene.layout.nodes.find((n) => n.node.name === 'server-gone')!;
  const strike = ctx.ops.find((o) => o.op === 'stroke' && o.d?.startsWith(`M${gone.x + 38},`));
  expect(strike).toMatchObject({ strokeStyle: 'C:fg', globalAlpha: 1 });
  expect(box('Server/server-ghost', 'fill')).toBeUndefined();
  expect(box('Server/server-ghost', 'stroke')).toMatchObject({ strokeStyle: 'C:danger', dash: [5, 3] });
  const mark = nodeOps(ctx.ops, boxOf(scene, 'Switch/leaf-03')).find((o) => o.op === 'fillText' && o.args[0] === '⚠');
  expect(mark).toMatchObject({ fillStyle: 'C:warn', font: '700 14px system-ui, sans-serif' });
  // the edge with a problem: warn line, ⚠ before its label
  const problem = scene.layout.edges.find((e) => e.edge.id === 'unbundled:Switch/leaf-03--Server/server-02')!;
  expect(ctx.ops.find((o) => o.op === 'stroke' && o.d === `M${pointsOf(problem.points)}`)?.strokeStyle).toBe('C:warn');
});

test('a highlight: lit nodes and edges in the accent, the rest dimmed to 0.2', async () => {
  const scene = await smallScene();
  const mclag = scene.layout.edges.find((e) => e.edge.connection_type === 'mclag')!;
  const lit = { ...scene, lit: new Set(['Server/server-01']), litEdges: new Set([mclag.edge.id]) };
  const { ctx } = drawWhole(lit, { x: 0, y: 0, k: 1 });
  const stroke = (d: string) => ctx.ops.find((o) => o.op === 'stroke' && o.d === d);
  expect(stroke(boxOf(scene, 'Server/server-01'))).toMatchObject({ strokeStyle: 'C:accent', lineWidth: 3, globalAlpha: 1 });
  expect(stroke(boxOf(scene, 'Switch/leaf-01'))).toMatchObject({ strokeStyle: 'C:border', globalAlpha: 0.2 });
  expect(stroke(`M${pointsOf(mclag.points)}`)).toMatchObject({ strokeStyle: 'C:accent', lineWidth: 2.5, globalAlpha: 1 });
  const fabric = scene.layout.edges.find((e) => e.edge.connection_type === 'fabric')!;
  expect(stroke(`M${pointsOf(fabric.points)}`)?.globalAlpha).toBe(0.2);
  // a dimmed node's name is dimmed with it
  expect(ctx.ops.find((o) => o.op === 'fillText' && o.args[0] === 'leaf-01')?.globalAlpha).toBe(0.2);
});

test("Lucide's icon elements as path data; SVG's rounded rect clamps its radius", () => {
  expect(iconPathData('line', { x1: '6', x2: '6.01', y1: '6', y2: '6' })).toBe('M6,6 L6.01,6');
  expect(iconPathData('circle', { cx: '12', cy: '9', r: '2' })).toBe('M10,9 A2,2 0 1 0 14,9 A2,2 0 1 0 10,9 Z');
  expect(iconPathData('path', { d: 'M2 12h20' })).toBe('M2 12h20');
  expect(iconPathData('rect', { width: '20', height: '8', x: '2', y: '2', rx: '2', ry: '2' })).toBe(roundedRect(2, 2, 20, 8, 2));
  expect(roundedRect(0, 0, 10, 4, 8)).toBe('M2,0 H8 A2,2 0 0 1 10,2 V2 A2,2 0 0 1 8,4 H2 A2,2 0 0 1 0,2 V2 A2,2 0 0 1 2,0 Z');
  expect(roundedRect(1, 2, 3, 4, 0)).toBe('M1,2 H4 V6 H1 Z');
});
