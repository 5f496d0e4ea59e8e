// History you can act on: an operation opens in detail with what its commit changed, and a
// push, ingest or revert that committed can be reverted after a confirmation.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import type { Operation, OperationDiff } from '../lib/types';
import { canRevert, restoreText, splitMessage } from '../views/history/history';
import { makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccccccccccccccccccccccc';

function op(partial: Partial<Operation> & { id: number }): Operation {
  return {
    kind: 'push',
    trigger: 'user',
    started_at: '2024-11-01T10:00:00Z',
    finished_at: '2024-11-01T10:00:05Z',
    status: 'succeeded',
    commit_before: A,
    commit_after: B,
    counts: {},
    error: null,
    error_code: null,
    pr_url: null,
    ...partial,
  };
}

const LOG: Operation[] = [
  op({ id: 6, kind: 'pull', commit_before: B, commit_after: C }),
  op({ id: 5, kind: 'push', commit_before: A, commit_after: B, pr_url: 'https://git.example/acme/infra/pull/12' }),
  op({ id: 4, kind: 'push', status: 'failed', commit_after: null, error: 'remote rejected' }),
  op({ id: 3, kind: 'ingest', status: 'attention', commit_before: null, commit_after: A }),
  op({ id: 2, kind: 'ingest', commit_before: A, commit_after: A }),
];

const DIFF: OperationDiff = {
  operation_id: 5,
  commit: B,
  parent: A,
  branch: null,
  message: 'Change VLAN of leaf-01\n\nPushed from hhsync.',
  author: 'Ada Lovelace <ada@example.org>',
  files: [
    {
      path: 'managed/switches/leaf-01.yaml',
      resource: 'Switch/leaf-01',
      change: 'modified',
      diff: '--- a/managed/switches/leaf-01.yaml\n+++ b/managed/switches/leaf-01.yaml\n@@ -1 +1 @@\n-vlan: 10\n+vlan: 20\n',
    },
    { path: 'managed/vpcs/vpc-9.yaml', resource: 'VPC/vpc-9', change: 'added', diff: '--- /dev/null\n+++ b/managed/vpcs/vpc-9.yaml\n@@ -0,0 +1 @@\n+name: vpc-9\n' },
    { path: 'notes.txt', resource: null, change: 'deleted', diff: '--- a/notes.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-hello\n' },
  ],
};

describe('history detail helpers', () => {
  test('revert is offered for succeeded or attention pushes, ingests and reverts that made a commit', () => {
    const eligible = (partial: Partial<Operation>) => canRevert(op({ id: 1, ...partial }));
    expect(eligible({})).toBe(true);
    expect(eligible({ kind: 'ingest', status: 'attention', commit_before: null })).toBe(true);
    expect(eligible({ kind: 'revert' })).toBe(true);
    expect(eligible({ kind: 'pull' })).toBe(false);
    expect(eligible({ kind: 'resolve' })).toBe(false);
    expect(eligible({ status: 'failed' })).toBe(false);
    expect(eligible({ status: 'running' })).toBe(false);
    expect(eligible({ status: 'interrupted' })).toBe(false);
    expect(eligible({ commit_after: null })).toBe(false);
    expect(eligible({ commit_after: A })).toBe(false);
  });

  test('a revert is worded as what it restores', () => {
    expect(restoreText({ path: 'a.yaml', change: 'modified' }, 5)).toBe('restores a.yaml as it was before #5');
    expect(restoreText({ path: 'b.yaml', change: 'deleted' }, 5)).toBe('restores b.yaml (deleted by #5)');
    expect(restoreText({ path: 'c.yaml', change: 'added' }, 5)).toBe('removes c.yaml (added by #5)');
    expect(splitMessage('Subject\n\nBody\nmore\n')).toEqual({ subject: 'Subject', body: 'Body\nmore' });
    expect(splitMessage(null)).toEqual({ subject: '', body: '' });
  });
});

describe('operation detail and revert', () => {
  beforeEach(() => {
    resetState();
    const demo = makeOverview().fabric;
    vi.mocked(api.appInfo).mockResolvedValue({ data_dir: '/d', version: '0.1.0', demo: { created: false, fabric: 'demo' } });
    vi.mocked(api.listRepositories).mockResolvedValue([{ id: 1, name: 'demo', url: '/d/demo/remote.git', branch: 'main', clone_dir: '/d/c', created_at: '' }]);
    vi.mocked(api.listFabrics).mockResolvedValue([demo]);
    vi.mocked(api.fabricOverview).mockResolvedValue(makeOverview());
    vi.mocked(api.operationLog).mockResolvedValue(LOG);
    vi.mocked(api.operationDiff).mockImplementation(async (_fabric, id) =>
      id === 5 ? DIFF : { operation_id: id, commit: null, parent: null, branch: null, message: null, author: null, files: [] },
    );
  });

  async function openHistory() {
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByTestId('tab-history'));
    await screen.findByTestId('history');
    return user;
  }

  test('clicking an operation loads operation_diff and shows its commit, files and diffs', async () => {
    const user = await openHistory();
    await user.click(screen.getByTestId('op-5'));
    const detail = await screen.findByTestId('operation-detail');
    expect(api.operationDiff).toHaveBeenCalledWith('demo', 5);

    expect(within(detail).getByTestId('detail-status')).toHaveTextContent('done');
    expect(within(detail).getByTestId('detail-status')).toHaveAttribute('title', 'Status: succeeded');
    expect(within(detail).getByTestId('detail-resources')).toHaveTextContent('Switch/leaf-01VPC/vpc-9');
    expect(within(detail).getByTestId('detail-trigger')).toHaveTextContent('by you');
    expect(within(detail).getByTestId('detail-started')).toHaveAttribute('title', new Date('2024-11-01T10:00:00Z').toLocaleString());
    const commit = await within(detail).findByTestId('detail-commit');
    expect(commit).toHaveTextContent('bbbbbbbb');
    expect(within(commit).getByTestId('detail-message')).toHaveTextContent('Change VLAN of leaf-01');
    expect(within(commit).getByTestId('detail-author')).toHaveTextContent('Ada Lovelace');
    expect(within(detail).getByTestId('detail-pr')).toHaveTextContent('https://git.example/acme/infra/pull/12');
    vi.mocked(api.openUrl).mockResolvedValue(null);
    await user.click(within(detail).getByTestId('btn-open-pr'));
    expect(api.openUrl).toHaveBeenCalledWith('https://git.example/acme/infra/pull/12');

    const files = within(detail).getAllByTestId('op-file');
    expect(files.map((f) => f.dataset.path)).toEqual(['managed/switches/leaf-01.yaml', 'managed/vpcs/vpc-9.yaml', 'notes.txt']);
    expect(files.map((f) => f.dataset.change)).toEqual(['modified', 'added', 'deleted']);
    expect(files[0]).toHaveTextContent('Switch/leaf-01');
    expect(files[0]).toHaveTextContent('modified');
    expect(within(files[0]).getByLabelText('Diff of managed/switches/leaf-01.yaml')).toHaveTextContent('-vlan: 10');
    expect(within(files[0]).getByLabelText('Diff of managed/switches/leaf-01.yaml')).toHaveTextContent('+vlan: 20');
    expect(files[2]).toHaveTextContent('notes.txt');

    // a diff folds and unfolds
    const toggle = within(files[0]).getByTestId('op-file-toggle');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(within(files[0]).queryByLabelText('Diff of managed/switches/leaf-01.yaml')).not.toBeInTheDocument();
    await user.click(toggle);
    expect(within(files[0]).getByLabelText('Diff of managed/switches/leaf-01.yaml')).toBeInTheDocument();

    await user.click(within(detail).getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('operation-detail')).not.toBeInTheDocument();
  });

  test('rows are focusable: Enter opens the detail, Escape closes it', async () => {
    const user = await openHistory();
    const row = screen.getByTestId('op-6');
    row.focus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByTestId('op-5')).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(await screen.findByTestId('operation-detail')).toBeInTheDocument();
    expect(api.operationDiff).toHaveBeenCalledWith('demo', 5);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('operation-detail')).not.toBeInTheDocument();
  });

  test('an operation without a commit says so, and offers no revert', async () => {
    const user = await openHistory();
    await user.click(screen.getByTestId('op-6'));
    const detail = await screen.findByTestId('operation-detail');
    // a pull committed, but a pull is not reverted from here
    expect(within(detail).queryByTestId('btn-revert')).not.toBeInTheDocument();
    expect(await within(detail).findByTestId('detail-no-commit')).toBeInTheDocument();
  });

  test('revert is offered only for eligible operations', async () => {
    const user = await openHistory();
    const offered: Record<number, boolean> = {};
    for (const id of [6, 5, 4, 3, 2]) {
      await user.click(screen.getByTestId(`op-${id}`));
      const detail = await screen.findByTestId('operation-detail');
      offered[id] = !!within(detail).queryByTestId('btn-revert');
      await user.keyboard('{Escape}');
      await waitFor(() => expect(screen.queryByTestId('operation-detail')).not.toBeInTheDocument());
    }
    expect(offered).toEqual({ 6: false, 5: true, 4: false, 3: true, 2: false });
  });

  test('confirming calls revert_operation with the id, toasts the new operation and reloads the history', async () => {
    vi.mocked(api.revertOperation).mockResolvedValue({
      fabric: 'demo',
      operation_id: 9,
      reverted_operation: 5,
      commit: C,
      files: ['managed/switches/leaf-01.yaml', 'managed/vpcs/vpc-9.yaml', 'notes.txt'],
    });
    const user = await openHistory();
    await user.click(screen.getByTestId('op-5'));
    await user.click(await screen.findByTestId('btn-revert'));

    const dialog = await screen.findByTestId('revert-dialog');
    expect(screen.queryByTestId('operation-detail')).not.toBeInTheDocument();
    const files = within(dialog).getByTestId('revert-files');
    expect(files).toHaveTextContent('restores managed/switches/leaf-01.yaml as it was before #5');
    expect(files).toHaveTextContent('removes managed/vpcs/vpc-9.yaml (added by #5)');
    expect(files).toHaveTextContent('restores notes.txt (deleted by #5)');
    expect(within(dialog).getByLabelText('Diff of managed/switches/leaf-01.yaml')).toHaveTextContent('+vlan: 20');

    // Escape steps back to the detail; Revert again comes back here
    await user.keyboard('{Escape}');
    expect(await screen.findByTestId('operation-detail')).toBeInTheDocument();
    expect(screen.queryByTestId('revert-dialog')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('btn-revert'));

    const calls = vi.mocked(api.operationLog).mock.calls.length;
    await user.click(await screen.findByTestId('btn-revert-confirm'));
    expect(api.revertOperation).toHaveBeenCalledWith('demo', 5);
    expect(await screen.findByTestId('toast')).toHaveTextContent('Reverted #5 as #9');
    await waitFor(() => expect(vi.mocked(api.operationLog).mock.calls.length).toBeGreaterThan(calls));
    expect(screen.queryByTestId('revert-dialog')).not.toBeInTheDocument();
    expect(screen.queryByTestId('operation-detail')).not.toBeInTheDocument();
  });

  test('a blocked revert shows the message naming the files, with advice, and keeps the dialog', async () => {
    vi.mocked(api.revertOperation).mockRejectedValue(
      new api.BackendError('revert-blocked', 'cannot revert #5: drafts on managed/switches/leaf-01.yaml; changed again since: notes.txt'),
    );
    const user = await openHistory();
    await user.click(screen.getByTestId('op-5'));
    await user.click(await screen.findByTestId('btn-revert'));
    await user.click(await screen.findByTestId('btn-revert-confirm'));

    const error = await screen.findByTestId('revert-error');
    expect(error).toHaveAttribute('data-code', 'revert-blocked');
    expect(error).toHaveTextContent('Revert blocked');
    expect(error).toHaveTextContent('managed/switches/leaf-01.yaml');
    expect(error).toHaveTextContent('notes.txt');
    expect(error).toHaveTextContent('push or discard the drafts of the files listed');
    expect(screen.getByTestId('revert-dialog')).toBeInTheDocument();
    expect(screen.queryByTestId('toast')).not.toBeInTheDocument();
    expect(screen.getByTestId('btn-revert-confirm')).toBeEnabled();
  });

  test('a failed load of the changes shows the error and retries', async () => {
    // fails until the backend answers again (the list asks for the same diff for its summary)
    let answering = false;
    const answer = vi.mocked(api.operationDiff).getMockImplementation()!;
    vi.mocked(api.operationDiff).mockImplementation(async (fabric, id) => {
      if (!answering) throw new api.BackendError('not-found', 'no operation 5');
      return answer(fabric, id);
    });
    const user = await openHistory();
    await user.click(screen.getByTestId('op-5'));
    expect(await screen.findByTestId('detail-load-error')).toHaveTextContent('no operation 5');
    answering = true;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('detail-commit')).toBeInTheDocument();
  });
});
