// The topology's layout, pure: Topology in, positioned nodes, group boxes and routed edges out.
// ELK's layered algorithm (elkjs, the bundled build: no worker file for Vite to ship) places the
// tiers top to bottom (spines, leaves, servers, externals and gateways), one layer per tier, and keeps the backend's order inside each tier (forceNodeModelOrder), so the same fabric
// gives the same picture and one more server does not reshuffle the rest. A redundancy group is one
// ELK node as wide as its members side by side, with a fixed port over each member for its edges,
// so a pair is never pulled apart. Edges inside one tier (MCLAG peer links, mesh) would add layers
// inside the tier: they are left out of ELK and drawn as short arcs; a VPC loopback (a self-edge)
// is a badge on its switch. No DOM here: Vitest runs it with the real elkjs.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions } from 'elkjs/lib/elk-api';
import type { Edge, Node, Topology } from '../../lib/types';

export const NODE_W = 168;
export const NODE_H = 48;
/** Between a group's border and its members, and between the members. */
export const GROUP_PAD = 10;
/** Room for the group's label above its members. */
export const GROUP_LABEL_H = 20;

/** Where a tier is handed to ELK: its INTERACTIVE layering makes one layer per distinct y. */
const TIER_Y = 1000;

/**
 * The options, kept in one place (the report and the tests name them):
 * - INTERACTIVE layering on y = tier × TIER_Y: every spine above every leaf above every server
 *   above the externals, in O(n log n). Partitioning (`elk.partitioning.activate`) says the same
 *   but adds an edge from every node of a tier to every node of the next: 70,000 edges at 1,000
 *   nodes, and half a minute of layout;
 * - `considerModelOrder` + `forceNodeModelOrder`, and INTERACTIVE crossing minimization on x =
 *   model position: the order inside a layer is the backend's (tier, then natural order of id),
 *   never a crossing heuristic's: stable, and cheap (half the time of LAYER_SWEEP at 1,000 nodes);
 * - a fixed `randomSeed`, `thoroughness` 1 (the order is forced: more sweeps buy nothing);
 * - ORTHOGONAL routing with `mergeEdges`: parallel runs share a channel, which keeps the space
 *   between layers small (POLYLINE spreads the layers apart by their width: a 900-server row made
 *   the picture 25,000 px tall).
 */
export const ELK_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.randomSeed': '1',
  'elk.layered.layering.strategy': 'INTERACTIVE',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
  'elk.layered.crossingMinimization.strategy': 'INTERACTIVE',
  'elk.layered.thoroughness': '1',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.mergeEdges': 'true',
  'elk.separateConnectedComponents': 'false',
  'elk.spacing.nodeNode': '24',
  'elk.layered.spacing.nodeNodeBetweenLayers': '64',
  'elk.padding': '[top=24,left=24,bottom=24,right=24]',
};

