// The topology's layout, pure: Topology in, positioned nodes, group boxes and routed edges out.
// ELK's layered algorithm (elkjs, the bundled build: no worker file for Vite to ship) places the
// tiers top to bottom (spines, leaves, servers, externals and gateways), one layer per tier, and
// keeps the backend's order inside each tier (forceNodeModelOrder), so the same fabric gives the
// same picture and one more server does not reshuffle the rest. A redundancy group is one ELK node
// as wide as its members side by side, with a fixed port over each member for its edges, so a pair
// is never pulled apart.
// Servers are racked under their home: the upper end of a server's first edge to an upper tier
// (the group box when that end is in one). The servers of one home are one ELK node, a rack: a
// grid at most RACK_MAX_ROWS rows tall, with a corridor down its left side (the trunk) and a lane
// above each row for the cables. ELK gets one edge per (switch or member port, rack) pair, into a
// port at the rack's top over the trunk, and each server's edge is ELK's route followed down the
// trunk, along its row's lane and down to the server (an edge from a rack down to an external
// leaves by the trunk's bottom the same way). 900 servers are 40 racks under their 40 leaf pairs
// instead of one 180,000 px row, and ELK sees 900 edges instead of 2,600.
// Edges inside one tier (MCLAG peer links, mesh) would add layers inside the tier: they are left
// out of ELK and drawn as short arcs; a VPC loopback (a self-edge) is a badge on its switch. No
// DOM here: Vitest runs it with the real elkjs.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions } from 'elkjs/lib/elk-api';
import type { Edge, Node, Topology } from '../../lib/types';

export const NODE_W = 168;
export const NODE_H = 48;
/** Between a group's border and its members, and between the members. */
export const GROUP_PAD = 10;
/** Room for the group's label above its members. */
export const GROUP_LABEL_H = 20;

/**
 * Where a tier is handed to ELK: y = tier × TIER_Y. Its INTERACTIVE layering makes one layer of
 * the nodes whose spans [y, y + height] overlap, so TIER_Y is more than the tallest node, a full
 * rack (RACK_MAX_ROWS rows: 1,032 px).
 */
const TIER_Y = 2000;

/** A rack is at most this many servers tall; more take another column. */
export const RACK_MAX_ROWS = 16;
/** The corridor down a rack's left side that its cables run in (the trunk). */
export const RACK_TRUNK_W = 16;
/** The lane above each row of a rack, where a cable leaves the trunk for its server. */
export const RACK_LANE_H = 16;
/** Between two servers of a row, and a rack's margin right and below. */
export const RACK_GAP = 8;

/**
 * The options, kept in one place (the report and the tests name them):
 * - INTERACTIVE layering on y = tier × TIER_Y: every spine above every leaf above every server
 *   above the externals, in O(n log n). Partitioning (`elk.partitioning.activate`) says the same
 *   but adds an edge from every node of a tier to every node of the next: 70,000 edges at 1,000
 *   nodes, and half a minute of layout;
 * - `considerModelOrder` + `forceNodeModelOrder`, and INTERACTIVE crossing minimization on x =
 *   the running sum of the widths in model order (it sorts a layer by the nodes' centres): the
 *   order inside a layer is the backend's (tier, then natural order of id; racks in the order of
 *   their homes), never a crossing heuristic's: stable, and cheap (half the time of LAYER_SWEEP
 *   at 1,000 nodes);
 * - a fixed `randomSeed`, `thoroughness` 1 (the order is forced: more sweeps buy nothing);
 * - ORTHOGONAL routing with `mergeEdges`: parallel runs share a channel, which keeps the space
 *   between layers small (POLYLINE spreads the layers apart by their width: a 900-server row made
 *   the picture 25,000 px tall; without `mergeEdges` the racked large fabric below takes 2.9 s
 *   and is 6,756 px tall).
 * The racks, not the options, make the large fabric fast (largeTopology(): 20 spines, 40 ESLAG
 * leaf pairs, 900 dual-homed servers, 2,600 edges; `npm run bench`, node, a loaded 2-CPU box):
 * before, one server row, 2,600 ELK edges: 6.3–7.6 s, 180,550 × 9,444 px; with racks, 140 ELK
 * nodes and 880 edges: 0.2–0.6 s warm, 1.4–1.7 s for the first layout of a fresh engine (ELK's
 * JIT warm-up), 15,791 × 1,236 px, as wide as the spine and leaf rows alone (15,624 px). Tried
 * on the racked fabric and not kept (no faster, same size): SIMPLE, LINEAR_SEGMENTS and balanced
 * BRANDES_KOEPF node placement, no model order.
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

interface Slot {
  group: string;
  i: number;
}

/** Servers in a rack, as handed to ELK and read back. */
interface Rack {
  /** ELK's id, `rack:<tier>:<home>`; never a resource id. */
  id: string;
  /** Where the home sits in `topology.nodes` (a group: its first member): the rack's model order. */
  order: number;
  tier: number;
  /** Node ids, in topology order: row by row. */
  servers: string[];
  cols: number;
  width: number;
  height: number;
  ports: ElkPort[];
}

