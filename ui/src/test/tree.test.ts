import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import type { TreeEntry } from '../lib/types';
import TreeView from '../views/tree/TreeView.svelte';
import { buildTree, documentsOf, markOf } from '../views/tree/tree';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const ENTRIES: TreeEntry[] = [
  { path: '.hnp/manifest.yaml', role: 'structure' },
  { path: 'README.md', role: 'structure' },
  { path: 'managed/servers/server-01.yaml', role: 'managed', kind: 'Server', name: 'server-01', status: 'synced' },
  { path: 'managed/switches/leaf-01.yaml', role: 'managed', kind: 'Switch', name: 'leaf-01', status: 'modified' },
  { path: 'managed/switches/leaf-02.yaml', role: 'managed', kind: 'Switch', name: 'leaf-02', status: 'invalid' },
  { path: 'raw/prepop.yaml', role: 'raw' },
  { path: 'unmanaged/cm.yaml', role: 'unmanaged', reason: 'not a Hedgehog resource' },
];

describe('tree model', () => {
  test('nests files under their folders, folders first, and counts what needs attention', () => {
    const root = buildTree(ENTRIES);
    expect(root.children.map((c) => c.name)).toEqual(['.hnp', 'managed', 'raw', 'unmanaged', 'README.md']);
    const managed = root.children[1];
    expect(managed.children.map((c) => c.path)).toEqual(['managed/servers', 'managed/switches']);
    expect(managed.attention).toBe(2);
    expect(root.attention).toBe(3); // two drafts and the raw file
  });

  test('each folder counts the files beneath it, at any depth; .gitkeep is neither shown nor counted', () => {
    const root = buildTree([
      ...ENTRIES,
      { path: 'managed/switches/.gitkeep', role: 'structure' },
      { path: 'managed/vpcs/.gitkeep', role: 'structure' },
      { path: 'raw/.gitkeep', role: 'structure' },
    ]);
    const managed = root.children.find((c) => c.name === 'managed')!;
    const switches = managed.children.find((c) => c.name === 'switches')!;
    expect(switches.children.map((c) => c.name)).toEqual(['leaf-01.yaml', 'leaf-02.yaml']);
    expect(switches.files).toBe(2);
    expect(managed.files).toBe(3);
    // an empty kind folder stays, with nothing in it
    const vpcs = managed.children.find((c) => c.name === 'vpcs')!;
    expect(vpcs.children).toEqual([]);
    expect(vpcs.files).toBe(0);
    expect(root.children.find((c) => c.name === 'raw')!.files).toBe(1);
    expect(root.files).toBe(7);
  });

  test('marks say the status or role of a file', () => {
    expect(markOf(ENTRIES[3]).mark).toBe('M');
    expect(markOf(ENTRIES[4]).mark).toBe('!');
    expect(markOf(ENTRIES[5]).title).toMatch(/waiting to be ingested/);
    expect(markOf(ENTRIES[6]).title).toMatch(/not a Hedgehog resource/);
  });

  test('ingest documents match their file even when one path has the fabric directory in front', () => {
    const docs = [
      { file: 'gitops/hedgehog/fabric-1/raw/prepop.yaml', index: 0, line: 1, kind: 'Switch', name: 'a', outcome: 'managed' as const, path: null, reason: null },
      { file: 'gitops/hedgehog/fabric-1/raw/other.yaml', index: 0, line: 1, kind: 'Switch', name: 'b', outcome: 'managed' as const, path: null, reason: null },
    ];
    expect(documentsOf(docs, 'raw/prepop.yaml').map((d) => d.name)).toEqual(['a']);
  });
});

