// Made-up topologies for the topology view's tests and its benchmark: a small fabric with every
// shape the picture draws, and a generated large one (spines, MCLAG leaf pairs, dual-homed servers).
import type { Edge, Node, NodeKind, NodeState, Topology } from '../lib/types';

const TIER: Record<NodeKind, number> = { spine: 0, leaf: 1, 'other-switch': 1, server: 2, external: 3, gateway: 3 };

export function node(kind: NodeKind, name: string, extra: Partial<Node> = {}): Node {
  const resource = kind === 'server' ? 'Server' : kind === 'external' ? 'External' : kind === 'gateway' ? 'Gateway' : 'Switch';
  const state: NodeState = { state: 'synced' };
  return {
    id: `${resource}/${name}`,
    kind,
    name,
    tier: TIER[kind],
    role: kind === 'spine' ? 'spine' : kind === 'leaf' ? 'server-leaf' : null,
    group: null,
    state,
    missing: false,
    ...extra,
  };
}

export function edge(type: string, source: string, target: string, connections: string[], ports: [string, string][] = []): Edge {
  return { id: `${type}:${source}--${target}`, source, target, connection_type: type, connections, ports, count: Math.max(1, ports.length) };
}

/**
 * spine-01; leaf-01 and leaf-02 in MCLAG group `mclag-1`, leaf-03 alone; server-01 (MCLAG on the
 * pair), server-02 (unbundled on leaf-03); an External on leaf-03; a VPC loopback on leaf-03.
 */
export function smallTopology(): Topology {
  const pair = { group: 'mclag-1' };
  return {
    nodes: [
      node('spine', 'spine-01'),
      node('leaf', 'leaf-01', pair),
      node('leaf', 'leaf-02', pair),
      node('leaf', 'leaf-03'),
      node('server', 'server-01'),
      node('server', 'server-02', { state: { state: 'draft' } }),
      node('external', 'isp'),
    ],
    edges: [
      edge('fabric', 'Switch/spine-01', 'Switch/leaf-01', ['spine-01--fabric--leaf-01'], [['spine-01/E1/1', 'leaf-01/E1/49'], ['spine-01/E1/2', 'leaf-01/E1/50']]),
      edge('fabric', 'Switch/spine-01', 'Switch/leaf-02', ['spine-01--fabric--leaf-02'], [['spine-01/E1/3', 'leaf-02/E1/49']]),
      edge('fabric', 'Switch/spine-01', 'Switch/leaf-03', ['spine-01--fabric--leaf-03'], [['spine-01/E1/4', 'leaf-03/E1/49']]),
      edge('mclagDomain', 'Switch/leaf-01', 'Switch/leaf-02', ['leaf-01--mclag-domain--leaf-02'], [['leaf-01/E1/47', 'leaf-02/E1/47']]),
      edge('mclag', 'Switch/leaf-01', 'Server/server-01', ['server-01--mclag--leaf-01--leaf-02'], [['leaf-01/E1/1', 'server-01/enp2s1']]),
      edge('mclag', 'Switch/leaf-02', 'Server/server-01', ['server-01--mclag--leaf-01--leaf-02'], [['leaf-02/E1/1', 'server-01/enp2s2']]),
      edge('unbundled', 'Switch/leaf-03', 'Server/server-02', ['server-02--unbundled--leaf-03'], [['leaf-03/E1/3', 'server-02/enp2s1']]),
      edge('vpcLoopback', 'Switch/leaf-03', 'Switch/leaf-03', ['leaf-03--vpc-loopback'], [['leaf-03/E1/30', 'leaf-03/E1/31']]),
      edge('external', 'Switch/leaf-03', 'External/isp', ['leaf-03--external--isp'], [['leaf-03/E1/32', '']]),
    ],
    groups: [{ name: 'mclag-1', kind: 'mclag', members: ['Switch/leaf-01', 'Switch/leaf-02'] }],
    problems: [],
  };
}

const pad = (i: number, n = 4) => String(i).padStart(n, '0');

/**
 * About `servers` servers on leaf pairs of 2 (each pair an ESLAG group, `serversPerPair` servers
 * each, dual-homed), `spines` spines linked to every leaf: with 20 spines, 40 pairs (80 leaves) and
 * 900 servers, 1,000 switches and servers and 80×20 + 900×2 = 3,400 links (about 2,000 in edges
 * once parallel links bundle, as here: one fabric edge per spine–leaf is 1,600 edges).
 */
export function largeTopology(spines = 20, pairs = 40, servers = 900): Topology {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const groups: Topology['groups'] = [];
  for (let s = 1; s <= spines; s++) nodes.push(node('spine', `spine-${pad(s)}`));
  for (let p = 1; p <= pairs; p++) {
    const members = [`leaf-${pad(2 * p - 1)}`, `leaf-${pad(2 * p)}`];
    groups.push({ name: `eslag-${pad(p)}`, kind: 'eslag', members: members.map((m) => `Switch/${m}`) });
    for (const m of members) nodes.push(node('leaf', m, { group: `eslag-${pad(p)}` }));
  }
  for (let v = 1; v <= servers; v++) nodes.push(node('server', `server-${pad(v)}`));
  for (let s = 1; s <= spines; s++)
    for (let l = 1; l <= 2 * pairs; l++) {
      if ((s + l) % 2) continue; // half the spines per leaf: keeps edges near 2,000
      edges.push(edge('fabric', `Switch/spine-${pad(s)}`, `Switch/leaf-${pad(l)}`, [`spine-${pad(s)}--fabric--leaf-${pad(l)}`], [[`spine-${pad(s)}/E1/${l}`, `leaf-${pad(l)}/E1/${48 + s}`]]));
    }
  for (let v = 1; v <= servers; v++) {
    const p = ((v - 1) % pairs) + 1;
    for (const l of [2 * p - 1, 2 * p])
      edges.push(edge('eslag', `Switch/leaf-${pad(l)}`, `Server/server-${pad(v)}`, [`server-${pad(v)}--eslag`], [[`leaf-${pad(l)}/E1/${v % 48}`, `server-${pad(v)}/enp2s${l % 2}`]]));
  }
  return { nodes, edges, groups, problems: [] };
}
