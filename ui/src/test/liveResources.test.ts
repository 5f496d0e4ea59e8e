// The third state in the resource table and on a resource: the Live column and its filter (hidden
// without a cluster), the rows of resources only on the cluster (in the table's order, opening the
// drift panel), the drift panel (state, fields, both texts in the side-by-side diff, Adopt), and
// the editor's Live button.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import Toasts from '../components/Toasts.svelte';
import * as api from '../lib/api';
import { buildRows } from '../lib/filter';
import { driftText, withLive } from '../lib/live';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import { ResourceDraft } from '../lib/state/resource.svelte';
import type { ResourceSummary, Status } from '../lib/types';
import Editor from '../views/editor/Editor.svelte';
import Resources from '../views/resources/Resources.svelte';
import { drifted, makeDrift } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

function summary(kind: string, name: string, status: Status = 'synced'): ResourceSummary {
  return { kind, name, status, path: `managed/${kind.toLowerCase()}s/${name}.yaml`, errors: [], warnings: [] };
}

/** Git's resources: VPC/vpc-1 is a new draft; vpc-10 sorts after the cluster's vpc-9. */
const RESOURCES = [
  summary('Switch', 'leaf-01'),
  summary('Switch', 'leaf-02'),
  summary('VPC', 'vpc-1', 'new'),
  summary('VPC', 'vpc-10'),
  summary('Server', 'server-01'),
];

const WANTED = 'spec:\n  description: uplink to spine\n  role: server-leaf\n';
const LIVE = 'spec:\n  description: changed by hand\n  role: server-leaf\n';

let data: FabricData;

beforeEach(async () => {
  resetState();
  vi.mocked(api.listResources).mockResolvedValue(RESOURCES);
  data = new FabricData('demo');
  app.data = { demo: data };
  app.selected = 'demo';
  app.view = 'resources';
  await data.loadResources();
});

function linked() {
  vi.mocked(api.clusterLink).mockResolvedValue({ kubeconfig: '/k', context: null, namespace: null });
  vi.mocked(api.drift).mockResolvedValue(makeDrift());
}

const rowIds = () =>
  [...screen.getByTestId('resources-table').querySelectorAll('[data-testid^="row-"]')].map((r) => r.getAttribute('data-testid'));

describe('the rows with their live state', () => {
  test('each state in a few words', () => {
    expect(driftText(drifted('A', 'a', { state: 'differs', fields: ['x', 'y'] }))).toBe('differs: 2 fields');
    expect(driftText(drifted('A', 'a', { state: 'differs', fields: ['x'] }))).toBe('differs: 1 field');
    expect(driftText(drifted('A', 'a', { state: 'not-applied' }))).toBe('not applied');
    expect(driftText(drifted('A', 'a', { state: 'only-on-cluster' }))).toBe('only on cluster');
    expect(driftText(drifted('A', 'a'))).toBe('in sync');
  });

  test('only-on-cluster rows join at their place: drafts first, then kind and name in natural order', () => {
    const rows = withLive(buildRows(RESOURCES), makeDrift());
    expect(rows.map((r) => r.id)).toEqual(['VPC/vpc-1', 'Server/server-01', 'Switch/leaf-01', 'Switch/leaf-02', 'VPC/vpc-9', 'VPC/vpc-10']);
    const vpc9 = rows.find((r) => r.id === 'VPC/vpc-9')!;
    expect(vpc9.status).toBeNull();
    expect(vpc9.resource).toBeNull();
    expect(rows.find((r) => r.id === 'Switch/leaf-02')!.drift?.fields).toEqual(['spec.description', 'spec.portSpeeds.E1/1']);
    // no report: the rows as they were
    expect(withLive(buildRows(RESOURCES), null).every((r) => r.drift === undefined)).toBe(true);
  });
});

