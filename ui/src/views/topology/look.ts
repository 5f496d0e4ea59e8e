// How a node's box and an edge's line look, as the canvas's CSS cascade decides it
// (TopologyCanvas.svelte's `.node.state-*`, `.edge.type-*`, `.hl` and `.dim` rules), written once
// as data for the two renderers that cannot use that CSS: the exported SVG file (diagramSvg.ts,
// which has no stylesheet) and the raster snapshot shown while panning (rasterSnapshot.ts, Canvas
// 2D). Colours are named by theme variable (`fgMuted` is `--fg-muted`), so each renderer resolves
// them its own way: the file with the light theme's literals, the snapshot with the live theme.
import type { Node } from '../../lib/types';
import { stateOf } from './decorate';

/** The theme variables the picture is drawn with, camel-cased (`bgAlt` is `--bg-alt`). */
export const COLOURS = ['bg', 'bgAlt', 'fg', 'fgMuted', 'border', 'accent', 'accentSoft', 'info', 'infoBg', 'warn', 'warnBg', 'danger', 'dangerBg'] as const;
export type Colour = (typeof COLOURS)[number];

/** `.dim`: what is not highlighted while something is. */
export const DIM_OPACITY = 0.2;

export interface StrokeLook {
  stroke: Colour;
  width: number;
  dash?: [number, number];
}

export interface BoxLook extends StrokeLook {
  /** null: no fill (`fill: none`). */
  fill: Colour | null;
  /** The box's own opacity (a deleted node's), under the node's `.dim`. */
  opacity?: number;
}

/** Connection types drawn in the accent colour (redundancy), and the dashed info ones (outside the fabric). */
const ACCENT_TYPES = new Set(['mclag', 'mclagDomain', 'eslag']);
const OUTSIDE_TYPES = new Set(['external', 'staticExternal', 'gateway']);

/**
 * An edge's line: live trouble (`.bad`), then a problem, then the highlight, then the type's
 * colour, as the rules' order in the stylesheet gives it (they have the same specificity).
 */
export function edgeLook(type: string, { problem = false, bad = false, hl = false }: { problem?: boolean; bad?: boolean; hl?: boolean } = {}): StrokeLook {
  const outside = OUTSIDE_TYPES.has(type);
  const typeColour: Colour = ACCENT_TYPES.has(type) ? 'accent' : outside ? 'info' : 'fgMuted';
  return {
    stroke: bad ? 'danger' : problem ? 'warn' : hl ? 'accent' : typeColour,
    width: bad ? 2 : hl ? 2.5 : 1.25,
    dash: outside ? [6, 3] : undefined,
  };
}

/** A node's box per state (and the spine's fill); a highlighted node's border wins over its state's. */
export function boxLook(node: Node, hl = false): BoxLook {
  const base: BoxLook = { fill: node.kind === 'spine' ? 'infoBg' : 'bg', stroke: 'border', width: 1.25 };
  const look = stateLook(base, stateOf(node));
  return hl ? { ...look, stroke: 'accent', width: 3 } : look;
}

function stateLook(base: BoxLook, state: string): BoxLook {
  switch (state) {
    case 'draft':
      return { ...base, stroke: 'info', width: 2 };
    case 'invalid':
      return { ...base, fill: 'dangerBg', stroke: 'danger' };
    case 'conflict':
      return { ...base, fill: 'warnBg', stroke: 'warn', width: 2 };
    case 'deleted':
      return { ...base, dash: [5, 3], opacity: 0.7 };
    case 'missing':
      return { ...base, fill: null, stroke: 'danger', dash: [5, 3] };
    default:
      return base;
  }
}
