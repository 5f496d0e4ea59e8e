// The entry of the command line's diagram bundle (vite.diagram.config.ts builds it into
// dist-diagram/hhsync-diagram.js): `hhsync diagram --format svg` runs that file inside QuickJS and
// calls `globalThis.hhsyncDiagram(topologyJson, reportJson)`, so the command line draws the same
// picture as the app's Export… SVG, with the same layout code. Nothing reachable from here may
// touch the DOM or import Svelte: the bundle has neither. The host gives it `setTimeout` and
// `console` (elkjs's bundled build wants both) and nothing else.
import type { DriftReport, Topology } from './lib/types';
import { decorate } from './views/topology/decorate';
import { diagramSvg } from './views/topology/diagramSvg';
import { layout } from './views/topology/layout';

/** The topology (and the cluster's drift report, when one is linked) as an SVG document. */
export async function renderDiagram(topologyJson: string, reportJson: string | null): Promise<string> {
  const topology = JSON.parse(topologyJson) as Topology;
  const report = reportJson ? (JSON.parse(reportJson) as DriftReport) : null;
  const placed = await layout(topology);
  return diagramSvg(placed, decorate(topology, report));
}

// the host finds the renderer here: an IIFE bundle has no exports it could import
(globalThis as typeof globalThis & { hhsyncDiagram?: typeof renderDiagram }).hhsyncDiagram = renderDiagram;
