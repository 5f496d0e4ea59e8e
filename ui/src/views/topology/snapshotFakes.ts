// For the snapshot's tests (jsdom has no canvas): a 2D context that records what is drawn on it,
// with the state each call was made in; Path2D as its path data; a picture laid out by hand, so a
// test knows where every node is without running ELK.
import type { Edge, Topology } from '../../lib/types';
import { edge, node } from '../../test/topologyFixtures';
import { decorate, labelsDrawn } from './decorate';
import { COLOURS, type Colour } from './look';
import type { Layout, PlacedEdge, PlacedNode } from './layout';
import type { Paint, Scene, SnapshotContext } from './rasterSnapshot';

export interface Op {
  op: string;
  args: unknown[];
  /** A path argument's data (fill, stroke). */
  d?: string;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  globalAlpha: number;
  font: string;
  dash: number[];
}

export interface FakeContext extends SnapshotContext {
  ops: Op[];
}

/** A recording context: every call, with the fill, stroke, width, alpha, font and dash it was made with. */
export function fakeContext(): FakeContext {
  const state = { fillStyle: '#000' as unknown, strokeStyle: '#000' as unknown, lineWidth: 1, globalAlpha: 1, font: '10px sans-serif', dash: [] as number[] };
  const ops: Op[] = [];
  const record =
    (op: string) =>
    (...args: unknown[]) => {
      const d = (args[0] as { d?: string } | undefined)?.d;
      ops.push({ op, args, d, ...state, dash: [...state.dash] });
    };
  const ctx = {
    ops,
    lineCap: 'butt',
    lineJoin: 'miter',
    textAlign: 'start',
    setTransform: record('setTransform'),
    save: record('save'),
    restore: record('restore'),
    translate: record('translate'),
    scale: record('scale'),
    fill: record('fill'),
    fillRect: record('fillRect'),
    stroke: record('stroke'),
    fillText: record('fillText'),
    setLineDash: (dash: number[]) => (state.dash = [...dash]),
    measureText: (text: string) => ({ width: text.length * 7 }) as TextMetrics,
  };
  for (const key of ['fillStyle', 'strokeStyle', 'lineWidth', 'globalAlpha', 'font'] as const) {
    Object.defineProperty(ctx, key, { get: () => state[key], set: (v) => ((state as Record<string, unknown>)[key] = v), enumerable: true });
  }
  return ctx as unknown as FakeContext;
}

/** Path2D as the path data it was made of. */
export const fakePath = (d: string) => ({ d }) as unknown as Path2D;

/** Each colour as its own name (`C:warn`), so a test reads which one was used. */
export const namedColours = Object.fromEntries(COLOURS.map((c) => [c, `C:${c}`])) as Record<Colour, string>;

export const fakePaint: Paint = { colours: namedColours, text: { xs: 11, md: 13, base: 14 }, path: fakePath };

/**
 * `count` servers in rows of `perRow`, 200 units apart across and 100 down, from (0, 0); each
 * linked to the next one in its row by a straight routed edge.
 */
export function gridScene(count: number, perRow = 20): Scene & { topology: Topology } {
  const nodes = Array.from({ length: count }, (_, i) => node('server', `server-${String(i).padStart(4, '0')}`));
  const placed: PlacedNode[] = nodes.map((n, i) => ({ node: n, index: i, x: (i % perRow) * 200, y: Math.floor(i / perRow) * 100, width: 168, height: 48 }));
  const edges: Edge[] = [];
  const placedEdges: PlacedEdge[] = [];
  placed.forEach((a, i) => {
    const b = placed[i + 1];
    if (!b || (i + 1) % perRow === 0) return;
    const e = edge('unbundled', a.node.id, b.node.id, [`c${i}`]);
    const y = a.y + 24;
    placedEdges.push({ edge: e, index: edges.length, shape: 'routed', points: [{ x: a.x + 168, y }, { x: b.x, y }], label: { x: a.x + 184, y } });
    edges.push(e);
  });
  const topology: Topology = { nodes, edges, groups: [], problems: [] };
  const rows = Math.ceil(count / perRow);
  const layout: Layout = { nodes: placed, edges: placedEdges, groups: [], width: Math.min(count, perRow) * 200, height: rows * 100 };
  const marks = decorate(topology, null);
  return { topology, layout, marks, lit: null, litEdges: null, labelled: labelsDrawn(layout.edges, marks.edges, layout.nodes) };
}
