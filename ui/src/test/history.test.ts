import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import { newestFirst } from '../lib/state/fabric.svelte';
import type { Operation } from '../lib/types';
import { absoluteTime } from '../lib/format';
import { authorName, countsSummary, duration, outcomeText, resourceOfPath, resourcesOf, safeUrl, statusTone } from '../views/history/history';
import { emitFabricChanged } from './api';
import { makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

function op(partial: Partial<Operation> & { id: number }): Operation {
  return {
    kind: 'pull',
    trigger: 'user',
    started_at: '2024-11-01T10:00:00Z',
    finished_at: '2024-11-01T10:00:05Z',
    status: 'succeeded',
    commit_before: null,
    commit_after: null,
    counts: {},
    error: null,
    error_code: null,
    pr_url: null,
    ...partial,
  };
}

const LOG: Operation[] = [
  // deliberately not in order: the view sorts newest first whatever comes
  op({ id: 1, kind: 'ingest', trigger: 'user', started_at: '2024-11-01T09:00:00Z', finished_at: '2024-11-01T09:00:02Z', commit_after: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', counts: { managed: 46, unmanaged: 0 } }),
  op({
    id: 3,
    kind: 'push',
    trigger: 'user',
    started_at: '2024-11-01T11:00:00Z',
    finished_at: '2024-11-01T11:00:09Z',
    status: 'failed',
    commit_before: '2222222222222222222222222222222222222222',
    error: 'remote rejected: protected branch',
    pr_url: 'https://git.example/acme/infra/pull/12',
  }),
  op({
    id: 2,
    kind: 'pull',
    trigger: 'poll',
    started_at: '2024-11-01T10:00:00Z',
    status: 'attention',
    commit_before: '1111111111111111111111111111111111111111',
    commit_after: '2222222222222222222222222222222222222222',
    counts: { files: 2, added: 1, changed: 1, deleted: 0, conflicts: 1 },
  }),
];

describe('history helpers', () => {
  test('counts: the non-zero numbers, in order', () => {
    expect(countsSummary({ files: 2, added: 1, deleted: 0, drafts_dissolved: 3, dry_run: false, fast: true })).toBe('files 2, added 1, drafts dissolved 3, fast');
    expect(countsSummary({})).toBe('');
  });

  test('status colours, links and durations', () => {
    expect([statusTone('succeeded'), statusTone('attention'), statusTone('failed'), statusTone('running'), statusTone('odd')]).toEqual([
      'tone-ok',
      'tone-warn',
      'tone-danger',
      'tone-info',
      'tone-muted',
    ]);
    expect(safeUrl('https://git.example/pr/1')).toBe('https://git.example/pr/1');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl(null)).toBeNull();
    expect(duration('2024-11-01T10:00:00Z', '2024-11-01T10:03:04Z')).toBe('3 min 4 s');
    expect(duration('2024-11-01T10:00:00Z', null)).toBe('');
    expect(newestFirst(LOG).map((o) => o.id)).toEqual([3, 2, 1]);
  });
});

describe('history in plain words', () => {
  test('"attention" says what needs a look, by kind', () => {
    expect(outcomeText({ kind: 'ingest', status: 'attention', counts: { managed: 44, errors: 1, invalid: 1 } })).toBe('done, 2 documents need a look');
    expect(outcomeText({ kind: 'ingest', status: 'attention', counts: { errors: 0, invalid: 1 } })).toBe('done, 1 document needs a look');
    expect(outcomeText({ kind: 'pull', status: 'attention', counts: { conflicts: 3 } })).toBe('done, 3 conflicts to resolve');
    expect(outcomeText({ kind: 'init', status: 'attention', counts: { created: 2, findings: 1 } })).toBe('done, 1 finding to check');
    expect(outcomeText({ kind: 'push', status: 'attention', counts: {} })).toBe('done, something needs a look');
    expect(outcomeText({ kind: 'push', status: 'succeeded', counts: {} })).toBe('done');
    expect(outcomeText({ kind: 'push', status: 'failed', counts: {} })).toBe('failed');
    expect(outcomeText({ kind: 'pull', status: 'interrupted', counts: {} })).toBe('interrupted before it finished');
  });

  test('resources by name from the commit\'s files: named by the engine, else from the managed/ path', () => {
    expect(
      resourcesOf([
        { path: 'managed/switches/leaf-01.yaml', resource: 'Switch/leaf-01' },
        { path: 'gitops/fab/managed/vpcattachments/vpc-1--server-01.yaml', resource: null },
        { path: 'managed/switches/leaf-01.yaml', resource: 'Switch/leaf-01' },
        { path: 'raw/prepop.yaml', resource: null },
        { path: 'unmanaged/cm.yaml', resource: null },
      ]),
    ).toEqual(['Switch/leaf-01', 'VPCAttachment/vpc-1--server-01']);
    expect(resourceOfPath('managed/ipv4namespaces/default.yaml')).toBe('IPv4Namespace/default');
    expect(resourceOfPath('managed/unknownthings/x.yaml')).toBeNull();
    expect(authorName('Ada Lovelace <ada@example.org>')).toBe('Ada Lovelace');
  });
});

describe('history tab', () => {
  beforeEach(() => {
    resetState();
    const demo = makeOverview().fabric;
    vi.mocked(api.appInfo).mockResolvedValue({ data_dir: '/d', version: '0.1.0', demo: { created: false, fabric: 'demo' } });
    vi.mocked(api.listRepositories).mockResolvedValue([{ id: 1, name: 'demo', url: '/d/demo/remote.git', branch: 'main', clone_dir: '/d/c', created_at: '' }]);
    vi.mocked(api.listFabrics).mockResolvedValue([demo]);
    vi.mocked(api.fabricOverview).mockResolvedValue(makeOverview());
    vi.mocked(api.operationLog).mockResolvedValue(LOG);
  });

  test('lists operations newest first, with status, commits, counts, error and PR link; refreshed on fabric-changed', async () => {
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByTestId('tab-history'));
    const list = await screen.findByTestId('history');
    expect(api.operationLog).toHaveBeenCalledWith('demo');

    const rows = within(list).getAllByTestId(/^op-\d+$/);
    expect(rows.map((r) => r.dataset.testid)).toEqual(['op-3', 'op-2', 'op-1']);
    expect(rows.map((r) => r.dataset.status)).toEqual(['failed', 'attention', 'succeeded']);

    const push = screen.getByTestId('op-3');
    expect(push).toHaveTextContent('push');
    expect(push).toHaveTextContent('by you');
    expect(within(push).getByTestId('op-status')).toHaveClass('tone-danger');
    expect(within(push).getByTestId('op-error')).toHaveTextContent('remote rejected: protected branch');
    expect(within(push).getByTestId('op-pr')).toHaveAttribute('title', 'https://git.example/acme/infra/pull/12');
    expect(push).toHaveTextContent('22222222 → —');

    const pull = screen.getByTestId('op-2');
    expect(pull).toHaveTextContent('by the background check');
    expect(pull).toHaveTextContent('11111111 → 22222222');
    expect(within(pull).getByTestId('op-counts')).toHaveTextContent('files 2, added 1, changed 1, conflicts 1');
    expect(within(pull).getByTestId('op-status')).toHaveClass('tone-warn');
    expect(within(pull).queryByTestId('op-pr')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('op-1')).getByTestId('op-status')).toHaveClass('tone-ok');

    vi.mocked(api.operationLog).mockResolvedValue([
      op({ id: 4, kind: 'pull', trigger: 'user', started_at: '2024-11-01T12:00:00Z', finished_at: null, status: 'running' }),
      ...LOG,
    ]);
    emitFabricChanged({ fabric: 'demo', reason: 'pull' });
    await waitFor(() => expect(screen.getByTestId('op-4')).toHaveAttribute('data-status', 'running'));
    expect(within(screen.getByTestId('history')).getAllByTestId(/^op-\d+$/)[0]).toBe(screen.getByTestId('op-4'));
    expect(api.operationLog).toHaveBeenCalledTimes(2);
  });

  test('each row names the resources its commit touched, with message and author; times are relative with the full time on hover', async () => {
    const user = userEvent.setup();
    vi.mocked(api.operationDiff).mockImplementation(async (_fabric, id) => ({
      operation_id: id,
      commit: '2222222222222222222222222222222222222222',
      parent: '1111111111111111111111111111111111111111',
      branch: null,
      message: 'Pull from main\n\nbody',
      author: 'Grace Hopper <grace@example.org>',
      files: [
        { path: 'managed/switches/leaf-01.yaml', resource: 'Switch/leaf-01', change: 'modified', diff: '' },
        { path: 'managed/vpcs/vpc-1.yaml', resource: 'VPC/vpc-1', change: 'added', diff: '' },
        { path: 'notes.txt', resource: null, change: 'added', diff: '' },
      ],
    }));
    render(App);
    await user.click(await screen.findByTestId('tab-history'));
    const pull = await screen.findByTestId('op-2');
    const names = await within(pull).findByTestId('op-resources');
    expect(within(names).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['leaf-01', 'vpc-1']);
    expect(within(names).getAllByRole('listitem').map((li) => li.title)).toEqual(['Switch/leaf-01', 'VPC/vpc-1']);
    expect(names.querySelector('[data-icon="network"]')).not.toBeNull();
    expect(within(pull).getByTestId('op-message')).toHaveTextContent('Pull from main');
    expect(within(pull).getByTestId('op-author')).toHaveTextContent('by Grace Hopper');
    expect(within(pull).getByTestId('op-author')).not.toHaveTextContent('grace@example.org');
    expect(within(pull).getByTestId('op-status')).toHaveTextContent('done, 1 conflict to resolve');
    // only operations that made a commit are asked about (op 3 failed before committing)
    expect(api.operationDiff).toHaveBeenCalledWith('demo', 2);
    expect(api.operationDiff).toHaveBeenCalledWith('demo', 1);
    expect(api.operationDiff).not.toHaveBeenCalledWith('demo', 3);

    const started = within(pull).getByTestId('op-started');
    expect(started.tagName).toBe('TIME');
    expect(started).toHaveAttribute('datetime', '2024-11-01T10:00:00Z');
    expect(started).toHaveAttribute('title', absoluteTime('2024-11-01T10:00:00Z'));
    expect(started.textContent).toMatch(/ago|yesterday|^\d/);
    expect(within(screen.getByTestId('op-1')).getByTestId('op-started')).toHaveAttribute('title', new Date('2024-11-01T09:00:00Z').toLocaleString());

    // the commit opens its diff
    await user.click(within(pull).getByTestId('op-commit'));
    expect(await screen.findByTestId('operation-detail')).toBeInTheDocument();
    expect(await screen.findByTestId('detail-files')).toHaveTextContent('Switch/leaf-01');
  });

  test('an empty log says so; a failed load offers a retry', async () => {
    const user = userEvent.setup();
    vi.mocked(api.operationLog).mockRejectedValueOnce(new api.BackendError('storage', 'database is locked')).mockResolvedValue([]);
    render(App);
    await user.click(await screen.findByTestId('tab-history'));
    expect(await screen.findByRole('alert')).toHaveTextContent('database is locked');
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('history-empty')).toBeInTheDocument();
  });
});
