// The Topology tab with the backend mocked and the real ELK layout: clicks open resources (an edge
// its first Connection), the VPC select highlights what vpc_highlight names and dims the rest,
// Export SVG sends diagramSvg.ts's picture, wiring problems are listed and marked, the cluster's
// word shows as badges, and the loading, empty and error states.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import * as api from '../lib/api';
import { BackendError } from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import { toasts } from '../lib/state/toasts.svelte';
import type { DriftReport, ResourceSummary, Topology } from '../lib/types';
import TopologyView from '../views/topology/TopologyView.svelte';
import * as layoutModule from '../views/topology/layout';
import { makeDrift } from './fixtures';
import { resetState } from './reset';
import { smallTopology } from './topologyFixtures';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const summary = (kind: string, name: string): ResourceSummary => ({ kind, name, status: 'synced', path: `${kind}/${name}.yaml`, errors: [], warnings: [] });

let data: FabricData;

function setup(topology: Topology = smallTopology()) {
  vi.mocked(api.topology).mockResolvedValue(topology);
  vi.mocked(api.listResources).mockResolvedValue([summary('Switch', 'leaf-01'), summary('VPC', 'vpc-1'), summary('VPC', 'vpc-2')]);
}

beforeEach(() => {
  resetState();
  data = new FabricData('demo');
  app.data = { demo: data };
  app.selected = 'demo';
  setup();
});

async function shown() {
  render(TopologyView, { data });
  return await screen.findByTestId('topo-node-Switch-leaf-01');
}

test('draws every node and edge, with its state, and the counts on the root', async () => {
  await shown();
  const root = screen.getByTestId('topology');
  expect(root).toHaveAttribute('data-nodes', '7');
  expect(root).toHaveAttribute('data-edges', '9');
  await waitFor(() => expect(root).toHaveAttribute('data-layout-ms'));
  await waitFor(() => expect(root).toHaveAttribute('data-interactive-ms'));
  expect(root).toHaveAttribute('data-draw-ms');
  expect(screen.getByTestId('topo-node-Server-server-02')).toHaveAttribute('data-state', 'draft');
  expect(screen.getByTestId('topo-node-Switch-spine-01')).toHaveAttribute('data-state', 'synced');
  expect(screen.getByTestId('topo-edge-3')).toHaveAttribute('data-edge-id', 'mclagDomain:Switch/leaf-01--Switch/leaf-02');
  // the pair's group box is labelled
  expect(screen.getByTestId('topology')).toHaveTextContent('mclag-1 (mclag)');
  // two parallel links: the label says so without hovering
  expect(screen.getByTestId('topo-edge-0')).toHaveTextContent('fabric ×2');
  expect(within(screen.getByTestId('topo-edge-0')).getByText(/Connection spine-01--fabric--leaf-01/)).toBeInTheDocument();
});

test('clicking a node opens its resource; an edge opens its first Connection', async () => {
  const user = userEvent.setup();
  const open = vi.spyOn(app, 'openResource').mockImplementation(() => {});
  await shown();
  await user.click(screen.getByTestId('topo-node-Switch-leaf-01'));
  expect(open).toHaveBeenLastCalledWith('Switch', 'leaf-01');
  await user.click(screen.getByTestId('topo-node-Server-server-02'));
  expect(open).toHaveBeenLastCalledWith('Server', 'server-02');
  await user.click(screen.getByTestId('topo-edge-4'));
  expect(open).toHaveBeenLastCalledWith('Connection', 'server-01--mclag--leaf-01--leaf-02');
  expect(open).toHaveBeenCalledTimes(3);
});

test('a VPC highlights what vpc_highlight names and dims the rest; No VPC clears it', async () => {
  const user = userEvent.setup();
  vi.mocked(api.vpcHighlight).mockResolvedValue({
    servers: ['Server/server-01'],
    switches: ['Switch/leaf-01', 'Switch/leaf-02'],
    edges: ['mclag:Switch/leaf-01--Server/server-01'],
  });
  await shown();
  const select = screen.getByTestId('topology-vpc');
  await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['No VPC', 'vpc-1', 'vpc-2']));
  await user.selectOptions(select, 'vpc-2');
  expect(api.vpcHighlight).toHaveBeenCalledWith('demo', 'vpc-2');
  await waitFor(() => expect(screen.getByTestId('topo-node-Server-server-01')).toHaveAttribute('data-highlighted', 'true'));
  expect(screen.getByTestId('topo-node-Switch-leaf-02')).toHaveAttribute('data-highlighted', 'true');
  expect(screen.getByTestId('topo-node-Switch-leaf-03')).not.toHaveAttribute('data-highlighted');
  expect(screen.getByTestId('topo-node-Switch-leaf-03')).toHaveClass('dim');
  expect(screen.getByTestId('topo-edge-4')).toHaveAttribute('data-highlighted', 'true');
  expect(screen.getByTestId('topo-edge-6')).toHaveClass('dim');
  await user.selectOptions(select, '');
  await waitFor(() => expect(screen.getByTestId('topo-node-Switch-leaf-03')).not.toHaveClass('dim'));
  expect(screen.getByTestId('topo-node-Server-server-01')).not.toHaveAttribute('data-highlighted');
});

test('search highlights the matching nodes', async () => {
  const user = userEvent.setup();
  await shown();
  await user.type(screen.getByTestId('topology-search'), 'server-0');
  expect(screen.getByTestId('topo-node-Server-server-01')).toHaveAttribute('data-highlighted', 'true');
  expect(screen.getByTestId('topo-node-Server-server-02')).toHaveAttribute('data-highlighted', 'true');
  expect(screen.getByTestId('topo-node-Switch-leaf-01')).not.toHaveAttribute('data-highlighted');
});