describe('the resource table', () => {
  test('no cluster linked: no Live column, no Live filter, no extra rows', async () => {
    render(Resources, { data });
    await waitFor(() => expect(api.clusterLink).toHaveBeenCalledWith('demo'));
    expect(screen.queryByTestId('col-live')).not.toBeInTheDocument();
    expect(screen.queryByTestId('filter-live')).not.toBeInTheDocument();
    expect(screen.queryByTestId('live-Switch-leaf-01')).not.toBeInTheDocument();
    expect(screen.queryByTestId('btn-adopt-all')).not.toBeInTheDocument();
    expect(screen.getByTestId('row-count')).toHaveTextContent('5 of 5');
    expect(api.drift).not.toHaveBeenCalled();
  });

  test('the Live column: each row\'s state with an icon and short words; the rows only on the cluster are there too', async () => {
    linked();
    render(Resources, { data });
    expect(await screen.findByTestId('col-live')).toHaveTextContent('Live');
    const differs = screen.getByTestId('live-Switch-leaf-02');
    expect(differs).toHaveAttribute('data-state', 'differs');
    expect(differs).toHaveTextContent('differs: 2 fields');
    expect(differs.querySelector('[data-icon]')).toHaveAttribute('data-icon', 'diff');
    expect(screen.getByTestId('live-Switch-leaf-01')).toHaveTextContent('in sync');
    expect(screen.getByTestId('live-VPC-vpc-1')).toHaveTextContent('not applied');
    expect(screen.getByTestId('live-Server-server-01')).toHaveAttribute('data-state', 'unknown');
    // not in the report: unknown
    expect(screen.getByTestId('live-VPC-vpc-10')).toHaveAttribute('data-state', 'unknown');

    expect(rowIds()).toEqual(['row-VPC-vpc-1', 'row-Server-server-01', 'row-Switch-leaf-01', 'row-Switch-leaf-02', 'row-VPC-vpc-9', 'row-VPC-vpc-10']);
    const only = screen.getByTestId('row-VPC-vpc-9');
    expect(only).not.toHaveAttribute('data-status');
    expect(only).toHaveTextContent('not in Git');
    expect(screen.getByTestId('live-VPC-vpc-9')).toHaveTextContent('only on cluster');
    expect(screen.getByTestId('row-count')).toHaveTextContent('6 of 6');
  });

  test('the Live filter keeps the rows in that state; a stale one does nothing once the link is gone', async () => {
    const user = userEvent.setup();
    linked();
    render(Resources, { data });
    const filter = await screen.findByTestId('filter-live');
    expect([...filter.querySelectorAll('option')].map((o) => o.value)).toEqual(['', 'in-sync', 'differs', 'not-applied', 'only-on-cluster', 'unknown']);
    await user.selectOptions(filter, 'differs');
    expect(rowIds()).toEqual(['row-Switch-leaf-02']);
    expect(screen.getByTestId('row-count')).toHaveTextContent('1 of 6');
    expect(data.filter.live).toBe('differs');
    await user.selectOptions(filter, 'only-on-cluster');
    expect(rowIds()).toEqual(['row-VPC-vpc-9']);
    await user.selectOptions(filter, 'unknown');
    expect(rowIds()).toEqual(['row-Server-server-01', 'row-VPC-vpc-10']);
    await user.selectOptions(filter, '');
    expect(screen.getByTestId('row-count')).toHaveTextContent('6 of 6');

    await user.selectOptions(filter, 'differs');
    vi.mocked(api.clusterLink).mockResolvedValue(null);
    await data.loadLive();
    await waitFor(() => expect(screen.queryByTestId('filter-live')).not.toBeInTheDocument());
    expect(screen.getByTestId('row-count')).toHaveTextContent('5 of 5');
  });

  test('a row only on the cluster opens its drift, not the editor; Adopt all is in the toolbar', async () => {
    const user = userEvent.setup();
    linked();
    vi.mocked(api.liveView).mockResolvedValue({ kind: 'VPC', name: 'vpc-9', wanted: null, live: 'spec:\n  vlanNamespace: default\n', against_draft: false, snapshot_at: null });
    vi.mocked(api.adopt).mockResolvedValue([]);
    render(Resources, { data });
    await user.click(await screen.findByTestId('row-VPC-vpc-9'));
    const panel = await screen.findByTestId('drift-panel');
    expect(within(panel).getByTestId('drift-state')).toHaveAttribute('data-state', 'only-on-cluster');
    expect(app.view).toBe('resources');
    expect(app.editing).toBeNull();
    await user.click(screen.getByTestId('btn-close'));
    expect(screen.queryByTestId('drift-panel')).not.toBeInTheDocument();

    expect(screen.getByTestId('btn-adopt-all')).toHaveTextContent('Adopt 1 only on cluster');
    await user.click(screen.getByTestId('btn-adopt-all'));
    expect(api.adopt).toHaveBeenCalledWith('demo', []);
  });

  test('Enter on a synced row still opens the editor; l shows its drift', async () => {
    const user = userEvent.setup();
    linked();
    vi.mocked(api.liveView).mockResolvedValue({ kind: 'Switch', name: 'leaf-01', wanted: WANTED, live: WANTED, against_draft: false, snapshot_at: null });
    render(Resources, { data });
    await screen.findByTestId('col-live');
    screen.getByTestId('row-VPC-vpc-1').focus();
    await user.keyboard('{ArrowDown}{ArrowDown}l');
    expect(await screen.findByTestId('drift-panel')).toHaveAccessibleName('Live state of Switch/leaf-01');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('drift-panel')).not.toBeInTheDocument());
    screen.getByTestId('row-Switch-leaf-01').focus();
    await user.keyboard('{Enter}');
    expect(app.view).toBe('editor');
    expect(app.editing?.name).toBe('leaf-01');
  });
});

