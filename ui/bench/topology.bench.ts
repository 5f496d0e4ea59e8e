// `npm run bench`: how long ELK takes to lay out a large fabric (1,000 switches and servers, about
// 2,000 edges) with the options the Topology tab uses. Prints the figures; asserts only that every
// node and edge was placed.
import { expect, test } from 'vitest';
import { layout } from '../src/views/topology/layout';
import { largeTopology } from '../src/test/topologyFixtures';

test('layout of 1,000 switches and servers', async () => {
  const t = largeTopology();
  const ms: number[] = [];
  let placed = { nodes: 0, edges: 0 };
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const l = await layout(t);
    ms.push(performance.now() - t0);
    placed = { nodes: l.nodes.length, edges: l.edges.length };
  }
  console.log(`topology layout: ${t.nodes.length} nodes, ${t.edges.length} edges: ${ms.map((m) => m.toFixed(0)).join(' / ')} ms (first run includes JIT warm-up)`);
  expect(placed).toEqual({ nodes: t.nodes.length, edges: t.edges.length });
}, 300_000);
