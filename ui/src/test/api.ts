// The backend, mocked at the one API module. Use in a test file as
//   vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));
// then `vi.mocked(api.pull).mockResolvedValue(...)`, and `emitProgress` / `emitFabricChanged` /
// `emitRepoCheck` for events,
// `requestWindowClose` for the window's close button (`api.destroyWindow` resolves unless mocked otherwise).
import { vi } from 'vitest';
import type * as Api from '../lib/api';
import type { CloseRequest } from '../lib/api';
import type { CheckStep, ClusterLink, FabricChangedEvent, FabricSettings, ProgressEvent, RemoteNews } from '../lib/types';

const listeners = {
  progress: new Set<(e: ProgressEvent) => void>(),
  changed: new Set<(e: FabricChangedEvent) => void>(),
  repoCheck: new Set<(e: CheckStep) => void>(),
  close: new Set<(e: CloseRequest) => void>(),
};

export function mockApi(original: typeof Api): typeof Api {
  const mocked: Record<string, unknown> = { ...original };
  for (const [name, value] of Object.entries(original)) {
    if (typeof value === 'function' && name !== 'BackendError') {
      mocked[name] = vi.fn(async () => {
        throw new Error(`api.${name} was called but not mocked in this test`);
      });
    }
  }
  mocked.onProgress = vi.fn(async (h: (e: ProgressEvent) => void) => {
    listeners.progress.add(h);
    return () => listeners.progress.delete(h);
  });
  mocked.onFabricChanged = vi.fn(async (h: (e: FabricChangedEvent) => void) => {
    listeners.changed.add(h);
    return () => listeners.changed.delete(h);
  });
  mocked.onRepoCheck = vi.fn(async (h: (e: CheckStep) => void) => {
    listeners.repoCheck.add(h);
    return () => listeners.repoCheck.delete(h);
  });
  mocked.onCloseRequested = vi.fn(async (h: (e: CloseRequest) => void) => {
    listeners.close.add(h);
    return () => listeners.close.delete(h);
  });
  mocked.destroyWindow = vi.fn(async () => {});
  mockWatching(mocked);
  return mocked as typeof Api;
}

export function emitProgress(e: ProgressEvent): void {
  for (const h of listeners.progress) h(e);
}

export function emitFabricChanged(e: FabricChangedEvent): void {
  for (const h of listeners.changed) h(e);
}

export function emitRepoCheck(e: CheckStep): void {
  for (const h of listeners.repoCheck) h(e);
}

/**
 * The window's close button, as Tauri does it: every close-requested handler runs; the window is
 * destroyed unless one called preventDefault. Returns whether it goes on closing (`closes`) and
 * how many handlers ran.
 */
export function requestWindowClose(): { closes: boolean; handlers: number } {
  let prevented = false;
  const event: CloseRequest = { preventDefault: () => (prevented = true) };
  for (const h of listeners.close) h(event);
  return { closes: !prevented, handlers: listeners.close.size };
}

// Watching: `emitRemoteNews` for the background check's news; every overview asks for its fabric's
// settings, so `fabricSettings` answers `auto_pull: false` unless mocked otherwise. The overview
// and the resource table ask for the cluster link too: `clusterLink` answers null (no cluster
// linked) unless mocked otherwise.

const newsListeners = new Set<(e: RemoteNews) => void>();

function mockWatching(mocked: Record<string, unknown>): void {
  mocked.onRemoteNews = vi.fn(async (h: (e: RemoteNews) => void) => {
    newsListeners.add(h);
    return () => newsListeners.delete(h);
  });
  mocked.fabricSettings = vi.fn(async (): Promise<FabricSettings> => ({ auto_pull: false }));
  mocked.clusterLink = vi.fn(async (): Promise<ClusterLink | null> => null);
  mocked.clusterHasToken = vi.fn(async (): Promise<boolean> => false);
}

export function emitRemoteNews(e: RemoteNews): void {
  for (const h of newsListeners) h(e);
}