/** Lays out a topology; the same input gives the same positions. */
export async function layout(topology: Topology, options: LayoutOptions = {}): Promise<Layout> {
  const byId = new Map(topology.nodes.map((n, i) => [n.id, { node: n, index: i }]));
  const tierOf = (id: string) => byId.get(id)?.node.tier ?? 0;

  // which group box holds a node, and its slot in the box (a group of fewer than two known
  // members is no box: nothing to keep together)
  const slot = new Map<string, Slot>();
  const groups = topology.groups
    .map((g) => ({ ...g, members: g.members.filter((m) => byId.has(m)) }))
    .filter((g) => g.members.length > 1 && new Set(g.members.map(tierOf)).size === 1);
  for (const g of groups) g.members.forEach((m, i) => slot.has(m) || slot.set(m, { group: g.name, i }));
  const boxes = groups.filter((g) => g.members.every((m) => slot.get(m)?.group === g.name));
  const boxed = new Set(boxes.map((g) => g.name));
  for (const [m, s] of [...slot]) if (!boxed.has(s.group)) slot.delete(m);
  const { racks, rackOf } = rackUp(topology, byId, slot, boxes);

  // ELK's children in model order: a group takes the place of its first member, the racks of a
  // tier take the place of its first racked server, in the order of their homes. x is the running
  // sum of the widths: INTERACTIVE crossing minimization orders a layer by the nodes' centres, so
  // x = model position alone would put a narrow node before a wide one handed to ELK before it
  const children: ElkNode[] = [];
  let cursor = 0;
  const child = (c: ElkNode & { width: number }) => {
    children.push({ ...c, x: cursor });
    cursor += c.width + 1;
  };
  const ports = new Map<string, ElkPort[]>();
  const racked = new Set<number>();
  for (const n of topology.nodes) {
    const s = slot.get(n.id);
    if (rackOf.has(n.id)) {
      if (racked.has(n.tier)) continue;
      racked.add(n.tier);
      for (const rack of racks.filter((k) => k.tier === n.tier)) {
        const { id, width, height, ports: list } = rack;
        child({ id, y: rack.tier * TIER_Y, width, height, ports: list, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } });
      }
    } else if (!s) {
      child({ id: n.id, y: n.tier * TIER_Y, width: NODE_W, height: NODE_H });
    } else if (s.i === 0) {
      const g = boxes.find((b) => b.name === s.group)!;
      const list: ElkPort[] = [];
      ports.set(g.name, list);
      child({
        id: groupId(g.name),
        y: n.tier * TIER_Y,
        width: g.members.length * NODE_W + (g.members.length + 1) * GROUP_PAD,
        height: NODE_H + GROUP_LABEL_H + 2 * GROUP_PAD,
        ports: list,
        layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      });
    }
  }

  // edges across tiers go to ELK, to a member's port when the end is in a box: ports are spread
  // over the member's width, on the side facing the other end, in edge order. An edge to a racked
  // server goes as the one ELK edge from its upper end to the rack's trunk (and one from the rack
  // to a lower end): `trunk` maps the edge to it.
  const elkEdges: ElkExtendedEdge[] = [];
  const owned: { port: ElkPort; member: string; up: boolean }[] = [];
  const memberPort = (nodeId: string, id: string, up: boolean): string => {
    const port: ElkPort = { id, width: 1, height: 1, layoutOptions: { 'elk.port.side': up ? 'NORTH' : 'SOUTH' } };
    ports.get(slot.get(nodeId)!.group)!.push(port);
    owned.push({ port, member: nodeId, up });
    return id;
  };
  const endOf = (nodeId: string, id: string, up: boolean) => (slot.has(nodeId) ? memberPort(nodeId, id, up) : nodeId);
  const trunkIds = new Map<string, string>();
  const trunk = new Map<number, string>();
  const sameTier: number[] = [];
  topology.edges.forEach((e, i) => {
    if (e.source === e.target || !byId.has(e.source) || !byId.has(e.target)) return;
    if (tierOf(e.source) === tierOf(e.target)) {
      sameTier.push(i);
      return;
    }
    const [upper, lower] = tierOf(e.source) < tierOf(e.target) ? [e.source, e.target] : [e.target, e.source];
    const [ru, rl] = [rackOf.get(upper)?.rack, rackOf.get(lower)?.rack];
    if (!ru && !rl) {
      elkEdges.push({ id: `e${i}`, sources: [endOf(upper, `port:${i}:from`, false)], targets: [endOf(lower, `port:${i}:to`, true)] });
      return;
    }
    const key = `${ru?.id ?? upper}>${rl?.id ?? lower}`;
    let id = trunkIds.get(key);
    if (!id) {
      id = `t${trunkIds.size}`;
      trunkIds.set(key, id);
      const source = ru ? rackPort(ru, false) : endOf(upper, `port:${id}:from`, false);
      const target = rl ? rackPort(rl, true) : endOf(lower, `port:${id}:to`, true);
      elkEdges.push({ id, sources: [source], targets: [target] });
    }
    trunk.set(i, id);
  });
  placePorts(owned, slot);

  const root = await elk.layout({ id: 'root', layoutOptions: { ...ELK_OPTIONS, ...options }, children, edges: elkEdges });
  return collect(topology, root, boxes, slot, rackOf, sameTier, trunk);
}

