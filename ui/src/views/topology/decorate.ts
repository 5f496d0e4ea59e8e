// What the picture says about each node and edge besides its place: hhsync state, wiring problems,
// the cluster's word (agent, applied, LLDP, port state) and the hover text, all in words. Pure
// functions over the topology and the drift report, so the SVG stays a plain rendering of these
// and tests read them without a DOM.
import { cablingText, switchProblem } from '../../lib/live';
import type { DriftReport, Edge, LinkCheck, Node, SwitchLive, Topology, WiringProblem } from '../../lib/types';

/** `Switch/leaf-01` → `Switch-leaf-01`: the test id's tail. */
export const testidOf = (id: string) => id.replaceAll('/', '-');

/** The resource a node opens: kind and name from its `Kind/name` id. */
export function resourceOf(node: Node): { kind: string; name: string } {
  const slash = node.id.indexOf('/');
  return slash < 0 ? { kind: 'Switch', name: node.name } : { kind: node.id.slice(0, slash), name: node.id.slice(slash + 1) };
}

export const isSwitch = (node: Node) => node.kind === 'spine' || node.kind === 'leaf' || node.kind === 'other-switch';

/** A node's state as a `data-state` value: `missing` for a placeholder, else hhsync's state. */
export const stateOf = (node: Node) => (node.missing ? 'missing' : node.state.state);

const STATE_WORDS: Record<string, string> = {
  synced: '',
  draft: 'draft',
  deleted: 'deleted in a draft',
  invalid: 'invalid',
  conflict: 'in conflict',
  missing: 'missing: a connection names it, no such resource exists',
};

export interface NodeMarks {
  /** Wiring problems on it. */
  problems: string[];
  /** What the cluster says is wrong (agent, applied); empty when fine or no cluster linked. */
  live: string[];
  title: string;
}

export interface EdgeMarks {
  problems: string[];
  /** Wrong LLDP neighbors, ports down, in words. */
  live: string[];
  title: string;
  /** "mclag ×2": drawn when `labelShown`, else in the hover text only. */
  label: string;
}

export interface Marks {
  nodes: Map<string, NodeMarks>;
  edges: Map<string, EdgeMarks>;
}

function problemsByTarget(problems: WiringProblem[]): { nodes: Map<string, string[]>; edges: Map<string, string[]> } {
  const nodes = new Map<string, string[]>();
  const edges = new Map<string, string[]>();
  for (const p of problems) {
    const [map, id] = 'node' in p.target ? [nodes, p.target.node] : [edges, p.target.edge];
    map.set(id, [...(map.get(id) ?? []), p.message]);
  }
  return { nodes, edges };
}

/** What the agent's LLDP and port state say against one end of an edge (`device/port`). */
function linkWords(check: { switch: string; link: LinkCheck }): string[] {
  const out: string[] = [];
  if (check.link.lldp === 'wrong') out.push(cablingText(check));
  if (check.link.oper === 'down') out.push(`${check.switch} ${check.link.port} is down`);
  return out;
}

/**
 * Whether an edge's label is drawn, not only in its hover text: parallel links, a problem, or the
 * cluster's word. A VPC loopback's loop says what it is by itself, and its label would sit on
 * the next device's.
 */
export function labelShown(edge: Edge, loop: boolean, marks: EdgeMarks | undefined): boolean {
  return (edge.count > 1 && !loop) || !!marks?.live.length || !!marks?.problems.length;
}

/** A label's box: where `<text x={label.x + 4} y={label.y - 4}>` at 11 px lands, its width
 *  estimated at 6.5 px a character (no DOM to measure in: the file export draws it too). */
function labelBox(at: { x: number; y: number }, text: string) {
  return { left: at.x + 4, right: at.x + 4 + text.length * 6.5, top: at.y - 15, bottom: at.y - 1 };
}

/**
 * The edges whose label is drawn: every one `labelShown` names, except a count label ("fabric
 * ×2") that would overlap one already placed or a device's box (`nodes`). Labels with a problem
 * or the cluster's word are placed first and always. Parallel runs meeting at one switch put
 * their labels on one spot, and six overlapping "fabric ×2" read as none; the link between the
 * two switches of a pair is shorter than its label, which would cover the second switch's name.
 */
