import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import * as api from '../lib/api';
import { app } from '../lib/state/app.svelte';
import { FabricData } from '../lib/state/fabric.svelte';
import { toasts } from '../lib/state/toasts.svelte';
import type { Conflict } from '../lib/types';
import Conflicts from '../views/conflicts/Conflicts.svelte';
import { makeConflict, makeOverview } from './fixtures';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

function conflict(id: number, name: string, patch: Partial<Conflict> = {}): Conflict {
  return { ...makeConflict(), id, name, ...patch };
}

const leaf01 = conflict(3, 'leaf-01');
const leaf02 = conflict(4, 'leaf-02', { fields: ['spec.role', 'spec.description'] });
// deleted upstream while edited here
const spine01 = conflict(5, 'spine-01', { type: 'edit-delete', theirs_text: null, fields: [] });

const report = (name: string) => ({ kind: 'Switch', name, status: 'modified' as const, path: null, errors: [], warnings: [] });

beforeEach(() => {
  resetState();
  app.data = { demo: new FabricData('demo') };
  app.selected = 'demo';
  vi.mocked(api.listConflicts).mockResolvedValue([leaf01, leaf02, spine01]);
  vi.mocked(api.fabricOverview).mockResolvedValue(makeOverview());
  vi.mocked(api.resolveConflicts).mockImplementation(async (_f, choices) => choices.map((c) => report(c.name)));
});

test('the bulk bar appears once a conflict is selected', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('bulk-select-Switch-leaf-01'));
  expect(screen.getByTestId('bulk-bar')).toBeInTheDocument();
  await user.click(screen.getByTestId('bulk-select-Switch-leaf-01'));
  expect(screen.queryByTestId('bulk-bar')).not.toBeInTheDocument();
});

test('two selected, one ours and one theirs: one resolve_conflicts call with both choices', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('bulk-select-Switch-leaf-01'));
  await user.click(screen.getByTestId('bulk-select-Switch-leaf-02'));
  await user.click(screen.getByTestId('bulk-review'));
  const dialog = screen.getByTestId('bulk-dialog');
  expect(within(dialog).queryByTestId('bulk-choice-Switch-spine-01')).not.toBeInTheDocument();
  await user.selectOptions(within(dialog).getByTestId('bulk-choice-Switch-leaf-02'), 'theirs');
  vi.mocked(api.listConflicts).mockResolvedValue([spine01]);
  await user.click(within(dialog).getByTestId('bulk-confirm'));

  expect(api.resolveConflicts).toHaveBeenCalledTimes(1);
  expect(api.resolveConflicts).toHaveBeenCalledWith('demo', [
    { kind: 'Switch', name: 'leaf-01', take: 'ours' },
    { kind: 'Switch', name: 'leaf-02', take: 'theirs' },
  ]);
  await waitFor(() => expect(screen.queryByTestId('bulk-dialog')).not.toBeInTheDocument());
  expect(toasts.items.at(-1)?.title).toBe('Resolved 2 conflicts');
  // the list reloads without the resolved ones, and nothing stays selected
  await waitFor(() => expect(screen.queryByTestId('conflict-Switch-leaf-01')).not.toBeInTheDocument());
  expect(screen.getByTestId('bulk-select-Switch-spine-01')).not.toBeChecked();
  expect(screen.queryByTestId('bulk-bar')).not.toBeInTheDocument();
});

test('select all selects every conflict, and again selects none', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('bulk-select-all'));
  for (const name of ['leaf-01', 'leaf-02', 'spine-01']) expect(screen.getByTestId(`bulk-select-Switch-${name}`)).toBeChecked();
  await user.click(screen.getByTestId('bulk-take-theirs'));
  await user.click(screen.getByTestId('bulk-confirm'));
  expect(api.resolveConflicts).toHaveBeenCalledWith('demo', [
    { kind: 'Switch', name: 'leaf-01', take: 'theirs' },
    { kind: 'Switch', name: 'leaf-02', take: 'theirs' },
    { kind: 'Switch', name: 'spine-01', take: 'theirs' },
  ]);
});

test('select all is partly checked while some are selected, and clears all once all are', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('bulk-select-Switch-leaf-02'));
  const all = screen.getByTestId('bulk-select-all') as HTMLInputElement;
  expect(all.indeterminate).toBe(true);
  await user.click(all);
  expect(all).toBeChecked();
  expect(all.indeterminate).toBe(false);
  await user.click(all);
  expect(screen.getByTestId('bulk-select-Switch-leaf-02')).not.toBeChecked();
});