export interface Point {
  x: number;
  y: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

export interface PlacedNode extends Box {
  node: Node;
  /** Position in `topology.nodes`. */
  index: number;
}

export interface PlacedGroup extends Box {
  name: string;
  kind: string;
  members: string[];
}

export type EdgeShape = 'routed' | 'arc' | 'loop';

export interface PlacedEdge {
  edge: Edge;
  /** Position in `topology.edges` (the `topo-edge-<index>` test id). */
  index: number;
  shape: EdgeShape;
  /** The polyline (routed), or start, control and end of the arc; for a loop, the node's top right corner. */
  points: Point[];
  /** Where its label goes. */
  label: Point;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  groups: PlacedGroup[];
  width: number;
  height: number;
}

const elk = new ELK();

/** ELK's id of a group node; never a resource id (those are `Kind/name`). */
const groupId = (name: string) => `group:${name}`;

/** Lays out a topology; the same input gives the same positions. */
export async function layout(topology: Topology, options: LayoutOptions = {}): Promise<Layout> {
  const byId = new Map(topology.nodes.map((n, i) => [n.id, { node: n, index: i }]));
  const tierOf = (id: string) => byId.get(id)?.node.tier ?? 0;

  // which group box holds a node, and its slot in the box (a group of fewer than two known
  // members is no box: nothing to keep together)
  const slot = new Map<string, { group: string; i: number }>();
  const groups = topology.groups
    .map((g) => ({ ...g, members: g.members.filter((m) => byId.has(m)) }))
    .filter((g) => g.members.length > 1 && new Set(g.members.map(tierOf)).size === 1);
  for (const g of groups) g.members.forEach((m, i) => slot.has(m) || slot.set(m, { group: g.name, i }));
  const boxes = groups.filter((g) => g.members.every((m) => slot.get(m)?.group === g.name));
  const boxed = new Set(boxes.map((g) => g.name));
  for (const [m, s] of [...slot]) if (!boxed.has(s.group)) slot.delete(m);

  // ELK's children in model order: a group takes the place of its first member
  const children: ElkNode[] = [];
  const ports = new Map<string, ElkPort[]>();
  for (const n of topology.nodes) {
    const s = slot.get(n.id);
    if (!s) {
      children.push({ id: n.id, x: children.length, y: n.tier * TIER_Y, width: NODE_W, height: NODE_H });
    } else if (s.i === 0) {
      const g = boxes.find((b) => b.name === s.group)!;
      const list: ElkPort[] = [];
      ports.set(g.name, list);
      children.push({
        id: groupId(g.name),
        x: children.length,
        y: n.tier * TIER_Y,
        width: g.members.length * NODE_W + (g.members.length + 1) * GROUP_PAD,
        height: NODE_H + GROUP_LABEL_H + 2 * GROUP_PAD,
        ports: list,
        layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      });
    }
  }

  // edges across tiers go to ELK, to a member's port when the end is in a box: ports are spread
  // over the member's width, on the side facing the other end, in edge order
  const elkEdges: ElkExtendedEdge[] = [];
  const owned: { port: ElkPort; member: string; up: boolean }[] = [];
  const endOf = (nodeId: string, edgeIndex: number, end: 'from' | 'to', up: boolean): string => {
    const s = slot.get(nodeId);
    if (!s) return nodeId;
    const port: ElkPort = { id: `port:${edgeIndex}:${end}`, width: 1, height: 1, layoutOptions: { 'elk.port.side': up ? 'NORTH' : 'SOUTH' } };
    ports.get(s.group)!.push(port);
    owned.push({ port, member: nodeId, up });
    return port.id;
  };
  const sameTier: number[] = [];
  topology.edges.forEach((e, i) => {
    if (e.source === e.target || !byId.has(e.source) || !byId.has(e.target)) return;
    if (tierOf(e.source) === tierOf(e.target)) {
      sameTier.push(i);
      return;
    }
    const [upper, lower] = tierOf(e.source) < tierOf(e.target) ? [e.source, e.target] : [e.target, e.source];
    elkEdges.push({ id: `e${i}`, sources: [endOf(upper, i, 'from', false)], targets: [endOf(lower, i, 'to', true)] });
  });
  placePorts(owned, slot);

  const root = await elk.layout({ id: 'root', layoutOptions: { ...ELK_OPTIONS, ...options }, children, edges: elkEdges });
  return collect(topology, root, boxes, slot, sameTier);
}

function placePorts(owned: { port: ElkPort; member: string; up: boolean }[], slot: Map<string, { group: string; i: number }>): void {
  const height = NODE_H + GROUP_LABEL_H + 2 * GROUP_PAD;
  const total = new Map<string, number>();
  for (const o of owned) total.set(`${o.member}:${o.up}`, (total.get(`${o.member}:${o.up}`) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const o of owned) {
    const key = `${o.member}:${o.up}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const left = GROUP_PAD + (slot.get(o.member)?.i ?? 0) * (NODE_W + GROUP_PAD);
    o.port.x = left + ((k + 1) * NODE_W) / (total.get(key)! + 1);
    o.port.y = o.up ? -1 : height;
  }
}

/** ELK's answer as the view draws it: members placed in their box, ports extended to the member. */
function collect(
  topology: Topology,
  root: ElkNode,
  boxes: { name: string; kind: string; members: string[] }[],
  slot: Map<string, { group: string; i: number }>,
  sameTier: number[],
): Layout {
  const at = new Map<string, Box>();
  for (const c of root.children ?? []) at.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
  const groups: PlacedGroup[] = boxes.map((g) => ({ ...at.get(groupId(g.name))!, name: g.name, kind: g.kind, members: g.members }));
  const nodes: PlacedNode[] = topology.nodes.map((node, index) => {
    const s = slot.get(node.id);
    if (!s) return { node, index, ...at.get(node.id)! };
    const g = at.get(groupId(s.group))!;
    return { node, index, x: g.x + GROUP_PAD + s.i * (NODE_W + GROUP_PAD), y: g.y + GROUP_LABEL_H + GROUP_PAD, width: NODE_W, height: NODE_H };
  });
  const placed = new Map(nodes.map((n) => [n.node.id, n]));

  const edges: PlacedEdge[] = [];
  const routed = new Map((root.edges ?? []).map((e) => [e.id, e as ElkExtendedEdge]));
  const sameTierSet = new Set(sameTier);
  topology.edges.forEach((edge, index) => {
    const a = placed.get(edge.source);
    const b = placed.get(edge.target);
    if (!a || !b) return;
    if (edge.source === edge.target) {
      const corner = { x: a.x + a.width, y: a.y };
      edges.push({ edge, index, shape: 'loop', points: [corner], label: { x: corner.x + 10, y: corner.y - 12 } });
    } else if (sameTierSet.has(index)) {
      edges.push(arc(edge, index, a, b, slot));
    } else {
      const e = routed.get(`e${index}`);
      const section = e?.sections?.[0];
      if (!section) return;
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y }));
      const [upper, lower] = a.y <= b.y ? [a, b] : [b, a];
      if (slot.has(upper.node.id)) points.unshift({ x: points[0].x, y: upper.y + upper.height });
      if (slot.has(lower.node.id)) points.push({ x: points[points.length - 1].x, y: lower.y });
      edges.push({ edge, index, shape: 'routed', points, label: middle(points) });
    }
  });
  return { nodes, edges, groups, width: root.width ?? 0, height: root.height ?? 0 };
}

/**
 * An edge inside one tier: a straight line between two neighbours of a group (several types
 * between one pair are stacked), else an arc above the tier.
 */
function arc(edge: Edge, index: number, a: PlacedNode, b: PlacedNode, slot: Map<string, { group: string; i: number }>): PlacedEdge {
  const [l, r] = a.x <= b.x ? [a, b] : [b, a];
  const sa = slot.get(a.node.id);
  const sb = slot.get(b.node.id);
  if (sa && sb && sa.group === sb.group && Math.abs(sa.i - sb.i) === 1) {
    const y = l.y + l.height / 2 + (edge.connection_type === 'mclagDomain' ? 8 : -8);
    const start = { x: l.x + l.width, y };
    const end = { x: r.x, y };
    return { edge, index, shape: 'arc', points: [start, middle([start, end]), end], label: { x: (start.x + end.x) / 2, y: y - 4 } };
  }
  const start = { x: l.x + l.width / 2, y: l.y };
  const end = { x: r.x + r.width / 2, y: r.y };
  const lift = Math.min(120, 24 + (end.x - start.x) / 8);
  const control = { x: (start.x + end.x) / 2, y: Math.min(start.y, end.y) - lift };
  return { edge, index, shape: 'arc', points: [start, control, end], label: { x: control.x, y: control.y + lift / 2 - 4 } };
}

/** The middle of a polyline, by length. */
export function middle(points: Point[]): Point {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
  let left = total / 2;
  for (let i = 1; i < points.length; i++) {
    const d = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    if (d >= left && d > 0) {
      const t = left / d;
      return { x: points[i - 1].x + t * (points[i].x - points[i - 1].x), y: points[i - 1].y + t * (points[i].y - points[i - 1].y) };
    }
    left -= d;
  }
  return points[0] ?? { x: 0, y: 0 };
}