export function labelsDrawn(
  edges: { edge: Edge; shape: string; label: { x: number; y: number } }[],
  marks: Map<string, EdgeMarks>,
  nodes: { x: number; y: number; width: number; height: number }[] = [],
): Set<string> {
  const shown = edges.filter((e) => labelShown(e.edge, e.shape === 'loop', marks.get(e.edge.id)));
  const urgent = (e: (typeof shown)[number]) => !!(marks.get(e.edge.id)?.problems.length || marks.get(e.edge.id)?.live.length);
  const placed: ReturnType<typeof labelBox>[] = [];
  const devices = nodes.map((n) => ({ left: n.x, right: n.x + n.width, top: n.y, bottom: n.y + n.height }));
  const drawn = new Set<string>();
  for (const e of [...shown.filter(urgent), ...shown.filter((e) => !urgent(e))]) {
    const box = labelBox(e.label, (urgent(e) ? '⚠ ' : '') + (marks.get(e.edge.id)?.label ?? edgeLabel(e.edge)));
    const overlaps = (p: ReturnType<typeof labelBox>) => box.left < p.right && p.left < box.right && box.top < p.bottom && p.top < box.bottom;
    const clash = placed.some(overlaps) || devices.some(overlaps);
    if (clash && !urgent(e)) continue;
    placed.push(box);
    drawn.add(e.edge.id);
  }
  return drawn;
}

export function edgeLabel(edge: Edge): string {
  return edge.count > 1 ? `${edge.connection_type} ×${edge.count}` : edge.connection_type;
}

/** Everything the picture marks, in one pass over the topology and the report. */
export function decorate(topology: Topology, report: DriftReport | null): Marks {
  const problems = problemsByTarget(topology.problems);
  const switches = new Map<string, SwitchLive>((report?.switches ?? []).map((s) => [s.name, s]));
  const ports = new Map<string, { switch: string; link: LinkCheck }>();
  for (const s of report?.switches ?? []) for (const link of s.links) ports.set(`${s.name}/${link.port}`, { switch: s.name, link });

  const nodes = new Map<string, NodeMarks>();
  for (const n of topology.nodes) {
    const live: string[] = [];
    const s = isSwitch(n) ? switches.get(n.name) : undefined;
    if (s && (s.agent !== 'alive' || !s.applied)) live.push(switchProblem(s));
    const p = problems.nodes.get(n.id) ?? [];
    const state = stateOf(n);
    const lines = [`${n.id}${n.role ? ` (${n.role})` : ''}${n.group ? ` · group ${n.group}` : ''}`];
    if (STATE_WORDS[state]) lines.push(STATE_WORDS[state]);
    if (n.state.state === 'invalid') lines.push(...n.state.errors);
    lines.push(...p.map((m) => `⚠ ${m}`), ...live.map((m) => `cluster: ${m}`));
    nodes.set(n.id, { problems: p, live, title: lines.join('\n') });
  }

  const edges = new Map<string, EdgeMarks>();
  for (const e of topology.edges) {
    const live = e.ports.flatMap(([a, b]) => [a, b].flatMap((end) => (ports.has(end) ? linkWords(ports.get(end)!) : [])));
    const p = problems.edges.get(e.id) ?? [];
    const lines = [
      `${edgeLabel(e)}: ${e.source} — ${e.target}`,
      ...e.connections.map((c) => `Connection ${c}`),
      ...e.ports.map(([a, b]) => `${a || '?'} ↔ ${b || '?'}`),
      ...p.map((m) => `⚠ ${m}`),
      ...live.map((m) => `cluster: ${m}`),
    ];
    edges.set(e.id, { problems: p, live, title: lines.join('\n'), label: edgeLabel(e) });
  }
  return { nodes, edges };
}

/** Node ids whose name, id or role contains the text (case-insensitive); none for blank text. */
export function searchNodes(topology: Topology, text: string): Set<string> {
  const q = text.trim().toLowerCase();
  if (!q) return new Set();
  return new Set(topology.nodes.filter((n) => n.id.toLowerCase().includes(q) || (n.role ?? '').toLowerCase().includes(q)).map((n) => n.id));
}

/** A problem's target in words, for the list beside the picture. */
export function problemTarget(p: WiringProblem): string {
  return 'node' in p.target ? p.target.node : p.target.edge;
}
