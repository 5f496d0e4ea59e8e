import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import App from '../App.svelte';
import Toasts from '../components/Toasts.svelte';
import * as api from '../lib/api';
import { buildRows } from '../lib/filter';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import type { ProposalView, ResourceSummary } from '../lib/types';
import Proposals from '../views/proposals/Proposals.svelte';
import { branchId, ordered, proposalsOf, resetProposals } from '../views/proposals/proposals.svelte';
import ResourceTable from '../views/resources/ResourceTable.svelte';
import { makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const PR_URL = 'https://github.com/acme/infra/pull/12';

function proposal(partial: Partial<ProposalView> & { id: number; branch: string }): ProposalView {
  return {
    commit_id: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    base_commit: null,
    created_at: '2026-11-30T10:00:00Z',
    state: 'open',
    pr_url: null,
    pr_number: null,
    resources: [],
    pr_state: null,
    pr_checked_at: null,
    ...partial,
  };
}

const LIST: ProposalView[] = [
  proposal({ id: 1, branch: 'hhsync/demo-old', state: 'merged', pr_number: 10, pr_url: 'https://github.com/acme/infra/pull/10', pr_state: 'merged', resources: ['VPC/vpc-1'] }),
  proposal({
    id: 2,
    branch: 'hhsync/demo-vlans',
    created_at: '2026-12-01T09:00:00Z',
    pr_number: 12,
    pr_url: PR_URL,
    pr_state: 'open',
    pr_checked_at: '2026-12-01T09:30:00Z',
    resources: ['Switch/leaf-01', 'Server/server-03'],
  }),
  proposal({ id: 3, branch: 'hhsync/demo-dropped', state: 'abandoned', resources: ['Switch/leaf-02'] }),
];

beforeEach(() => {
  resetState();
  resetProposals();
});

describe('proposals panel', () => {
  let data: FabricData;

  beforeEach(() => {
    data = new FabricData('demo');
    app.data = { demo: data };
    app.selected = 'demo';
    vi.mocked(api.proposals).mockResolvedValue(LIST);
  });

  test('lists the proposals, open first, with branch, pull request, state, age and resources', async () => {
    const user = userEvent.setup();
    vi.mocked(api.openUrl).mockResolvedValue(null);
    render(Proposals, { data });
    const panel = await screen.findByTestId('proposals');
    await waitFor(() => expect(within(panel).getAllByTestId(/^proposal-hhsync-/)).toHaveLength(3));
    expect(api.proposals).toHaveBeenCalledWith('demo');
    const rows = within(panel).getAllByTestId(/^proposal-hhsync-[a-z-]+$/);
    expect(rows.map((r) => r.dataset.testid)).toEqual(['proposal-hhsync-demo-vlans', 'proposal-hhsync-demo-dropped', 'proposal-hhsync-demo-old']);

    const open = screen.getByTestId('proposal-hhsync-demo-vlans');
    expect(open).toHaveTextContent('hhsync/demo-vlans');
    expect(open).toHaveTextContent('Switch/leaf-01, Server/server-03');
    expect(open).toHaveTextContent('PR open, checked');
    expect(screen.getByTestId('proposal-state-hhsync-demo-vlans')).toHaveTextContent('open');
    expect(screen.getByTestId('proposal-state-hhsync-demo-old')).toHaveTextContent('merged');
    // only an open proposal can be abandoned
    expect(screen.getByTestId('proposal-abandon-hhsync-demo-vlans')).toBeInTheDocument();
    expect(screen.queryByTestId('proposal-abandon-hhsync-demo-old')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('proposal-hhsync-demo-dropped')).getByText('none')).toBeInTheDocument();

    await user.click(screen.getByTestId('proposal-pr-hhsync-demo-vlans'));
    expect(api.openUrl).toHaveBeenCalledWith(PR_URL);
    expect(screen.getByTestId('proposal-pr-hhsync-demo-vlans').tagName).toBe('BUTTON');
  });

  test('no proposals: says how to make one', async () => {
    vi.mocked(api.proposals).mockResolvedValue([]);
    render(Proposals, { data });
    expect(await screen.findByTestId('proposals-empty')).toHaveTextContent('Propose a change (pull request)');
  });

  test('Refresh asks GitHub, shows it is busy, and shows the new states', async () => {
    const user = userEvent.setup();
    let answer: (v: ProposalView[]) => void = () => {};
    vi.mocked(api.refreshProposals).mockImplementation(() => new Promise((r) => (answer = r)));
    render(Proposals, { data });
    render(Toasts);
    await screen.findByTestId('proposal-hhsync-demo-vlans');
    await user.click(screen.getByTestId('proposals-refresh'));
    expect(api.refreshProposals).toHaveBeenCalledWith('demo');
    expect(screen.getByTestId('proposals-refresh')).toBeDisabled();
    expect(screen.getByTestId('proposals-refresh')).toHaveTextContent('Refreshing…');
    answer(LIST.map((p) => (p.id === 2 ? { ...p, state: 'merged', pr_state: 'merged' } : p)));
    await waitFor(() => expect(screen.getByTestId('proposal-state-hhsync-demo-vlans')).toHaveTextContent('merged'));
    expect(screen.getByTestId('proposals-refresh')).toBeEnabled();
    expect(screen.queryByTestId('proposal-abandon-hhsync-demo-vlans')).not.toBeInTheDocument();
    expect(await screen.findByTestId('toast')).toHaveTextContent('#12 merged');
  });

  test('a failed refresh keeps the list and says what to do', async () => {
    const user = userEvent.setup();
    vi.mocked(api.refreshProposals).mockRejectedValue(new api.BackendError('rate-limited', 'API rate limit exceeded'));
    render(Proposals, { data });
    await screen.findByTestId('proposal-hhsync-demo-vlans');
    await user.click(screen.getByTestId('proposals-refresh'));
    const error = await screen.findByTestId('proposals-error');
    expect(error).toHaveTextContent('Rate limited: API rate limit exceeded');
    expect(error).toHaveTextContent('wait a few minutes');
    expect(screen.getByTestId('proposal-hhsync-demo-vlans')).toBeInTheDocument();
  });

  test('Abandon asks first; Cancel changes nothing, confirming abandons and reloads', async () => {
    const user = userEvent.setup();
    render(Proposals, { data });
    await screen.findByTestId('proposal-hhsync-demo-vlans');
    vi.mocked(api.abandonProposal).mockImplementation(async (_f, branch) => {
      const p = LIST.find((x) => x.branch === branch)!;
      vi.mocked(api.proposals).mockResolvedValue(LIST.map((x) => (x === p ? { ...x, state: 'abandoned' } : x)));
      return { ...p, state: 'abandoned' };
    });

    await user.click(screen.getByTestId('proposal-abandon-hhsync-demo-vlans'));
    expect(screen.getByTestId('confirm-dialog')).toHaveTextContent('pull request #12');
    await user.click(within(screen.getByTestId('confirm-dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument();
    expect(api.abandonProposal).not.toHaveBeenCalled();

    await user.click(screen.getByTestId('proposal-abandon-hhsync-demo-vlans'));
    await user.click(screen.getByTestId('btn-confirm'));
    expect(api.abandonProposal).toHaveBeenCalledWith('demo', 'hhsync/demo-vlans');
    await waitFor(() => expect(screen.getByTestId('proposal-state-hhsync-demo-vlans')).toHaveTextContent('abandoned'));
    expect(screen.queryByTestId('proposal-abandon-hhsync-demo-vlans')).not.toBeInTheDocument();
  });

  test('a refused abandon says why', async () => {
    const user = userEvent.setup();
    vi.mocked(api.abandonProposal).mockRejectedValue(new api.BackendError('busy', 'fabric demo is busy'));
    render(Proposals, { data });
    await user.click(await screen.findByTestId('proposal-abandon-hhsync-demo-vlans'));
    await user.click(screen.getByTestId('btn-confirm'));
    expect(await screen.findByTestId('proposals-abandon-error')).toHaveTextContent('Fabric busy: fabric demo is busy');
  });

  test('helpers: open first, then newest (the later id at the same time), branch ids', () => {
    expect(ordered(LIST).map((p) => p.id)).toEqual([2, 3, 1]);
    expect(branchId('hhsync/a/b')).toBe('hhsync-a-b');
  });
});

describe('the PR mark in the resources table', () => {
  const resources: ResourceSummary[] = [
    { kind: 'Switch', name: 'leaf-01', status: 'modified', path: 'managed/switches/leaf-01.yaml', errors: [], warnings: [] },
    { kind: 'Server', name: 'server-03', status: 'synced', path: 'managed/servers/server-03.yaml', errors: [], warnings: [] },
    { kind: 'VPC', name: 'vpc-1', status: 'new', path: 'managed/vpcs/vpc-1.yaml', errors: [], warnings: [] },
  ];

  test('a draft in an open proposal shows its pull request number', async () => {
    vi.mocked(api.proposals).mockResolvedValue(LIST);
    render(ResourceTable, { rows: buildRows(resources), total: 3, onopen: () => {}, fabric: 'demo' });
    const mark = await screen.findByTestId('pr-mark-Switch-leaf-01');
    expect(mark).toHaveTextContent('PR #12');
    expect(mark).toHaveAttribute('title', 'Proposed on branch hhsync/demo-vlans');
    expect(api.proposals).toHaveBeenCalledWith('demo');
    // synced (no longer a draft), or only in a merged proposal: no mark
    expect(screen.queryByTestId('pr-mark-Server-server-03')).not.toBeInTheDocument();
    expect(screen.queryByTestId('pr-mark-VPC-vpc-1')).not.toBeInTheDocument();
  });

  test('the mark follows the proposals: a new one (after a propose) shows, an abandoned one goes', async () => {
    vi.mocked(api.proposals).mockResolvedValue([]);
    render(ResourceTable, { rows: buildRows(resources), total: 3, onopen: () => {}, fabric: 'demo' });
    await waitFor(() => expect(proposalsOf('demo').list).toEqual([]));
    expect(screen.queryByTestId('pr-mark-Switch-leaf-01')).not.toBeInTheDocument();
    vi.mocked(api.proposals).mockResolvedValue(LIST);
    await proposalsOf('demo').load();
    expect(await screen.findByTestId('pr-mark-Switch-leaf-01')).toHaveTextContent('PR #12');
    vi.mocked(api.proposals).mockResolvedValue(LIST.map((p) => ({ ...p, state: 'abandoned' })));
    await proposalsOf('demo').load();
    await waitFor(() => expect(screen.queryByTestId('pr-mark-Switch-leaf-01')).not.toBeInTheDocument());
  });

  test('proposals that fail to load leave the table without marks', async () => {
    vi.mocked(api.proposals).mockRejectedValue(new api.BackendError('storage', 'database is locked'));
    render(ResourceTable, { rows: buildRows(resources), total: 3, onopen: () => {}, fabric: 'demo' });
    await waitFor(() => expect(proposalsOf('demo').error).not.toBeNull());
    expect(screen.getByTestId('row-Switch-leaf-01')).toBeInTheDocument();
    expect(screen.queryByTestId(/^pr-mark-/)).not.toBeInTheDocument();
  });
});

describe('the Proposals tab', () => {
  beforeEach(() => {
    const demo = makeOverview().fabric;
    vi.mocked(api.appInfo).mockResolvedValue({ data_dir: '/d', version: '0.1.0', demo: { created: false, fabric: 'demo' } });
    vi.mocked(api.listRepositories).mockResolvedValue([{ id: 1, name: 'demo', url: '/d/demo/remote.git', branch: 'main', clone_dir: '/d/c', created_at: '' }]);
    vi.mocked(api.listFabrics).mockResolvedValue([demo]);
    vi.mocked(api.fabricOverview).mockResolvedValue(makeOverview());
    vi.mocked(api.proposals).mockResolvedValue(LIST);
  });

  test('shows the panel, and any other tab leaves it', async () => {
    const user = userEvent.setup();
    render(App);
    const tab = await screen.findByTestId('tab-proposals');
    expect(tab).toHaveAttribute('aria-selected', 'false');
    await user.click(tab);
    expect(tab).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByTestId('proposal-hhsync-demo-vlans')).toBeInTheDocument();
    expect(screen.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'false');

    // the arrow keys move between the tabs, this one included
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByTestId('tab-history')).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByTestId('proposals')).not.toBeInTheDocument();
    screen.getByTestId('tab-history').focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByTestId('tab-proposals')).toHaveAttribute('aria-selected', 'true');
    await user.click(screen.getByTestId('tab-overview'));
    expect(screen.queryByTestId('proposals')).not.toBeInTheDocument();
    expect(screen.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'true');
  });
});