/**
 * The racks: each server's home is the upper end of its first edge (in `topology.edges` order)
 * to a node of an upper tier, or the group box holding that end; the servers of one home (and
 * tier) are one rack, `max(slots of the home, ⌈n / RACK_MAX_ROWS⌉)` columns wide, in the order of
 * their homes. A server with no such edge (or in a group box) is no rack's.
 */
function rackUp(
  topology: Topology,
  byId: Map<string, { node: Node; index: number }>,
  slot: Map<string, Slot>,
  boxes: { name: string; members: string[] }[],
): { racks: Rack[]; rackOf: Map<string, { rack: Rack; k: number }> } {
  const home = new Map<string, string>();
  for (const e of topology.edges) {
    for (const [s, o] of [
      [e.source, e.target],
      [e.target, e.source],
    ]) {
      const n = byId.get(s)?.node;
      const other = byId.get(o)?.node;
      if (n?.kind !== 'server' || !other || home.has(s) || slot.has(s) || other.tier >= n.tier) continue;
      const g = slot.get(o);
      home.set(s, g ? groupId(g.group) : o);
    }
  }
  const byKey = new Map<string, Rack>();
  const rackOf = new Map<string, { rack: Rack; k: number }>();
  for (const n of topology.nodes) {
    const h = home.get(n.id);
    if (!h) continue;
    const id = `rack:${n.tier}:${h}`;
    let rack = byKey.get(id);
    if (!rack) {
      const box = boxes.find((b) => groupId(b.name) === h);
      const order = byId.get(box ? box.members[0] : h)!.index;
      rack = { id, order, tier: n.tier, servers: [], cols: box ? box.members.length : 1, width: 0, height: 0, ports: [] };
      byKey.set(id, rack);
    }
    rackOf.set(n.id, { rack, k: rack.servers.length });
    rack.servers.push(n.id);
  }
  const racks = [...byKey.values()].sort((a, b) => a.order - b.order);
  for (const r of racks) {
    r.cols = Math.max(r.cols, Math.ceil(r.servers.length / RACK_MAX_ROWS));
    const rows = Math.ceil(r.servers.length / r.cols);
    r.width = RACK_TRUNK_W + r.cols * (NODE_W + RACK_GAP);
    r.height = rows * (RACK_LANE_H + NODE_H) + RACK_GAP;
  }
  return { racks, rackOf };
}

/** The rack's port over its trunk: on its top for the cables from above (`in`), else on its bottom. */
function rackPort(rack: Rack, into: boolean): string {
  const id = `${rack.id}:${into ? 'in' : 'out'}`;
  if (!rack.ports.some((p) => p.id === id)) {
    rack.ports.push({ id, x: RACK_TRUNK_W / 2, y: into ? 0 : rack.height, width: 0, height: 0, layoutOptions: { 'elk.port.side': into ? 'NORTH' : 'SOUTH' } });
  }
  return id;
}