test('the summary names the conflicting fields each choice decides, and that one-sided changes are kept', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('bulk-select-Switch-leaf-02'));
  await user.click(screen.getByTestId('bulk-select-Switch-spine-01'));
  await user.click(screen.getByTestId('bulk-take-ours'));
  expect(screen.getByTestId('bulk-choice-Switch-leaf-02')).toHaveValue('ours');
  expect(screen.getByTestId('bulk-choice-Switch-spine-01')).toHaveValue('ours');

  const leaf = screen.getByTestId('bulk-effect-Switch-leaf-02');
  expect(leaf).toHaveTextContent('Conflicting fields take your local version: spec.role, spec.description.');
  expect(leaf).toHaveTextContent('Changes made on one side only are kept.');
  await user.selectOptions(screen.getByTestId('bulk-choice-Switch-leaf-02'), 'theirs');
  expect(leaf).toHaveTextContent('Conflicting fields take the upstream version: spec.role, spec.description.');

  // a delete conflict: the choice keeps the resource or deletes it
  const spine = screen.getByTestId('bulk-effect-Switch-spine-01');
  expect(spine).toHaveTextContent("Keeps the resource with your edits. Upstream's delete is dropped.");
  await user.selectOptions(screen.getByTestId('bulk-choice-Switch-spine-01'), 'theirs');
  expect(spine).toHaveTextContent('Deletes the resource, as upstream did.');
  expect(screen.getByTestId('bulk-dialog')).toHaveTextContent('1 resource is deleted');
});

test('a rejection shows the advice, resolves nothing and keeps the selection and choices', async () => {
  vi.mocked(api.resolveConflicts).mockRejectedValue(new api.BackendError('busy', 'fabric demo is busy', 'resolve_conflicts'));
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('bulk-select-Switch-leaf-01'));
  await user.click(screen.getByTestId('bulk-select-Switch-leaf-02'));
  await user.click(screen.getByTestId('bulk-take-theirs'));
  await user.selectOptions(screen.getByTestId('bulk-choice-Switch-leaf-01'), 'ours');
  await user.click(screen.getByTestId('bulk-confirm'));

  const error = await screen.findByTestId('bulk-error');
  expect(error).toHaveTextContent('Fabric busy');
  expect(error).toHaveTextContent('Another operation is running on this fabric');
  expect(screen.getByTestId('bulk-dialog')).toBeInTheDocument();
  expect(screen.getByTestId('bulk-choice-Switch-leaf-01')).toHaveValue('ours');
  expect(screen.getByTestId('bulk-choice-Switch-leaf-02')).toHaveValue('theirs');
  expect(toasts.items.some((t) => t.title.startsWith('Resolved'))).toBe(false);

  await user.keyboard('{Escape}');
  expect(screen.queryByTestId('bulk-dialog')).not.toBeInTheDocument();
  expect(screen.getByTestId('bulk-select-Switch-leaf-01')).toBeChecked();
  expect(screen.getByTestId('bulk-select-Switch-leaf-02')).toBeChecked();
  expect(screen.getByTestId('bulk-bar')).toBeInTheDocument();
});

test('while resolving, the dialog shows it is busy and cannot be confirmed twice', async () => {
  let finish: (v: api.DraftReport[]) => void = () => {};
  vi.mocked(api.resolveConflicts).mockImplementation(() => new Promise((resolve) => (finish = resolve)));
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await user.click(await screen.findByTestId('bulk-select-Switch-leaf-01'));
  await user.click(screen.getByTestId('bulk-take-ours'));
  await user.click(screen.getByTestId('bulk-confirm'));
  expect(screen.getByTestId('bulk-busy')).toHaveTextContent('Resolving 1 conflict');
  expect(screen.getByTestId('bulk-confirm')).toBeDisabled();
  await user.keyboard('{Escape}');
  expect(screen.getByTestId('bulk-dialog')).toBeInTheDocument();
  finish([report('leaf-01')]);
  await waitFor(() => expect(screen.queryByTestId('bulk-dialog')).not.toBeInTheDocument());
  expect(toasts.items.at(-1)?.title).toBe('Resolved 1 conflict');
  expect(api.resolveConflicts).toHaveBeenCalledTimes(1);
});

test('checkboxes and the bulk buttons are reached with Tab', async () => {
  const user = userEvent.setup();
  render(Conflicts, { data: app.data.demo });
  await screen.findByTestId('bulk-select-all');
  await user.tab();
  expect(screen.getByTestId('bulk-select-all')).toHaveFocus();
  await user.keyboard(' ');
  await user.tab();
  expect(screen.getByTestId('bulk-take-ours')).toHaveFocus();
  await user.tab();
  expect(screen.getByTestId('bulk-take-theirs')).toHaveFocus();
  await user.tab();
  expect(screen.getByTestId('bulk-review')).toHaveFocus();
  await user.tab();
  expect(screen.getByTestId('bulk-select-Switch-leaf-01')).toHaveFocus();
  await user.tab();
  expect(screen.getByTestId('conflict-Switch-leaf-01')).toHaveFocus();
  await user.keyboard('{Shift>}{Tab}{/Shift}');
  await user.keyboard(' ');
  expect(screen.getByTestId('bulk-select-Switch-leaf-01')).not.toBeChecked();
});
