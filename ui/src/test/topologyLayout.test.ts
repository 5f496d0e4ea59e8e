// The topology's layout with the real elkjs: tiers top to bottom, a redundancy pair side by side
// inside its group box, servers in racks under their home switch or group (a grid with a trunk
// and lanes for their cables), every node and edge placed once, edges from box border to box
// border, the same input giving the same picture, and one more server leaving everything else
// where it was (the backend's order is forced inside each layer).
import { beforeAll, expect, test } from 'vitest';
import type { Edge, Topology } from '../lib/types';
import { GROUP_PAD, layout, RACK_MAX_ROWS, type Box, type Layout, type PlacedEdge, type Point } from '../views/topology/layout';
import { edge, largeTopology, node, smallTopology } from './topologyFixtures';

const at = (l: Layout, id: string) => {
  const n = l.nodes.find((p) => p.node.id === id);
  if (!n) throw new Error(`${id} not placed`);
  return n;
};
const edgeOf = (l: Layout, id: string) => {
  const e = l.edges.find((p) => p.edge.id === id);
  if (!e) throw new Error(`${id} not placed`);
  return e;
};
const last = (points: Point[]) => points[points.length - 1];

/** Every node once, in topology order; every edge between two known nodes once, in topology order. */
function expectAllPlaced(t: Topology, l: Layout): void {
  expect(l.nodes.map((n) => n.node.id)).toEqual(t.nodes.map((n) => n.id));
  const known = new Set(t.nodes.map((n) => n.id));
  const placeable = t.edges.flatMap((e, i) => (known.has(e.source) && known.has(e.target) ? [i] : []));
  expect(l.edges.map((e) => e.index)).toEqual(placeable);
}

/** Within 1 px of the box's outline. */
function onBorder(p: Point, b: Box): boolean {
  const near = (v: number, w: number) => Math.abs(v - w) <= 1;
  const inside = p.x >= b.x - 1 && p.x <= b.x + b.width + 1 && p.y >= b.y - 1 && p.y <= b.y + b.height + 1;
  return inside && (near(p.x, b.x) || near(p.x, b.x + b.width) || near(p.y, b.y) || near(p.y, b.y + b.height));
}

