// What the buttons do: each long operation runs with a progress bar, ends with a toast that says
// what happened (or what to do next), and refreshes the fabric's data.
import * as api from '../api';
import { ingestNotice, pullNotice, pushNotice } from '../notices';
import type { IngestReport, PullReport, PushReport } from '../types';
import { app } from './app.svelte';
import { operations } from './operations.svelte';
import { toasts } from './toasts.svelte';

export async function pullFabric(fabric: string): Promise<PullReport | null> {
  try {
    const report = await operations.run(fabric, 'pull', () => api.pull(fabric));
    const n = pullNotice(report);
    toasts.show({
      ...n,
      action: report.counts.conflicts
        ? { label: 'Show conflicts', run: () => (app.select(fabric), app.show('conflicts')) }
        : undefined,
    });
    return report;
  } catch (e) {
    toasts.error(e, 'Pull');
    return null;
  } finally {
    void app.data[fabric]?.refresh();
  }
}

export async function ingestFabric(fabric: string): Promise<IngestReport | null> {
  try {
    const report = await operations.run(fabric, 'ingest', () => api.ingest(fabric));
    toasts.show(ingestNotice(report));
    return report;
  } catch (e) {
    toasts.error(e, 'Ingest');
    return null;
  } finally {
    void app.data[fabric]?.refresh();
  }
}

/** Push; errors are toasted and rethrown so the dialog stays open with the drafts. */
export async function pushFabric(fabric: string, options: api.PushOptions): Promise<PushReport> {
  try {
    const report = await operations.run(fabric, 'push', () => api.push(fabric, options));
    toasts.show(pushNotice(report));
    return report;
  } catch (e) {
    toasts.error(e, 'Push');
    throw e;
  } finally {
    void app.data[fabric]?.refresh();
  }
}

export async function cancelOperation(fabric: string): Promise<void> {
  try {
    await operations.cancel(fabric);
  } catch (e) {
    toasts.error(e, 'Cancel');
  }
}

/** Adds a repository (unless it exists), a fabric in it, and creates its GitOps directory. */
export interface AddRequest {
  repository: { name: string; url: string; branch: string; existing: boolean };
  fabric: { name: string; directory: string; branch?: string };
}

export async function addRepositoryAndFabric(req: AddRequest, step: (text: string) => void = () => {}): Promise<void> {
  const { repository: r, fabric: f } = req;
  if (!r.existing) {
    step(`Adding repository ${r.name} (cloning ${r.url})…`);
    await operations.run(f.name, 'clone', () => api.addRepository(r.name, r.url, r.branch));
  }
  step(`Adding fabric ${f.name}…`);
  await api.addFabric(f.name, r.name, f.directory, f.branch);
  step(`Creating the GitOps directory ${f.directory}…`);
  const init = await operations.run(f.name, 'init', () => api.initFabric(f.name));
  await app.loadWorkspace();
  app.select(f.name);
  toasts.show({
    tone: init.findings.length ? 'warn' : 'success',
    title: `Fabric ${f.name} added`,
    message: init.already_initialized
      ? `The directory ${f.directory} was already set up.`
      : `Created ${init.created.length} files in ${f.directory}${init.commit ? ` (commit ${init.commit.slice(0, 8)})` : ''}.` +
        (init.findings.length ? ` ${init.findings.length} findings need a look.` : ''),
  });
}
