// The cascade look.ts writes down for the renderers without CSS: the highlight's border beats a
// state's, live trouble and problems beat the highlight on a line, and the type's dash stays.
import { expect, test } from 'vitest';
import { node } from '../../test/topologyFixtures';
import { boxLook, edgeLook } from './look';

test("a highlighted node's border is the accent, over its state's, and keeps the state's fill and dash", () => {
  const conflict = node('server', 's', { state: { state: 'conflict' } });
  expect(boxLook(conflict)).toEqual({ fill: 'warnBg', stroke: 'warn', width: 2 });
  expect(boxLook(conflict, true)).toEqual({ fill: 'warnBg', stroke: 'accent', width: 3 });
  expect(boxLook(node('server', 'g', { state: { state: 'deleted' } }), true)).toEqual({ fill: 'bg', stroke: 'accent', width: 3, dash: [5, 3], opacity: 0.7 });
  expect(boxLook(node('server', 'm', { missing: true }))).toEqual({ fill: null, stroke: 'danger', width: 1.25, dash: [5, 3] });
  expect(boxLook(node('spine', 'sp')).fill).toBe('infoBg');
});

test("an edge's line: live trouble, then a problem, then the highlight, then the type", () => {
  expect(edgeLook('fabric')).toEqual({ stroke: 'fgMuted', width: 1.25, dash: undefined });
  expect(edgeLook('eslag', { hl: true })).toEqual({ stroke: 'accent', width: 2.5, dash: undefined });
  expect(edgeLook('fabric', { hl: true, problem: true })).toEqual({ stroke: 'warn', width: 2.5, dash: undefined });
  expect(edgeLook('external', { hl: true, problem: true, bad: true })).toEqual({ stroke: 'danger', width: 2, dash: [6, 3] });
});