describe('tree view', () => {
  let data: FabricData;

  beforeEach(() => {
    resetState();
    data = new FabricData('demo');
    app.data = { demo: data };
    app.selected = 'demo';
    vi.mocked(api.fabricTree).mockResolvedValue(ENTRIES);
    vi.mocked(api.fileContent).mockImplementation(async (_f, path) => `# content of ${path}\n`);
  });

  test('shows the folders with status marks; per-kind folders open on click', async () => {
    const user = userEvent.setup();
    render(TreeView, { data });
    const tree = await screen.findByTestId('tree');
    await within(tree).findByTestId('tree-raw/prepop.yaml');
    expect(within(tree).queryByTestId('tree-managed/switches/leaf-01.yaml')).not.toBeInTheDocument();
    await user.click(within(tree).getByTestId('tree-managed/switches'));
    const leaf = within(tree).getByTestId('tree-managed/switches/leaf-01.yaml');
    expect(leaf).toHaveAttribute('data-status', 'modified');
    expect(leaf).toHaveTextContent('M');
  });

  test('folders show their file counts and .gitkeep files are hidden', async () => {
    const user = userEvent.setup();
    vi.mocked(api.fabricTree).mockResolvedValue([...ENTRIES, { path: 'managed/switches/.gitkeep', role: 'structure' }]);
    render(TreeView, { data });
    const tree = await screen.findByTestId('tree');
    expect(await within(tree).findByTestId('tree-count-managed')).toHaveTextContent('3');
    expect(within(tree).getByTestId('tree-managed')).toHaveAccessibleName('managed/, 3 files, 2 need attention');
    await user.click(within(tree).getByTestId('tree-managed/switches'));
    expect(within(tree).getByTestId('tree-count-managed/switches')).toHaveTextContent('2');
    expect(within(tree).getByTestId('tree-managed/switches/leaf-01.yaml')).toBeInTheDocument();
    expect(within(tree).queryByTestId('tree-managed/switches/.gitkeep')).not.toBeInTheDocument();
    expect(tree).not.toHaveTextContent('.gitkeep');
  });

  test('selecting a raw file shows its content and what ingestion would do with each document', async () => {
    const user = userEvent.setup();
    vi.mocked(api.ingestPreview).mockResolvedValue({
      fabric: 'demo',
      dry_run: true,
      operation_id: null,
      commit: null,
      documents: [
        { file: 'raw/prepop.yaml', index: 0, line: 2, kind: 'Switch', name: 'leaf-01', outcome: 'managed', path: 'managed/switches/leaf-01.yaml', reason: null },
        { file: 'raw/prepop.yaml', index: 1, line: 12, kind: 'ConfigMap', name: 'x', outcome: 'unmanaged', path: 'unmanaged/x.yaml', reason: 'not a Hedgehog resource' },
        { file: 'raw/prepop.yaml', index: 2, line: 20, kind: 'VPC', name: 'v', outcome: 'error', path: null, reason: 'duplicate VPC/v with different content' },
      ],
      archived: [],
      raw_files: 1,
    });
    render(TreeView, { data });
    await user.click(await screen.findByTestId('tree-raw/prepop.yaml'));
    const preview = await screen.findByTestId('ingest-preview');
    expect(await within(preview).findByText(/3 documents: 1 managed, 1 unmanaged, 1 errors/)).toBeInTheDocument();
    const rows = within(preview).getAllByTestId('preview-doc');
    expect(rows.map((r) => r.getAttribute('data-outcome'))).toEqual(['managed', 'unmanaged', 'error']);
    expect(rows[2]).toHaveTextContent('duplicate VPC/v');
    expect(api.ingestPreview).toHaveBeenCalledWith('demo');
    expect(api.fileContent).toHaveBeenCalledWith('demo', 'raw/prepop.yaml');
  });

  test('a managed file can be opened in the editor', async () => {
    const user = userEvent.setup();
    vi.mocked(api.getResource).mockResolvedValue({
      kind: 'Server', name: 'server-01', status: 'synced', path: null, errors: [], warnings: [], legacy: false, blob: null, commit: null, text: 'x: 1\n', draft_text: null,
    });
    render(TreeView, { data });
    await user.click(await screen.findByTestId('tree-managed/servers'));
    await user.click(screen.getByTestId('tree-managed/servers/server-01.yaml'));
    await user.click(await screen.findByTestId('btn-open-resource'));
    expect(app.view).toBe('editor');
    expect(app.editing?.name).toBe('server-01');
  });
});
