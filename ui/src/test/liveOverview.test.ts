// The third state on the overview: the Cluster settings (link, browse, save trimmed, errors,
// remove, read now), a fabric with no cluster (how to link one, never an error), the counts per
// drift state, the cluster's reachability, the switches to check and the wrong cabling, and what
// a `fabric-changed` of reason 'live' reloads (the stored snapshot, never the cluster).
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import type { ClusterLink, DriftReport } from '../lib/types';
import Overview from '../views/overview/Overview.svelte';
import { drifted, makeDrift, makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const LINK: ClusterLink = { kubeconfig: '/home/ada/.kube/fabric.yaml', context: 'lab', namespace: null };

let data: FabricData;

beforeEach(async () => {
  resetState();
  data = new FabricData('demo');
  app.data = { demo: data };
  app.selected = 'demo';
  vi.mocked(api.fabricOverview).mockResolvedValue(makeOverview());
  await data.loadOverview();
});

function linked(report: DriftReport = makeDrift()) {
  vi.mocked(api.clusterLink).mockResolvedValue(LINK);
  vi.mocked(api.drift).mockResolvedValue(report);
}

test('no cluster linked: a line says how to link one, and no error shows', async () => {
  render(Overview, { data });
  const summary = screen.getByTestId('live-summary');
  expect(await within(summary).findByTestId('live-not-linked')).toHaveTextContent('No cluster linked: link one to see what runs');
  expect(within(summary).queryByRole('alert')).not.toBeInTheDocument();
  expect(screen.queryByTestId('cluster-linked')).not.toBeInTheDocument();
  expect(screen.queryByTestId('cluster-remove')).not.toBeInTheDocument();
  expect(screen.queryByTestId('btn-live-refresh')).not.toBeInTheDocument();
  expect(api.drift).not.toHaveBeenCalled();
});

test('"Link a cluster…" puts the cursor in the kubeconfig field', async () => {
  const user = userEvent.setup();
  render(Overview, { data });
  await user.click(await screen.findByRole('button', { name: 'Link a cluster…' }));
  await waitFor(() => expect(screen.getByTestId('cluster-kubeconfig')).toHaveFocus());
  expect(data.live.settingsWanted).toBe(false);
});

test('the fields say their defaults, and Save sends trimmed values (blank: the default)', async () => {
  const user = userEvent.setup();
  vi.mocked(api.setCluster).mockResolvedValue({ kubeconfig: '/home/ada/.kube/fabric.yaml', context: 'prod', namespace: null });
  render(Overview, { data });
  await screen.findByTestId('live-not-linked');
  expect(screen.getByTestId('cluster-context')).toHaveAttribute('placeholder', "the kubeconfig's current context");
  expect(screen.getByTestId('cluster-namespace')).toHaveAttribute('placeholder', 'default');
  expect(screen.getByTestId('cluster-save')).toBeDisabled();

  // once linked, the stored snapshot is loaded (none yet: every resource unknown)
  vi.mocked(api.clusterLink).mockResolvedValue({ kubeconfig: '/home/ada/.kube/fabric.yaml', context: 'prod', namespace: null });
  vi.mocked(api.drift).mockResolvedValue(makeDrift({ snapshot_at: null, switches: [], resources: [drifted('Switch', 'leaf-01', { state: 'unknown' })] }));
  await user.type(screen.getByTestId('cluster-kubeconfig'), '  /home/ada/.kube/fabric.yaml ');
  await user.type(screen.getByTestId('cluster-context'), ' prod  ');
  await user.type(screen.getByTestId('cluster-namespace'), '   ');
  await user.click(screen.getByTestId('cluster-save'));

  expect(api.setCluster).toHaveBeenCalledWith('demo', '/home/ada/.kube/fabric.yaml', 'prod', null, null);
  expect(await screen.findByTestId('cluster-linked')).toHaveTextContent('/home/ada/.kube/fabric.yaml · context prod · namespace default');
  expect(api.drift).toHaveBeenCalledWith('demo', false);
  expect(api.drift).not.toHaveBeenCalledWith('demo', true);
  expect(await screen.findByTestId('live-cluster')).toHaveTextContent('Not read yet');
  expect(screen.getByTestId('live-count-unknown')).toHaveTextContent(/^1$/);
  expect(screen.queryByTestId('live-not-linked')).not.toBeInTheDocument();
});

test('a refused kubeconfig shows the backend\'s words and what to do, and nothing is linked', async () => {
  const user = userEvent.setup();
  vi.mocked(api.setCluster).mockRejectedValue(new api.BackendError('invalid-input', 'the kubeconfig has no context "prod"; it has: kind-fabric, lab'));
  render(Overview, { data });
  await screen.findByTestId('live-not-linked');
  await user.type(screen.getByTestId('cluster-kubeconfig'), '/home/ada/.kube/config');
  await user.type(screen.getByTestId('cluster-context'), 'prod');
  await user.click(screen.getByTestId('cluster-save'));
  const error = await screen.findByTestId('cluster-error');
  expect(error).toHaveAttribute('data-code', 'invalid-input');
  expect(error).toHaveTextContent('Linking the cluster failed');
  expect(error).toHaveTextContent('it has: kind-fabric, lab');
  expect(error).toHaveTextContent('Check what you entered');
  expect(screen.queryByTestId('cluster-linked')).not.toBeInTheDocument();
  // what was typed stays, to correct it
  expect(screen.getByTestId('cluster-context')).toHaveValue('prod');
});

test('Browse… fills the path from the file dialog; cancelling keeps what was there', async () => {
  const user = userEvent.setup();
  render(Overview, { data });
  await screen.findByTestId('live-not-linked');
  await user.type(screen.getByTestId('cluster-kubeconfig'), '/tmp/old');
  vi.mocked(api.pickKubeconfig).mockResolvedValueOnce(null);
  await user.click(screen.getByTestId('cluster-browse'));
  expect(screen.getByTestId('cluster-kubeconfig')).toHaveValue('/tmp/old');
  vi.mocked(api.pickKubeconfig).mockResolvedValueOnce('/home/ada/.kube/lab.yaml');
  await user.click(screen.getByTestId('cluster-browse'));
  await waitFor(() => expect(screen.getByTestId('cluster-kubeconfig')).toHaveValue('/home/ada/.kube/lab.yaml'));
});

test('a linked fabric shows its link in the fields; Remove link forgets it and the live state', async () => {
  const user = userEvent.setup();
  linked();
  vi.mocked(api.unsetCluster).mockResolvedValue(true);
  render(Overview, { data });
  expect(await screen.findByTestId('cluster-linked')).toHaveTextContent("/home/ada/.kube/fabric.yaml · context lab · namespace default");
  expect(screen.getByTestId('cluster-kubeconfig')).toHaveValue('/home/ada/.kube/fabric.yaml');
  expect(screen.getByTestId('cluster-context')).toHaveValue('lab');
  expect(screen.getByTestId('cluster-namespace')).toHaveValue('');
  await user.click(screen.getByTestId('cluster-remove'));
  expect(api.unsetCluster).toHaveBeenCalledWith('demo');
  expect(await screen.findByTestId('live-not-linked')).toBeInTheDocument();
  expect(screen.queryByTestId('cluster-linked')).not.toBeInTheDocument();
  expect(screen.queryByTestId('live-count-differs')).not.toBeInTheDocument();
  expect(screen.getByTestId('cluster-kubeconfig')).toHaveValue('');
});

test('counts per drift state link to the table filtered by that state; zeros are grey and no link', async () => {
  const user = userEvent.setup();
  linked(makeDrift({ resources: [drifted('Switch', 'leaf-01'), drifted('Switch', 'leaf-02'), drifted('VPC', 'vpc-2', { state: 'differs', fields: ['spec.subnets'] })] }));
  render(Overview, { data });
  expect(await screen.findByTestId('live-count-in-sync')).toHaveTextContent(/^2$/);
  expect(screen.getByTestId('live-count-differs')).toHaveTextContent(/^1$/);
  expect(screen.getByTestId('live-count-unknown')).toHaveTextContent(/^0$/);
  expect(screen.getByTestId('live-count-box-unknown')).toHaveClass('zero');
  expect(screen.getByTestId('live-count-unknown').closest('button')).toBeNull();
  expect(screen.getByTestId('live-count-box-differs')).toHaveClass('drift-differs');
  expect(screen.queryByTestId('btn-adopt-all')).not.toBeInTheDocument();

  await user.click(screen.getByRole('button', { name: '1 differs: show them' }));
  expect(app.view).toBe('resources');
  expect(data.filter).toEqual({ kind: '', status: '', text: '', live: 'differs' });
});

test('the snapshot\'s age, the switches to check and the links LLDP sees cabled elsewhere', async () => {
  linked();
  render(Overview, { data });
  expect(await screen.findByTestId('live-cluster')).toHaveTextContent('Read 2 minutes ago');

  const switches = screen.getByTestId('live-switches');
  expect(within(switches).getByTestId('live-switch-leaf-02')).toHaveTextContent('leaf-02: agent stale (last heartbeat 6 min ago)');
  expect(within(switches).getByTestId('live-switch-leaf-03')).toHaveTextContent('leaf-03: has not applied its current configuration');
  expect(within(switches).getByTestId('live-switch-spine-01')).toHaveTextContent('no agent reports; has not applied');
  expect(within(switches).queryByTestId('live-switch-leaf-01')).not.toBeInTheDocument();

  const cabling = screen.getByTestId('live-cabling');
  expect(within(cabling).getAllByRole('listitem')).toHaveLength(1);
  expect(cabling).toHaveTextContent('leaf-01 E1/3 sees leaf-03/E1/3, Git says leaf-02/E1/3');
  expect(cabling).not.toHaveTextContent('E1/1 sees');
});

test('all agents alive and every neighbor right: one calm line each', async () => {
  const report = makeDrift();
  linked({ ...report, switches: [{ ...report.switches[0], links: [report.switches[0].links[0]] }] });
  render(Overview, { data });
  expect(await screen.findByTestId('live-switches')).toHaveTextContent('All 1 agent alive, configuration applied.');
  expect(screen.getByTestId('live-cabling')).toHaveTextContent('Every neighbor LLDP sees is the one Git names (1 of 1 link seen).');
});

test('links with no LLDP neighbor reported are not called right', async () => {
  const report = makeDrift();
  const unseen = { ...report.switches[0].links[0], lldp: 'none' as const, seen: null };
  linked({ ...report, switches: [{ ...report.switches[0], links: [unseen, { ...unseen, port: 'E1/2' }] }] });
  render(Overview, { data });
  expect(await screen.findByTestId('live-cabling')).toHaveTextContent('No LLDP neighbor reported on the 2 links Git cables to these switches.');
  expect(screen.getByTestId('live-cabling')).not.toHaveTextContent('Every neighbor');
});

test('an unreachable cluster: the snapshot shown says when it was read, not an error', async () => {
  linked(makeDrift({ cluster: 'unreachable', snapshot_at: new Date(Date.now() - 3 * 3600_000).toISOString() }));
  render(Overview, { data });
  const state = await screen.findByTestId('live-cluster');
  expect(state).toHaveAttribute('data-cluster', 'unreachable');
  expect(state).toHaveTextContent('Cluster unreachable: showing the snapshot of 3 hours ago');
  expect(within(screen.getByTestId('live-summary')).queryByRole('alert')).not.toBeInTheDocument();
  expect(screen.getByTestId('live-count-differs')).toHaveTextContent(/^1$/);
});

test('Read now reads the cluster, is disabled while it reads, and shows the new report', async () => {
  const user = userEvent.setup();
  linked();
  let finish: (r: DriftReport) => void = () => {};
  render(Overview, { data });
  const button = await screen.findByTestId('btn-live-refresh');
  vi.mocked(api.drift).mockImplementation((_f, refresh) =>
    refresh ? new Promise<DriftReport>((resolve) => (finish = resolve)) : Promise.resolve(makeDrift()),
  );
  await user.click(button);
  expect(api.drift).toHaveBeenLastCalledWith('demo', true);
  expect(button).toBeDisabled();
  expect(button).toHaveTextContent('Reading…');
  expect(screen.getByTestId('cluster-read')).toBeDisabled();
  finish(makeDrift({ resources: [drifted('Switch', 'leaf-01'), drifted('Switch', 'leaf-02')] }));
  await waitFor(() => expect(button).toBeEnabled());
  expect(button).toHaveTextContent('Read now');
  expect(screen.getByTestId('live-count-in-sync')).toHaveTextContent(/^2$/);
  expect(screen.getByTestId('live-count-differs')).toHaveTextContent(/^0$/);
});

test('a failed read shows why and what to do; the last report stays', async () => {
  const user = userEvent.setup();
  linked();
  render(Overview, { data });
  await screen.findByTestId('live-count-differs');
  vi.mocked(api.drift).mockRejectedValueOnce(new api.BackendError('io', 'cannot read /home/ada/.kube/fabric.yaml'));
  await user.click(screen.getByTestId('btn-live-refresh'));
  const error = await screen.findByTestId('live-error');
  expect(error).toHaveTextContent('Reading the cluster failed');
  expect(error).toHaveTextContent('cannot read /home/ada/.kube/fabric.yaml');
  expect(screen.getByTestId('live-count-differs')).toHaveTextContent(/^1$/);
});

test('Adopt all adopts every resource only on the cluster', async () => {
  const user = userEvent.setup();
  linked();
  vi.mocked(api.adopt).mockResolvedValue([]);
  render(Overview, { data });
  await user.click(await screen.findByTestId('btn-adopt-all'));
  expect(api.adopt).toHaveBeenCalledWith('demo', []);
});

test("fabric-changed 'live' reloads the stored snapshot alone, never reading the cluster", async () => {
  linked();
  render(Overview, { data });
  await screen.findByTestId('live-count-differs');
  vi.mocked(api.fabricOverview).mockClear();
  vi.mocked(api.drift).mockClear();
  vi.mocked(api.drift).mockResolvedValue(makeDrift({ resources: [drifted('Switch', 'leaf-02', { state: 'differs', fields: ['a'] }), drifted('VPC', 'vpc-3', { state: 'differs', fields: ['b'] })] }));
  app.onFabricChanged({ fabric: 'demo', reason: 'live' });
  await waitFor(() => expect(screen.getByTestId('live-count-differs')).toHaveTextContent(/^2$/));
  expect(api.drift).toHaveBeenCalledWith('demo', false);
  expect(api.drift).not.toHaveBeenCalledWith('demo', true);
  expect(api.fabricOverview).not.toHaveBeenCalled();

  // any other reason reloads the live state with the rest
  app.onFabricChanged({ fabric: 'demo', reason: 'draft' });
  await waitFor(() => expect(api.fabricOverview).toHaveBeenCalledTimes(1));
  expect(api.drift).toHaveBeenCalledTimes(2);
  expect(api.drift).not.toHaveBeenCalledWith('demo', true);
});

test('a bearer token is sent once, cleared from the form, and only its presence is shown', async () => {
  const user = userEvent.setup();
  linked();
  vi.mocked(api.setCluster).mockResolvedValue(LINK);
  render(Overview, { data });
  await screen.findByTestId('cluster-linked');
  const field = screen.getByTestId('cluster-token');
  expect(field).toHaveAttribute('type', 'password');
  expect(screen.queryByTestId('cluster-token-stored')).not.toBeInTheDocument();
  expect(screen.getByTestId('cluster-save')).toBeDisabled();

  vi.mocked(api.clusterHasToken).mockResolvedValue(true);
  await user.type(field, ' s3cret-token ');
  expect(screen.getByTestId('cluster-save')).toBeEnabled();
  await user.click(screen.getByTestId('cluster-save'));
  expect(api.setCluster).toHaveBeenCalledWith('demo', LINK.kubeconfig, LINK.context, LINK.namespace, 's3cret-token');
  expect(await screen.findByTestId('cluster-token-stored')).toBeInTheDocument();
  expect(screen.getByTestId('cluster-token')).toHaveValue('');
  expect(document.body.textContent).not.toContain('s3cret-token');
});