test('Export… SVG sends the picture itself, self-contained, and a toast says where it went', async () => {
  const user = userEvent.setup();
  vi.mocked(api.exportDiagram).mockResolvedValue('/home/ada/fabric.svg');
  await shown();
  await user.selectOptions(screen.getByTestId('topology-export'), 'svg');
  expect(api.exportDiagram).toHaveBeenCalledTimes(1);
  const [fabric, format, svg] = vi.mocked(api.exportDiagram).mock.calls[0];
  expect([fabric, format]).toEqual(['demo', 'svg']);
  expect(svg).toMatch(/^<svg/);
  expect(svg).toContain('leaf-01');
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svg).not.toContain('class=');
  expect(svg).not.toContain('data-testid');
  await waitFor(() => expect(toasts.items.map((t) => t.message)).toContain('/home/ada/fabric.svg'));
});

test('Export… Mermaid lets the backend render; a cancelled dialog says nothing', async () => {
  const user = userEvent.setup();
  vi.mocked(api.exportDiagram).mockResolvedValue(null);
  await shown();
  await user.selectOptions(screen.getByTestId('topology-export'), 'mermaid');
  expect(api.exportDiagram).toHaveBeenCalledWith('demo', 'mermaid', undefined);
  expect(toasts.items).toHaveLength(0);
});

test('wiring problems are listed and marked where they are', async () => {
  const t = smallTopology();
  t.problems = [
    { target: { node: 'Switch/leaf-03' }, message: 'leaf-03 has no MCLAG peer' },
    { target: { edge: 'unbundled:Switch/leaf-03--Server/server-02' }, message: 'port E1/3 is used twice' },
  ];
  setup(t);
  await shown();
  const list = screen.getByTestId('topology-problems');
  expect(within(list).getAllByTestId('topology-problem').map((li) => li.textContent)).toEqual([
    'Switch/leaf-03 leaf-03 has no MCLAG peer',
    'unbundled:Switch/leaf-03--Server/server-02 port E1/3 is used twice',
  ]);
  expect(within(screen.getByTestId('topo-node-Switch-leaf-03')).getByTestId('topo-node-problem')).toBeInTheDocument();
  expect(within(screen.getByTestId('topo-node-Switch-leaf-01')).queryByTestId('topo-node-problem')).not.toBeInTheDocument();
  expect(within(screen.getByTestId('topo-edge-6')).getByTestId('topo-edge-mark')).toBeInTheDocument();
  expect(screen.getByTestId('topo-edge-6')).toHaveTextContent('port E1/3 is used twice');
});

test('with a cluster linked: a stale agent badges its switch, a wrong LLDP neighbor its edge', async () => {
  const report: DriftReport = makeDrift({
    switches: [
      { name: 'leaf-02', agent: 'stale', heartbeat_age_s: 360, applied: true, links: [] },
      {
        name: 'leaf-01',
        agent: 'alive',
        heartbeat_age_s: 2,
        applied: true,
        links: [{ connection: 'spine-01--fabric--leaf-01', port: 'E1/49', oper: 'up', lldp: 'wrong', expected: 'spine-01/E1/1', seen: 'spine-02/E1/1' }],
      },
    ],
  });
  vi.mocked(api.clusterLink).mockResolvedValue({ kubeconfig: '/k', context: null, namespace: null });
  vi.mocked(api.drift).mockResolvedValue(report);
  await shown();
  const stale = screen.getByTestId('topo-node-Switch-leaf-02');
  await waitFor(() => expect(within(stale).getByTestId('topo-node-live')).toBeInTheDocument());
  expect(stale).toHaveTextContent('agent stale (last heartbeat 6 min ago)');
  expect(within(screen.getByTestId('topo-node-Switch-leaf-01')).queryByTestId('topo-node-live')).not.toBeInTheDocument();
  const cable = screen.getByTestId('topo-edge-0');
  expect(cable).toHaveAttribute('data-live', 'wrong');
  expect(cable).toHaveTextContent('leaf-01 E1/49 sees spine-02/E1/1, Git says spine-01/E1/1');
  expect(screen.getByTestId('topo-edge-1')).not.toHaveAttribute('data-live');
});

test('loading, then empty: no switches or servers yet', async () => {
  let answer: (t: Topology) => void = () => {};
  vi.mocked(api.topology).mockReturnValue(new Promise((r) => (answer = r)));
  render(TopologyView, { data });
  expect(await screen.findByTestId('topology-loading')).toBeInTheDocument();
  answer({ nodes: [], edges: [], groups: [], problems: [] });
  expect(await screen.findByTestId('topology-empty')).toHaveTextContent('No switches or servers yet');
});

test('a failure to load shows the error', async () => {
  vi.mocked(api.topology).mockRejectedValue(new BackendError('io', 'disk on fire', 'topology'));
  render(TopologyView, { data });
  expect(await screen.findByTestId('topology-error')).toHaveTextContent('disk on fire');
});

test('the tab opened again on the same topology shows its picture without laying it out again', async () => {
  const layoutSpy = vi.spyOn(layoutModule, 'layout');
  const first = render(TopologyView, { data });
  await screen.findByTestId('topo-node-Switch-leaf-01');
  expect(layoutSpy).toHaveBeenCalledTimes(1);
  first.unmount();
  render(TopologyView, { data });
  await screen.findByTestId('topo-node-Switch-leaf-01');
  expect(layoutSpy).toHaveBeenCalledTimes(1);
  layoutSpy.mockRestore();
});