/** A routed edge runs from one end's border to the other's, in horizontal and vertical segments. */
function expectBorderToBorder(l: Layout, e: PlacedEdge): void {
  const [a, b] = [at(l, e.edge.source), at(l, e.edge.target)];
  const [first, end] = [e.points[0], last(e.points)];
  expect((onBorder(first, a) && onBorder(end, b)) || (onBorder(first, b) && onBorder(end, a)), `${e.edge.id} ends on its nodes`).toBe(true);
  for (let i = 1; i < e.points.length; i++) {
    const [p, q] = [e.points[i - 1], e.points[i]];
    expect(Math.abs(p.x - q.x) < 1e-6 || Math.abs(p.y - q.y) < 1e-6, `${e.edge.id} segment ${i} orthogonal`).toBe(true);
  }
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const overlapX = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width;

/** The box around some boxes. */
function hull(boxes: Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
}

/**
 * Each server's home as the design defines it, worked out here independently: the upper end of
 * its first edge to an upper tier, or that end's group box; as the id of a node or `group:<name>`.
 */
function homes(t: Topology, l: Layout): Map<string, string[]> {
  const tier = new Map(t.nodes.map((n) => [n.id, n.tier]));
  const boxOf = new Map(l.groups.flatMap((g) => g.members.map((m) => [m, `group:${g.name}`] as const)));
  const home = new Map<string, string>();
  for (const e of t.edges)
    for (const [s, o] of [
      [e.source, e.target],
      [e.target, e.source],
    ])
      if (s.startsWith('Server/') && !home.has(s) && tier.has(o) && tier.get(o)! < tier.get(s)!) home.set(s, boxOf.get(o) ?? o);
  const racks = new Map<string, string[]>();
  for (const n of t.nodes) if (home.has(n.id)) racks.set(home.get(n.id)!, [...(racks.get(home.get(n.id)!) ?? []), n.id]);
  return racks;
}
const homeBox = (l: Layout, home: string): Box => (home.startsWith('group:') ? l.groups.find((g) => `group:${g.name}` === home)! : at(l, home));

const tierRanges = (l: Layout) => (tier: number) => {
  const boxes = l.nodes.filter((n) => n.node.tier === tier);
  return { top: Math.min(...boxes.map((n) => n.y)), bottom: Math.max(...boxes.map((n) => n.y + n.height)) };
};

test('tiers run top to bottom: every spine above every leaf above every server above the externals', async () => {
  const l = await layout(smallTopology());
  const r = tierRanges(l);
  expect(r(0).bottom).toBeLessThan(r(1).top);
  expect(r(1).bottom).toBeLessThan(r(2).top);
  expect(r(2).bottom).toBeLessThan(r(3).top);
  expect(l.width).toBeGreaterThan(0);
  expect(l.height).toBeGreaterThan(0);
});

test('a full rack stays in its tier: an external below it is not pulled into the servers’ layer', async () => {
  const name = (i: number) => `s${String(i).padStart(2, '0')}`;
  const t: Topology = {
    nodes: [node('leaf', 'leaf-01'), ...Array.from({ length: RACK_MAX_ROWS }, (_, i) => node('server', name(i))), node('external', 'isp')],
    edges: [
      ...Array.from({ length: RACK_MAX_ROWS }, (_, i) => edge('unbundled', 'Switch/leaf-01', `Server/${name(i)}`, [`c${i}`])),
      edge('external', 'Switch/leaf-01', 'External/isp', ['x']),
    ],
    groups: [],
    problems: [],
  };
  const l = await layout(t);
  const r = tierRanges(l);
  expect(r(1).bottom).toBeLessThan(r(2).top);
  expect(r(2).bottom).toBeLessThan(r(3).top);
  // one column of RACK_MAX_ROWS, in topology order
  const servers = l.nodes.filter((n) => n.node.kind === 'server');
  expect(new Set(servers.map((s) => s.x)).size).toBe(1);
  expect(servers.map((s) => s.y)).toEqual([...servers.map((s) => s.y)].sort((a, b) => a - b));
  expectAllPlaced(t, l);
});

test('a redundancy pair sits side by side inside its group box, labelled with the group', async () => {
  const l = await layout(smallTopology());
  const [a, b] = [at(l, 'Switch/leaf-01'), at(l, 'Switch/leaf-02')];
  expect(a.y).toBe(b.y);
  expect(b.x - (a.x + a.width)).toBe(GROUP_PAD);
  expect(l.groups).toHaveLength(1);
  const g = l.groups[0];
  expect(g.name).toBe('mclag-1');
  for (const m of [a, b]) {
    expect(m.x).toBeGreaterThan(g.x);
    expect(m.x + m.width).toBeLessThan(g.x + g.width);
    expect(m.y).toBeGreaterThan(g.y);
    expect(m.y + m.height).toBeLessThan(g.y + g.height);
  }
  // leaf-03 is in no group: outside the box, and after it (the backend's order)
  const c = at(l, 'Switch/leaf-03');
  expect(c.x).toBeGreaterThanOrEqual(g.x + g.width);
});

test('edges: routed across tiers from box to box, the peer link straight inside the group, the loopback a loop', async () => {
  const t = smallTopology();
  const l = await layout(t);
  const shape = (id: string) => edgeOf(l, id).shape;
  expect(shape('fabric:Switch/spine-01--Switch/leaf-01')).toBe('routed');
  expect(shape('mclagDomain:Switch/leaf-01--Switch/leaf-02')).toBe('arc');
  expect(shape('vpcLoopback:Switch/leaf-03--Switch/leaf-03')).toBe('loop');
  expect(shape('mclag:Switch/leaf-01--Server/server-01')).toBe('routed');
  expectAllPlaced(t, l);
  // an edge into a group member ends on the member, not on the group's border
  const toLeaf = edgeOf(l, 'fabric:Switch/spine-01--Switch/leaf-01');
  const leaf = at(l, 'Switch/leaf-01');
  const end = last(toLeaf.points);
  expect(end.y).toBe(leaf.y);
  expect(end.x).toBeGreaterThan(leaf.x);
  expect(end.x).toBeLessThan(leaf.x + leaf.width);
  for (const e of l.edges.filter((e) => e.shape === 'routed')) expectBorderToBorder(l, e);
});

test("a rack's cables: both links of a dual-homed server arrive at the rack's top over the trunk and share its path to the server's top", async () => {
  const l = await layout(smallTopology());
  const [one, two] = [edgeOf(l, 'mclag:Switch/leaf-01--Server/server-01'), edgeOf(l, 'mclag:Switch/leaf-02--Server/server-01')];
  const server = at(l, 'Server/server-01');
  // the last four points: the trunk's top, down the trunk, along the lane, down to the server
  expect(one.points.slice(-4)).toEqual(two.points.slice(-4));
  const [top, lane, over, end] = one.points.slice(-4);
  expect(top.x).toBe(lane.x);
  expect(top.x).toBeLessThan(server.x);
  expect(lane.y).toBe(over.y);
  expect(lane.y).toBeLessThan(server.y);
  expect(over.x).toBe(server.x + server.width / 2);
  expect(end).toEqual({ x: server.x + server.width / 2, y: server.y });
  // the rack is under its group, below the group's box
  const g = l.groups[0];
  expect(overlapX(server, g)).toBe(true);
  expect(top.y).toBeGreaterThan(g.y + g.height);
});

test('a server linked to a far leaf, to an external, to another server, or with no switch at all', async () => {
  const t = smallTopology();
  t.nodes.splice(6, 0, node('server', 'server-03'), node('server', 'server-04'));
  t.edges.push(
    edge('unbundled', 'Switch/leaf-03', 'Server/server-01', ['far']), // server-01's home stays mclag-1
    edge('external', 'Server/server-02', 'External/isp', ['out']), // a server above an external
    edge('mesh', 'Server/server-01', 'Server/server-02', ['same-tier']),
    edge('external', 'Server/server-03', 'External/isp', ['no-switch']), // server-03: no rack
  );
  const l = await layout(t);
  expectAllPlaced(t, l);
  for (const e of l.edges.filter((e) => e.shape === 'routed')) expectBorderToBorder(l, e);
  // the far leaf's cable joins the rack's trunk like the home's
  const home = edgeOf(l, 'mclag:Switch/leaf-01--Server/server-01');
  const far = l.edges.find((e) => e.edge.connections[0] === 'far')!;
  expect(far.points.slice(-4)).toEqual(home.points.slice(-4));
  // server to external: up to its lane, down the trunk, out of the rack's bottom to the external
  const out = l.edges.find((e) => e.edge.connections[0] === 'out')!;
  const [s2, isp] = [at(l, 'Server/server-02'), at(l, 'External/isp')];
  expect(out.points[0]).toEqual({ x: s2.x + s2.width / 2, y: s2.y });
  expect(last(out.points).y).toBe(isp.y);
  expect(l.edges.find((e) => e.edge.connections[0] === 'same-tier')!.shape).toBe('arc');
  // server-03 and server-04 (nothing but an external, or nothing) are ordinary nodes of the tier
  const r = tierRanges(l);
  for (const id of ['Server/server-03', 'Server/server-04']) {
    expect(at(l, id).y).toBeGreaterThan(r(1).bottom);
    expect(at(l, id).y + at(l, id).height).toBeLessThan(r(3).top);
  }
});

test('the same fabric gives the same picture', async () => {
  const one = await layout(smallTopology());
  const two = await layout(smallTopology());
  expect(two).toEqual(one);
});

test("one more server leaves every other node's order alone: left to right in each tier, tiers top to bottom", async () => {
  const before = await layout(smallTopology());
  const t: Topology = smallTopology();
  t.nodes.splice(5, 0, node('server', 'server-01b'));
  t.edges.splice(6, 0, edge('unbundled', 'Switch/leaf-03', 'Server/server-01b', ['server-01b--unbundled--leaf-03'], [['leaf-03/E1/4', 'server-01b/enp2s1']]));
  const after = await layout(t);
  const ids = before.nodes.map((n) => n.node.id);
  const order = (l: Layout, tier: number) =>
    l.nodes
      .filter((n) => n.node.tier === tier && ids.includes(n.node.id))
      .sort((a, b) => a.x - b.x || a.y - b.y)
      .map((n) => n.node.id);
  for (const tier of [0, 1, 2, 3]) expect(order(after, tier)).toEqual(order(before, tier));
  // and inside a tier the order is the backend's: racks in the order of their homes
  expect(order(after, 2)).toEqual(['Server/server-01', 'Server/server-02']);
  // the newcomer is in leaf-03's rack, before server-02 in topology order: the row above it
  const [newcomer, s2] = [at(after, 'Server/server-01b'), at(after, 'Server/server-02')];
  expect(newcomer.x).toBe(s2.x);
  expect(newcomer.y).toBeLessThan(s2.y);
  expect(newcomer.x).toBeGreaterThan(at(after, 'Server/server-01').x);
});

test('a lone node, a tier with nothing above it, and an edge to an unknown node are all drawn without failing', async () => {
  const t: Topology = {
    nodes: [node('leaf', 'leaf-09'), node('server', 'server-09', { missing: true, state: { state: 'invalid', errors: ['no such server'] } })],
    edges: [edge('unbundled', 'Switch/leaf-09', 'Server/server-09', ['c1']), edge('unbundled', 'Switch/leaf-09', 'Server/ghost', ['c2'])],
    groups: [{ name: 'solo', kind: 'mclag', members: ['Switch/leaf-09'] }],
    problems: [],
  };
  const l = await layout(t);
  expect(l.nodes).toHaveLength(2);
  expect(l.groups).toHaveLength(0);
  expect(l.edges.map((e) => e.edge.connections[0])).toEqual(['c1']);
  expect(at(l, 'Switch/leaf-09').y).toBeLessThan(at(l, 'Server/server-09').y);
});

// The large fabric: 20 spines, 40 ESLAG leaf pairs, 900 dual-homed servers, 2,600 edges.
const LARGE_TIMEOUT = 120_000;
let large: { t: Topology; l: Layout };
beforeAll(async () => {
  const t = largeTopology();
  large = { t, l: await layout(t) };
}, LARGE_TIMEOUT);

test('large fabric: every node placed once and every edge placed, tiers top to bottom, from border to border', () => {
  const { t, l } = large;
  expectAllPlaced(t, l);
  const r = tierRanges(l);
  expect(r(0).bottom).toBeLessThan(r(1).top);
  expect(r(1).bottom).toBeLessThan(r(2).top);
  for (const e of l.edges) {
    expect(e.shape).toBe('routed');
    expectBorderToBorder(l, e);
  }
});

test("large fabric: each rack's servers are under their home, and no two boxes overlap", () => {
  const { t, l } = large;
  const racks = homes(t, l);
  expect(racks.size).toBe(40);
  const hulls: Box[] = [];
  for (const [home, ids] of racks) {
    const h = homeBox(l, home);
    const servers = ids.map((id) => at(l, id));
    for (const s of servers) {
      expect(overlapX(s, h), `${s.node.id} under ${home}`).toBe(true);
      expect(s.y).toBeGreaterThan(h.y + h.height);
    }
    // a grid of at most RACK_MAX_ROWS rows, two columns (one per member of the pair)
    expect(new Set(servers.map((s) => s.x)).size).toBe(2);
    expect(new Set(servers.map((s) => s.y)).size).toBeLessThanOrEqual(RACK_MAX_ROWS);
    hulls.push(hull(servers));
  }
  for (let i = 0; i < hulls.length; i++) for (let j = i + 1; j < hulls.length; j++) expect(overlap(hulls[i], hulls[j])).toBe(false);
  // all pairs of nodes, and every node against every group box it is not in
  const boxes = l.nodes;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) if (overlap(boxes[i], boxes[j])) expect.fail(`${boxes[i].node.id} overlaps ${boxes[j].node.id}`);
  for (const g of l.groups) for (const n of boxes) if (!g.members.includes(n.node.id) && overlap(n, g)) expect.fail(`${n.node.id} overlaps group ${g.name}`);
});

