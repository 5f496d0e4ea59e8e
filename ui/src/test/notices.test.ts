import { afterEach, expect, test, vi } from 'vitest';
import { ingestNotice, pullNotice, pushNotice } from '../lib/notices';
import { Toasts } from '../lib/state/toasts.svelte';
import { BackendError } from '../lib/api';
import { makePull } from './fixtures';

afterEach(() => {
  vi.useRealTimers();
});

test('pull notice lists what changed and flags conflicts', () => {
  const n = pullNotice(
    makePull({
      counts: { files: 9, added: 0, changed: 7, deleted: 0, unmanaged: 0, drafts_dissolved: 0, auto_merged: 1, conflicts: 2 },
      changed: Array.from({ length: 7 }, (_, i) => ({ kind: 'Switch', name: `s${i}`, change: 'changed' as const })),
    }),
  );
  expect(n.tone).toBe('warn');
  expect(n.title).toBe('Pulled 7 changes into demo');
  expect(n.message).toContain('Switch/s0 changed, Switch/s1 changed');
  expect(n.message).toContain('and 2 more');
  expect(n.message).toContain('1 draft merged');
  expect(n.message).toContain('2 conflicts to resolve');
});

test('push notice names the commit and branch', () => {
  const n = pushNotice({ fabric: 'demo', operation_id: 1, commit: 'abcdef0123456789', branch: 'main', pushed: [{ kind: 'VPC', name: 'v', change: 'created' }], retries: 1, proposal_id: null });
  expect(n.title).toBe('Pushed 1 change to main');
  expect(n.message).toBe('Commit abcdef01 on main (after 1 retry).');
});

test('ingest notice with nothing to do', () => {
  expect(ingestNotice({ fabric: 'demo', dry_run: false, operation_id: null, commit: null, documents: [], archived: [], raw_files: 0 }).title).toBe('Nothing to ingest');
});

test('toasts disappear after a while, errors stay until dismissed', () => {
  vi.useFakeTimers();
  const t = new Toasts();
  t.show({ tone: 'success', title: 'ok' });
  const err = t.error(new BackendError('busy', 'fabric busy'), 'Pull');
  expect(t.items.map((x) => x.title)).toEqual(['ok', 'Fabric busy']);
  vi.advanceTimersByTime(60_000);
  expect(t.items.map((x) => x.id)).toEqual([err]);
  expect(t.items[0].advice).toMatch(/another operation is running on this fabric/i);
  t.dismiss(err);
  expect(t.items).toEqual([]);
});

test('a cancelled operation is news, not an error', () => {
  const t = new Toasts();
  t.error(new BackendError('cancelled', 'cancelled by the user'), 'Ingest');
  expect(t.items[0]).toMatchObject({ tone: 'info', title: 'Ingest cancelled' });
});
