// One icon set (Lucide) for kinds, statuses and badges: every kind the engine manages has its own
// icon, and the resource table, the badges and the history show them.
import { render, screen, within } from '@testing-library/svelte';
import { beforeEach, expect, test } from 'vitest';
import Badge from '../components/Badge.svelte';
import { badgeView } from '../lib/badge';
import type { Row } from '../lib/filter';
import { BADGE_ICONS, KIND_ICONS, kindIcon, STATUS_ICONS, statusIcon } from '../lib/icons';
import { KIND_OF_PLURAL, KINDS } from '../lib/kinds';
import { STATUSES } from '../lib/types';
import ResourceTable from '../views/resources/ResourceTable.svelte';
import { makeOverview } from './fixtures';
import { resetState } from './reset';

beforeEach(() => resetState());

test('every Hedgehog kind has an icon of its own, and an unknown kind a neutral one', () => {
  expect(KINDS).toHaveLength(14);
  for (const kind of KINDS) {
    expect(KIND_ICONS[kind], kind).toBeDefined();
    expect(typeof KIND_ICONS[kind].icon, kind).toBe('function');
  }
  const names = KINDS.map((k) => KIND_ICONS[k].name);
  expect(new Set(names).size).toBe(KINDS.length);
  expect(kindIcon('ConfigMap').name).toBe('file-question-mark');
  expect(names).not.toContain('file-question-mark');
});

test('the managed/ folder names are the engine\'s plurals', () => {
  expect(KIND_OF_PLURAL.switches).toBe('Switch');
  expect(KIND_OF_PLURAL.vpcattachments).toBe('VPCAttachment');
  expect(KIND_OF_PLURAL.ipv4namespaces).toBe('IPv4Namespace');
  expect(Object.keys(KIND_OF_PLURAL)).toHaveLength(KINDS.length);
});

test('every resource status and fabric badge has an icon', () => {
  for (const s of STATUSES) expect(STATUS_ICONS[s], s).toBeDefined();
  expect(statusIcon('conflict').name).toBe('git-merge');
  expect(statusIcon('invalid').name).toBe('octagon-alert');
  for (const b of ['in-sync', 'local-changes', 'behind', 'conflicts', 'offline', 'error', 'never-synced', 'loading', 'unknown'] as const) {
    expect(BADGE_ICONS[b], b).toBeDefined();
  }
});

function row(kind: string, name: string, status: NonNullable<Row['status']>): Row {
  return {
    id: `${kind}/${name}`,
    kind,
    name,
    status,
    path: `managed/x/${name}.yaml`,
    errors: 0,
    warnings: 0,
    note: '',
    key: name,
    resource: { kind, name, status, path: null, errors: [], warnings: [] },
  };
}

test('the resource table shows the kind and the status, each with its icon', () => {
  const rows = KINDS.map((k, i) => row(k, `r-${i}`, STATUSES[i % STATUSES.length]));
  render(ResourceTable, { rows, total: rows.length, onopen: () => {}, fabric: null });
  for (const [i, kind] of KINDS.entries()) {
    const r = screen.getByTestId(`row-${kind}-r-${i}`);
    const [kindCell, , statusCell] = within(r).getAllByRole('gridcell');
    expect(kindCell.querySelector(`[data-icon="${KIND_ICONS[kind].name}"] svg`), kind).not.toBeNull();
    expect(kindCell).toHaveTextContent(kind);
    const status = STATUSES[i % STATUSES.length];
    expect(statusCell.querySelector(`[data-icon="${STATUS_ICONS[status].name}"] svg`), status).not.toBeNull();
    expect(statusCell).toHaveTextContent(status);
  }
});

test('a badge carries the icon of its state', () => {
  render(Badge, { view: badgeView(makeOverview({ badge: 'conflicts', badge_count: 2 })), testid: 'b' });
  const badge = screen.getByTestId('b');
  expect(badge).toHaveTextContent('2 conflicts');
  expect(badge.querySelector('[data-icon="git-merge"] svg')).not.toBeNull();
});
