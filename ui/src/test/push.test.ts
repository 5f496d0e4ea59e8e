import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import Toasts from '../components/Toasts.svelte';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import PushDialog from '../views/push/PushDialog.svelte';
import { firstLine, suggestBranch } from '../views/push/propose';
import { makeDiffs, makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const SHA = '0123456789abcdef0123456789abcdef01234567';

beforeEach(() => {
  resetState();
  app.selected = 'demo';
  vi.mocked(api.draftDiffs).mockResolvedValue(makeDiffs());
});

test('lists the changes with their diffs and prefills the commit message with a summary', async () => {
  render(PushDialog, { fabric: 'demo', onclose: () => {} });
  const message = (await screen.findByTestId('push-message')) as HTMLTextAreaElement;
  expect(message.value).toBe(
    'hhsync: 2 modified, 1 created in fabric demo\n\n- modified Server/server-03\n- modified Switch/leaf-01\n- created VPC/vpc-1',
  );
  expect(screen.getByTestId('push-change-Switch-leaf-01')).toHaveAttribute('data-change', 'modified');
  expect(screen.getByLabelText('Diff of Switch/leaf-01')).toHaveTextContent('+b');
});

test('unticking a change updates the prefilled message, until the user edits it', async () => {
  const user = userEvent.setup();
  render(PushDialog, { fabric: 'demo', onclose: () => {} });
  const message = (await screen.findByTestId('push-message')) as HTMLTextAreaElement;
  await user.click(screen.getByLabelText('Include VPC/vpc-1'));
  expect(message.value).toMatch(/^hhsync: 2 modified in fabric demo\n/);
  await user.clear(message);
  await user.type(message, 'My own words');
  await user.click(screen.getByLabelText('Include VPC/vpc-1'));
  expect(message.value).toBe('My own words');
});

test('Push sends message, branch and the chosen changes, then shows the commit', async () => {
  const user = userEvent.setup();
  vi.mocked(api.push).mockResolvedValue({
    fabric: 'demo',
    operation_id: 9,
    commit: SHA,
    branch: 'hhsync/vlans',
    pushed: [
      { kind: 'Switch', name: 'leaf-01', change: 'modified' },
      { kind: 'Server', name: 'server-03', change: 'modified' },
    ],
    retries: 0,
    proposal_id: null,
  });
  render(PushDialog, { fabric: 'demo', onclose: () => {} });
  render(Toasts);
  await screen.findByTestId('push-message');
  await user.click(screen.getByLabelText('Include VPC/vpc-1'));
  await user.type(screen.getByTestId('push-branch-input'), 'hhsync/vlans');
  await user.click(screen.getByTestId('btn-push-confirm'));
  expect(api.push).toHaveBeenCalledWith('demo', {
    message: expect.stringMatching(/^hhsync: 2 modified in fabric demo/),
    branch: 'hhsync/vlans',
    only: ['Switch/leaf-01', 'Server/server-03'],
  });
  const result = await screen.findByTestId('push-result');
  expect(result).toHaveTextContent(SHA);
  expect(screen.getByTestId('push-branch')).toHaveTextContent('hhsync/vlans');
  expect(await screen.findByTestId('toast')).toHaveTextContent('Pushed 2 changes to hhsync/vlans');
});

test('pushing everything sends no `only`', async () => {
  const user = userEvent.setup();
  vi.mocked(api.push).mockResolvedValue({ fabric: 'demo', operation_id: 1, commit: SHA, branch: 'main', pushed: [], retries: 0, proposal_id: null });
  render(PushDialog, { fabric: 'demo', onclose: () => {} });
  await screen.findByTestId('push-message');
  await user.click(screen.getByTestId('btn-push-confirm'));
  await waitFor(() => expect(api.push).toHaveBeenCalled());
  expect(vi.mocked(api.push).mock.calls[0][1]).toMatchObject({ branch: undefined, only: undefined });
});

test('a rejected push keeps the dialog open with advice', async () => {
  const user = userEvent.setup();
  vi.mocked(api.push).mockRejectedValue(new api.BackendError('auth-failed', 'authentication required'));
  render(PushDialog, { fabric: 'demo', onclose: () => {} });
  await screen.findByTestId('push-message');
  await user.click(screen.getByTestId('btn-push-confirm'));
  const error = await screen.findByTestId('push-error');
  expect(error).toHaveTextContent('authentication required');
  expect(error).toHaveTextContent('credentials');
  expect(screen.getByTestId('btn-push-confirm')).toBeEnabled();
});

test('a push blocked by a conflict and an invalid field lists them in the app\'s own words', async () => {
  const user = userEvent.setup();
  const blocked = [
    { kind: 'Switch', name: 'leaf-01', fabric: 'demo', reason: { type: 'conflict' as const } },
    { kind: 'VPC', name: 'vpc-1', fabric: 'demo', reason: { type: 'invalid' as const, path: 'spec.subnets', line: 7, message: 'at least 1 subnet' } },
  ];
  const text = 'not pushing; fix these first (or push with --allow-invalid for validation errors): … (hhsync conflicts demo)';
  vi.mocked(api.push).mockRejectedValue(new api.BackendError('blocked', text, 'push', blocked));
  render(PushDialog, { fabric: 'demo', onclose: () => {} });
  await screen.findByTestId('push-message');
  await user.click(screen.getByTestId('btn-push-confirm'));
  const list = await screen.findByTestId('push-blocked');
  expect(list.querySelectorAll('li')).toHaveLength(2);
  expect(list).toHaveTextContent('Switch/leaf-01: an open conflict: resolve it in Conflicts');
  expect(list).toHaveTextContent('VPC/vpc-1: spec.subnets (line 7): at least 1 subnet');
  const error = screen.getByTestId('push-error');
  expect(error).not.toHaveTextContent('--allow-invalid');
  expect(error).not.toHaveTextContent('hhsync conflicts');
  expect(error).toHaveTextContent('Push blocked');
});

test('Escape closes the dialog', async () => {
  const user = userEvent.setup();
  const onclose = vi.fn();
  render(PushDialog, { fabric: 'demo', onclose });
  await screen.findByTestId('push-message');
  await user.keyboard('{Escape}');
  expect(onclose).toHaveBeenCalled();
});

describe('propose a change (pull request)', () => {
  const PR_URL = 'https://github.com/acme/infra/pull/12';
  const pushReport = (branch: string) => ({
    fabric: 'demo',
    operation_id: 9,
    commit: SHA,
    branch,
    pushed: [
      { kind: 'Switch', name: 'leaf-01', change: 'modified' },
      { kind: 'Server', name: 'server-03', change: 'modified' },
    ],
    retries: 0,
    proposal_id: 4,
  });

  test('the branch, title and body are prefilled; Propose sends them with the chosen changes', async () => {
    const user = userEvent.setup();
    vi.mocked(api.propose).mockResolvedValue({
      push: pushReport('hhsync/vlans'),
      pull_request: { fabric: 'demo', branch: 'hhsync/vlans', base: 'main', proposal_id: 4, number: 12, url: PR_URL, state: 'open', title: 'Change VLANs', operation_id: 9 },
      pull_request_error: null,
    });
    vi.mocked(api.openUrl).mockResolvedValue(null);
    render(PushDialog, { fabric: 'demo', onclose: () => {} });
    await screen.findByTestId('push-message');
    await user.click(screen.getByLabelText('Include VPC/vpc-1'));
    expect(screen.queryByTestId('propose-branch')).not.toBeInTheDocument();
    expect(screen.getByTestId('push-mode-direct')).toBeChecked();

    await user.click(screen.getByTestId('push-mode-propose'));
    expect(screen.queryByTestId('push-branch-input')).not.toBeInTheDocument();
    const branch = screen.getByTestId('propose-branch') as HTMLInputElement;
    const title = screen.getByTestId('propose-title') as HTMLInputElement;
    const body = screen.getByTestId('propose-body') as HTMLTextAreaElement;
    expect(branch.value).toMatch(/^hhsync\/demo-\d{8}-\d{4}$/);
    expect(title.value).toBe('hhsync: 2 modified in fabric demo');
    expect(body.value).toBe('Changes to fabric demo, proposed with hhsync:\n\n- modified `Server/server-03`\n- modified `Switch/leaf-01`');

    await user.clear(branch);
    await user.type(branch, 'hhsync/vlans');
    await user.clear(title);
    await user.type(title, 'Change VLANs');
    await user.click(screen.getByTestId('btn-propose-confirm'));
    expect(api.push).not.toHaveBeenCalled();
    expect(api.propose).toHaveBeenCalledWith('demo', {
      branch: 'hhsync/vlans',
      message: expect.stringMatching(/^hhsync: 2 modified in fabric demo/),
      only: ['Switch/leaf-01', 'Server/server-03'],
      title: 'Change VLANs',
      body: body.value,
    });

    const link = await screen.findByTestId('pr-link');
    expect(link).toHaveTextContent('#12 Change VLANs');
    expect(screen.getByTestId('push-branch')).toHaveTextContent('hhsync/vlans');
    expect(screen.getByTestId('push-commit')).toHaveTextContent(SHA);
    await user.click(link);
    expect(api.openUrl).toHaveBeenCalledWith(PR_URL);
  });

  test('an edited title stays when the message changes; the body follows the chosen changes', async () => {
    const user = userEvent.setup();
    render(PushDialog, { fabric: 'demo', onclose: () => {} });
    await screen.findByTestId('push-message');
    await user.click(screen.getByTestId('push-mode-propose'));
    const title = screen.getByTestId('propose-title') as HTMLInputElement;
    await user.clear(title);
    await user.type(title, 'Mine');
    await user.click(screen.getByLabelText('Include Switch/leaf-01'));
    expect(title.value).toBe('Mine');
    expect((screen.getByTestId('propose-body') as HTMLTextAreaElement).value).not.toContain('leaf-01');
  });

  test('pushed but no pull request: shows the branch and why, with advice', async () => {
    const user = userEvent.setup();
    vi.mocked(api.propose).mockResolvedValue({
      push: pushReport('hhsync/demo-20261201-1030'),
      pull_request: null,
      pull_request_error: { code: 'git-hub', message: 'not a GitHub repository: git.example' },
    });
    render(PushDialog, { fabric: 'demo', onclose: () => {} });
    render(Toasts);
    await screen.findByTestId('push-message');
    await user.click(screen.getByTestId('push-mode-propose'));
    await user.click(screen.getByTestId('btn-propose-confirm'));
    const error = await screen.findByTestId('pr-error');
    expect(error).toHaveTextContent('Pushed to branch hhsync/demo-20261201-1030; the pull request could not be opened: not a GitHub repository: git.example');
    expect(error).toHaveTextContent("token's access");
    expect(screen.queryByTestId('pr-link')).not.toBeInTheDocument();
    expect(vi.mocked(api.propose).mock.calls[0][1]).toMatchObject({ only: undefined });
    expect(await screen.findByTestId('toast')).toHaveAttribute('data-tone', 'warn');
  });

  test('a refused propose keeps the dialog open with advice', async () => {
    const user = userEvent.setup();
    vi.mocked(api.propose).mockRejectedValue(new api.BackendError('already-exists', 'branch hhsync/x exists on the remote'));
    render(PushDialog, { fabric: 'demo', onclose: () => {} });
    await screen.findByTestId('push-message');
    await user.click(screen.getByTestId('push-mode-propose'));
    await user.click(screen.getByTestId('btn-propose-confirm'));
    const error = await screen.findByTestId('push-error');
    expect(error).toHaveTextContent('branch hhsync/x exists on the remote');
    expect(error).toHaveTextContent('choose another one');
    expect(screen.getByTestId('btn-propose-confirm')).toBeEnabled();
  });

  test('the suggested branch: the fabric and the local time, safe for Git', () => {
    const at = new Date(2026, 11, 1, 9, 5);
    expect(suggestBranch('demo', at)).toBe('hhsync/demo-20261201-0905');
    expect(suggestBranch('my fabric/1', at)).toBe('hhsync/my-fabric-1-20261201-0905');
    expect(firstLine('\n  Title here \nbody')).toBe('Title here');
  });
});

test('with conflicts open, Push and Propose wait, and the link goes to Conflicts', async () => {
  const user = userEvent.setup();
  const data = new FabricData('demo');
  data.overview = makeOverview({ counts: { synced: 40, modified: 2, new: 0, deleted: 0, conflict: 1, invalid: 0 }, drafts: 3 });
  app.data = { demo: data };
  app.dialog = 'push';
  render(PushDialog, { fabric: 'demo', onclose: () => {} });
  await screen.findByTestId('push-message');
  expect(screen.getByTestId('push-conflicts')).toHaveTextContent('A conflict is open: push waits until it is resolved.');
  expect(screen.getByTestId('btn-push-confirm')).toBeDisabled();
  await user.click(screen.getByTestId('push-mode-propose'));
  expect(screen.getByTestId('btn-propose-confirm')).toBeDisabled();
  await user.click(screen.getByTestId('push-resolve-first'));
  expect(app.dialog).toBeNull();
  expect(app.view).toBe('conflicts');
  expect(api.push).not.toHaveBeenCalled();
});
