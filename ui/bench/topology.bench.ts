// `npm run bench`: how long ELK takes to lay out a large fabric (1,000 switches and servers, about
// 2,000 edges) with the options the Topology tab uses, and how big the picture is. Also the same
// fabric without its servers (the spine and leaf rows alone: the width racks are measured
// against), and with every server linked to two leaves half the fabric apart instead of to its
// leaf pair (each rack's cables then come from far away too). Prints the figures; asserts only
// that every node and edge was placed.
import { expect, test } from 'vitest';
import type { Edge, Topology } from '../src/lib/types';
import { layout } from '../src/views/topology/layout';
import { edge, largeTopology } from '../src/test/topologyFixtures';

const RUNS = 3;

async function measure(label: string, t: Topology): Promise<void> {
  const ms: number[] = [];
  let placed = { nodes: 0, edges: 0 };
  let size = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const l = await layout(t);
    ms.push(performance.now() - t0);
    placed = { nodes: l.nodes.length, edges: l.edges.length };
    size = `${Math.round(l.width)} × ${Math.round(l.height)} px`;
  }
  console.log(
    `${label}: ${t.nodes.length} nodes, ${t.edges.length} edges: ${ms.map((m) => m.toFixed(0)).join(' / ')} ms (first run includes JIT warm-up), picture ${size}`,
  );
  expect(placed).toEqual({ nodes: t.nodes.length, edges: t.edges.length });
}

/**
 * largeTopology's nodes, but server v linked (unbundled) to the first leaf of its pair and to a
 * leaf `pairs` leaves further on (half the fabric away), alternating between that pair's two
 * members; edges sorted as the backend sorts them (source, then target in node order, then type),
 * so a server's home is whichever of its two leaves comes first.
 */
function farDualHomed(spines = 20, pairs = 40, servers = 900): Topology {
  const t = largeTopology(spines, pairs, servers);
  const pad = (i: number) => String(i).padStart(4, '0');
  const leaves = 2 * pairs;
  const edges: Edge[] = t.edges.filter((e) => e.connection_type === 'fabric');
  for (let v = 1; v <= servers; v++) {
    const a = 2 * (((v - 1) % pairs) + 1) - 1;
    const b = ((a - 1 + pairs + (v % 2)) % leaves) + 1;
    for (const l of [a, b]) edges.push(edge('unbundled', `Switch/leaf-${pad(l)}`, `Server/server-${pad(v)}`, [`server-${pad(v)}--unbundled--leaf-${pad(l)}`]));
  }
  const order = new Map(t.nodes.map((n, i) => [n.id, i]));
  edges.sort(
    (x, y) =>
      order.get(x.source)! - order.get(y.source)! || order.get(x.target)! - order.get(y.target)! || x.connection_type.localeCompare(y.connection_type),
  );
  return { ...t, edges };
}

test('layout of 1,000 switches and servers', async () => {
  await measure('topology layout', largeTopology());
}, 300_000);

test('layout of the same fabric without its servers (spine and leaf rows alone)', async () => {
  await measure('spines and leaves only', largeTopology(20, 40, 0));
}, 300_000);

test('layout of 1,000 switches and servers, each server on two leaves far apart', async () => {
  await measure('servers on two far leaves', farDualHomed());
}, 300_000);