function placePorts(owned: { port: ElkPort; member: string; up: boolean }[], slot: Map<string, Slot>): void {
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

/**
 * A racked server's cable inside its rack, from the trunk's end at the rack's top (`into`) down to
 * the server's top: down the trunk to the lane above the server's row, along it, down to the
 * server; else from the server's top to the trunk's end at the rack's bottom.
 */
function inRack(rack: Box, server: Box, into: boolean): Point[] {
  const trunkX = rack.x + RACK_TRUNK_W / 2;
  const lane = server.y - RACK_LANE_H / 2;
  const cx = server.x + server.width / 2;
  const path = [
    { x: trunkX, y: into ? rack.y : rack.y + rack.height },
    { x: trunkX, y: lane },
    { x: cx, y: lane },
    { x: cx, y: server.y },
  ];
  return into ? path : path.reverse();
}

/** Drops a point equal to the one before it (where ELK's route meets the rack's). */
function joined(points: Point[]): Point[] {
  return points.filter((p, i) => i === 0 || p.x !== points[i - 1].x || p.y !== points[i - 1].y);
}

/** ELK's answer as the view draws it: members placed in their box, ports extended to the member, servers in their rack. */
function collect(
  topology: Topology,
  root: ElkNode,
  boxes: { name: string; kind: string; members: string[] }[],
  slot: Map<string, Slot>,
  rackOf: Map<string, { rack: Rack; k: number }>,
  sameTier: number[],
  trunk: Map<number, string>,
): Layout {
  const at = new Map<string, Box>();
  for (const c of root.children ?? []) at.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
  const groups: PlacedGroup[] = boxes.map((g) => ({ ...at.get(groupId(g.name))!, name: g.name, kind: g.kind, members: g.members }));
  const nodes: PlacedNode[] = topology.nodes.map((node, index) => {
    const s = slot.get(node.id);
    const r = rackOf.get(node.id);
    if (r) {
      const box = at.get(r.rack.id)!;
      const [col, row] = [r.k % r.rack.cols, Math.floor(r.k / r.rack.cols)];
      return {
        node,
        index,
        x: box.x + RACK_TRUNK_W + col * (NODE_W + RACK_GAP),
        y: box.y + RACK_LANE_H + row * (RACK_LANE_H + NODE_H),
        width: NODE_W,
        height: NODE_H,
      };
    }
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
      return;
    }
    if (sameTierSet.has(index)) {
      edges.push(arc(edge, index, a, b, slot));
      return;
    }
    const t = trunk.get(index);
    const section = routed.get(t ?? `e${index}`)?.sections?.[0];
    if (!section) return;
    let points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y }));
    const [upper, lower] = (t ? a.node.tier < b.node.tier : a.y <= b.y) ? [a, b] : [b, a];
    const [ru, rl] = [rackOf.get(upper.node.id)?.rack, rackOf.get(lower.node.id)?.rack];
    if (ru) points = [...inRack(at.get(ru.id)!, upper, false), ...points];
    else if (slot.has(upper.node.id)) points.unshift({ x: points[0].x, y: upper.y + upper.height });
    if (rl) points = [...points, ...inRack(at.get(rl.id)!, lower, true)];
    else if (slot.has(lower.node.id)) points.push({ x: points[points.length - 1].x, y: lower.y });
    points = joined(points);
    // a racked server's cable is labelled on its lane, beside the stub down to the server: the
    // middle of the whole route would fall under another server's box
    const label = rl ? { x: lower.x + lower.width / 2, y: lower.y - RACK_LANE_H / 2 } : middle(points);
    edges.push({ edge, index, shape: 'routed', points, label });
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

/**
 * An edge's geometry as SVG text, for the canvas and the SVG file alike: a routed edge's
 * `points` list (`shape === 'routed'`), else the path of an arc (a quadratic curve through its
 * control point) or a loopback's loop (a curl left of the node's top-right corner). `fmt` writes
 * each number (the file rounds them).
 */
export function pointsOf(points: Point[], fmt: (n: number) => string = String): string {
  return points.map((p) => `${fmt(p.x)},${fmt(p.y)}`).join(' ');
}

export function pathOf(e: PlacedEdge, fmt: (n: number) => string = String): string {
  if (e.shape === 'arc') {
    const [a, c, b] = e.points;
    return `M${fmt(a.x)},${fmt(a.y)} Q${fmt(c.x)},${fmt(c.y)} ${fmt(b.x)},${fmt(b.y)}`;
  }
  const { x, y } = e.points[0];
  return `M${fmt(x - 34)},${fmt(y)} C${fmt(x - 34)},${fmt(y - 26)} ${fmt(x - 8)},${fmt(y - 26)} ${fmt(x - 8)},${fmt(y)}`;
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