describe('the drift panel', () => {
  test('from the Live cell: the state, the fields that differ, and Git next to the cluster in the diff', async () => {
    const user = userEvent.setup();
    linked();
    vi.mocked(api.liveView).mockResolvedValue({ kind: 'Switch', name: 'leaf-02', wanted: WANTED, live: LIVE, against_draft: false, snapshot_at: null });
    render(Resources, { data });
    await user.click(await screen.findByTestId('live-Switch-leaf-02'));
    const panel = await screen.findByTestId('drift-panel');
    expect(app.view).toBe('resources');
    expect(api.liveView).toHaveBeenCalledWith('demo', 'Switch', 'leaf-02');
    expect(within(panel).getByTestId('drift-state')).toHaveTextContent('differs: 2 fields');
    expect(panel).toHaveTextContent('compared with Git');
    expect(within(panel).getByTestId('drift-snapshot')).toHaveTextContent('2 minutes ago');
    const fields = within(panel).getByTestId('drift-fields');
    expect([...fields.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['spec.description', 'spec.portSpeeds.E1/1']);
    const diff = await within(panel).findByTestId('drift-diff');
    const panes = [...diff.querySelectorAll('.cm-content')].map((c) => c.textContent);
    expect(panes).toHaveLength(2);
    expect(panes[0]).toContain('description: uplink to spine');
    expect(panes[1]).toContain('description: changed by hand');
    expect(diff).toHaveTextContent('Git');
    expect(diff).toHaveTextContent('Cluster (live)');
    expect(within(panel).queryByTestId('btn-adopt')).not.toBeInTheDocument();
  });

  test('against a draft it says so', async () => {
    const user = userEvent.setup();
    linked();
    vi.mocked(api.liveView).mockResolvedValue({ kind: 'VPC', name: 'vpc-1', wanted: WANTED, live: null, against_draft: true, snapshot_at: null });
    render(Resources, { data });
    await user.click(await screen.findByTestId('live-VPC-vpc-1'));
    const panel = await screen.findByTestId('drift-panel');
    expect(panel).toHaveTextContent('compared with the draft');
    expect(await within(panel).findByTestId('drift-diff')).toHaveTextContent('Cluster: not running');
    expect(within(panel).queryByTestId('drift-fields')).not.toBeInTheDocument();
  });

  test('Adopt as draft adopts that resource and opens the new draft', async () => {
    const user = userEvent.setup();
    linked();
    vi.mocked(api.liveView).mockResolvedValue({ kind: 'VPC', name: 'vpc-9', wanted: null, live: 'spec:\n  vlanNamespace: default\n', against_draft: false, snapshot_at: null });
    vi.mocked(api.adopt).mockResolvedValue([{ kind: 'VPC', name: 'vpc-9', status: 'new', path: 'managed/vpcs/vpc-9.yaml', errors: [], warnings: [] }]);
    render(Resources, { data });
    render(Toasts);
    await user.click(await screen.findByTestId('row-VPC-vpc-9'));
    await user.click(await screen.findByTestId('btn-adopt'));
    expect(api.adopt).toHaveBeenCalledWith('demo', ['VPC/vpc-9']);
    expect(await screen.findByTestId('toast')).toHaveTextContent('Adopted VPC/vpc-9 as a draft');
    expect(app.view).toBe('editor');
    expect(app.editing?.kind).toBe('VPC');
    expect(app.editing?.name).toBe('vpc-9');
  });

  test('a failed adopt says why, and the panel stays', async () => {
    const user = userEvent.setup();
    linked();
    vi.mocked(api.liveView).mockResolvedValue({ kind: 'VPC', name: 'vpc-9', wanted: null, live: 'x: 1\n', against_draft: false, snapshot_at: null });
    vi.mocked(api.adopt).mockRejectedValue(new api.BackendError('busy', 'a pull is running'));
    render(Resources, { data });
    render(Toasts);
    await user.click(await screen.findByTestId('row-VPC-vpc-9'));
    await user.click(await screen.findByTestId('btn-adopt'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('Fabric busy');
    expect(screen.getByTestId('drift-panel')).toBeInTheDocument();
    expect(app.view).toBe('resources');
  });
});

describe('the editor', () => {
  test('Live opens the drift panel of the resource; without a cluster it says how to link one', async () => {
    const user = userEvent.setup();
    vi.mocked(api.getResource).mockResolvedValue({ ...summary('Switch', 'leaf-02'), legacy: false, blob: null, commit: null, text: WANTED, draft_text: null });
    vi.mocked(api.checkText).mockResolvedValue({ errors: [], warnings: [] });
    const draft = new ResourceDraft('demo', 'Switch', 'leaf-02');
    await draft.load();
    render(Editor, { draft });
    await user.click(screen.getByTestId('btn-live'));
    const panel = await screen.findByTestId('drift-panel');
    expect(await within(panel).findByTestId('live-not-linked')).toBeInTheDocument();
    expect(within(panel).queryByRole('alert')).not.toBeInTheDocument();
    await user.click(within(panel).getByRole('button', { name: 'Link a cluster…' }));
    expect(app.view).toBe('overview');
    expect(data.live.settingsWanted).toBe(true);
  });

  test('with a cluster, Live names the state and shows the drift', async () => {
    const user = userEvent.setup();
    linked();
    await data.loadLive();
    vi.mocked(api.getResource).mockResolvedValue({ ...summary('Switch', 'leaf-02'), legacy: false, blob: null, commit: null, text: WANTED, draft_text: null });
    vi.mocked(api.checkText).mockResolvedValue({ errors: [], warnings: [] });
    vi.mocked(api.liveView).mockResolvedValue({ kind: 'Switch', name: 'leaf-02', wanted: WANTED, live: LIVE, against_draft: false, snapshot_at: null });
    const draft = new ResourceDraft('demo', 'Switch', 'leaf-02');
    await draft.load();
    render(Editor, { draft });
    expect(screen.getByTestId('btn-live')).toHaveTextContent('Live: differs');
    await user.click(screen.getByTestId('btn-live'));
    const panel = await screen.findByTestId('drift-panel');
    expect(within(panel).getByTestId('drift-state')).toHaveAttribute('data-state', 'differs');
    expect(api.liveView).toHaveBeenCalledWith('demo', 'Switch', 'leaf-02');
  });
});