test('large fabric: the same topology gives a deep-equal layout', async () => {
  expect(await layout(largeTopology())).toEqual(large.l);
}, LARGE_TIMEOUT);

test("large fabric: one more server in a rack moves no other rack's server, switch or group", async () => {
  const t = largeTopology();
  // pair 21's rack has 22 servers in 11 rows: the 23rd starts a 12th row, the rack grows taller
  const newcomer = node('server', 'server-0901');
  t.nodes.push(newcomer);
  const links: Edge[] = ['leaf-0041', 'leaf-0042'].map((leaf) => edge('eslag', `Switch/${leaf}`, newcomer.id, ['server-0901--eslag']));
  const after = t.edges.map((e) => e.source).lastIndexOf('Switch/leaf-0042');
  t.edges.splice(after + 1, 0, ...links);
  const l = await layout(t);
  expectAllPlaced(t, l);
  const was = new Map(large.l.nodes.map((n) => [n.node.id, { x: n.x, y: n.y }]));
  const moved = l.nodes.filter((n) => was.has(n.node.id) && (was.get(n.node.id)!.x !== n.x || was.get(n.node.id)!.y !== n.y));
  expect(moved.map((n) => n.node.id)).toEqual([]);
  expect(l.groups).toEqual(large.l.groups);
  const grid = homes(t, l).get('group:eslag-0021')!.map((id) => at(l, id));
  expect(new Set(grid.map((s) => s.y)).size).toBe(12);
  expect(hull(grid).y + hull(grid).height).toBe(at(l, newcomer.id).y + at(l, newcomer.id).height);
}, LARGE_TIMEOUT);

test('large fabric: as wide as its spine and leaf rows alone, not one 180,000 px row of servers', async () => {
  const rows = await layout(largeTopology(20, 40, 0));
  // measured: 15,791 px against 15,624 px for the spine and leaf rows (1.01×; the racks are as
  // wide as their leaf pairs), and 1,236 px tall (a rack of 23 servers is 12 rows, 776 px). Before
  // racks: 180,550 × 9,444 px.
  expect(large.l.width).toBeLessThanOrEqual(1.05 * rows.width);
  expect(large.l.height).toBeLessThan(rows.height + 1000);
}, LARGE_TIMEOUT);
