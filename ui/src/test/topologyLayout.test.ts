// The topology's layout with the real elkjs: tiers top to bottom, a redundancy pair side by side
// inside its group box, the same input giving the same picture, and one more server leaving the
// order of everything else alone (the backend's order is forced inside each layer).
import { expect, test } from 'vitest';
import type { Topology } from '../lib/types';
import { GROUP_PAD, layout, type Layout } from '../views/topology/layout';
import { edge, node, smallTopology } from './topologyFixtures';

const at = (l: Layout, id: string) => {
  const n = l.nodes.find((p) => p.node.id === id);
  if (!n) throw new Error(`${id} not placed`);
  return n;
};

test('tiers run top to bottom: every spine above every leaf above every server above the externals', async () => {
  const l = await layout(smallTopology());
  const bottom = (tier: number) => Math.max(...l.nodes.filter((n) => n.node.tier === tier).map((n) => n.y + n.height));
  const top = (tier: number) => Math.min(...l.nodes.filter((n) => n.node.tier === tier).map((n) => n.y));
  expect(bottom(0)).toBeLessThan(top(1));
  expect(bottom(1)).toBeLessThan(top(2));
  expect(bottom(2)).toBeLessThan(top(3));
  expect(l.width).toBeGreaterThan(0);
  expect(l.height).toBeGreaterThan(0);
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
  // leaf-03 is in no group: outside the box
  const c = at(l, 'Switch/leaf-03');
  expect(c.x >= g.x + g.width || c.x + c.width <= g.x).toBe(true);
});

test('edges: routed across tiers from box to box, the peer link straight inside the group, the loopback a loop', async () => {
  const t = smallTopology();
  const l = await layout(t);
  const shape = (id: string) => l.edges.find((e) => e.edge.id === id)?.shape;
  expect(shape('fabric:Switch/spine-01--Switch/leaf-01')).toBe('routed');
  expect(shape('mclagDomain:Switch/leaf-01--Switch/leaf-02')).toBe('arc');
  expect(shape('vpcLoopback:Switch/leaf-03--Switch/leaf-03')).toBe('loop');
  expect(l.edges.map((e) => e.index)).toEqual(t.edges.map((_, i) => i));
  // an edge into a group member ends on the member, not on the group's border
  const toLeaf = l.edges.find((e) => e.edge.id === 'fabric:Switch/spine-01--Switch/leaf-01')!;
  const leaf = at(l, 'Switch/leaf-01');
  const end = toLeaf.points[toLeaf.points.length - 1];
  expect(end.y).toBe(leaf.y);
  expect(end.x).toBeGreaterThan(leaf.x);
  expect(end.x).toBeLessThan(leaf.x + leaf.width);
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
      .sort((a, b) => a.x - b.x)
      .map((n) => n.node.id);
  for (const tier of [0, 1, 2, 3]) expect(order(after, tier)).toEqual(order(before, tier));
  // and inside a tier the order is the backend's
  expect(order(after, 2)).toEqual(['Server/server-01', 'Server/server-02']);
  const newcomer = at(after, 'Server/server-01b');
  expect(newcomer.x).toBeGreaterThan(at(after, 'Server/server-01').x);
  expect(newcomer.x).toBeLessThan(at(after, 'Server/server-02').x);
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
