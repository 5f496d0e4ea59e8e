import { expect, test } from 'vitest';
import { badgeView } from '../lib/badge';
import { makeOverview } from './fixtures';

test.each([
  ['in-sync', 0, 0, 'in sync', 'ok'],
  ['local-changes', 3, 3, '3 local changes', 'info'],
  ['local-changes', 1, 1, '1 local change', 'info'],
  ['behind', 0, 0, 'behind', 'warn'],
  ['conflicts', 2, 1, '2 conflicts', 'danger'],
  ['offline', 0, 0, 'offline', 'muted'],
  ['error', 0, 0, 'error', 'danger'],
  ['never-synced', 0, 0, 'never synced', 'muted'],
] as const)('badge %s with count %i reads "%s"', (badge, count, drafts, label, tone) => {
  const view = badgeView(makeOverview({ badge, badge_count: count, drafts }));
  expect(view).toEqual({ badge, label, tone });
});

test('local changes fall back to the draft count when the badge has no count', () => {
  expect(badgeView(makeOverview({ badge: 'local-changes', badge_count: 0, drafts: 4 })).label).toBe('4 local changes');
});

test('no overview yet: loading, or error when loading failed', () => {
  expect(badgeView(null).badge).toBe('loading');
  expect(badgeView(null, true)).toEqual({ badge: 'error', label: 'error', tone: 'danger' });
});
