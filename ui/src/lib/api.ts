// The one door to the backend: every Tauri `invoke` and `listen` of the app is here, typed after
// docs/desktop-api.md, and the window's close request. No other file imports @tauri-apps/*; tests
// mock this module.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWindow } from '@tauri-apps/api/window';
import type {
  AppInfo,
  AuthMethod,
  BlockedResource,
  BulkChoice,
  CheckStep,
  ClusterLink,
  Code,
  Conflict,
  DraftDiff,
  DraftReport,
  DriftReport,
  Fabric,
  FabricChangedEvent,
  FabricSettings,
  Highlight,
  IngestReport,
  InitReport,
  LiveView,
  Operation,
  OperationDiff,
  Overview,
  Preferences,
  ProgressEvent,
  ProposalRow,
  ProposalView,
  ProposeResult,
  PullReport,
  PushReport,
  RemoteNews,
  RepoAuthRow,
  RepoCheck,
  Repository,
  Resolution,
  ResourceDetail,
  ResourceSummary,
  RevertReport,
  TextCheck,
  Topology,
  TreeEntry,
} from './types';
import { CODES } from './types';

export type * from './types';

/** `internal`: the rejection did not come from hhsync's error mapping (a missing command, a panic). */
export type ErrorCode = Code | 'internal';

/** The codes hhsync sends: generated from the Rust enum, so a new code is never read as `internal`. */
const KNOWN_CODES: ReadonlySet<string> = new Set<Code>(CODES);

/** A failed command, carrying the backend's `code` so the UI decides what to show without matching text. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly command: string;
  /** For a refused push: the resources in the way, and why. */
  readonly blocked: BlockedResource[];

  constructor(code: ErrorCode, message: string, command = '', blocked: BlockedResource[] = []) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
    this.command = command;
    this.blocked = blocked;
  }

  /** Whatever `invoke` rejected with, as a BackendError. */
  static from(raw: unknown, command = ''): BackendError {
    if (raw instanceof BackendError) return raw;
    if (raw && typeof raw === 'object') {
      const { code, message, blocked } = raw as { code?: unknown; message?: unknown; blocked?: unknown };
      const text = typeof message === 'string' ? message : raw instanceof Error ? raw.message : String(raw);
      const list = Array.isArray(blocked) ? (blocked as BlockedResource[]) : [];
      if (typeof code === 'string' && KNOWN_CODES.has(code)) return new BackendError(code as Code, text, command, list);
      return new BackendError('internal', text, command);
    }
    return new BackendError('internal', String(raw), command);
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw BackendError.from(raw, command);
  }
}

// Workspace and configuration

export const appInfo = () => call<AppInfo>('app_info');
export const listRepositories = () => call<Repository[]>('list_repositories');
/** Without `options`: a repository without credentials (a local path, a public one). */
export const addRepository = (name: string, url: string, branch: string, options?: RepoAuthOptions) =>
  call<Repository>('add_repository', options ? { name, url, branch, ...authArgs(options) } : { name, url, branch });
export const removeRepository = (name: string) => call<null>('remove_repository', { name });
export const listFabrics = () => call<Fabric[]>('list_fabrics');
export const addFabric = (name: string, repository: string, directory: string, branch?: string) =>
  call<Fabric>('add_fabric', { name, repository, directory, branch: branch || undefined });
export const initFabric = (fabric: string) => call<InitReport>('init_fabric', { fabric });
export const removeFabric = (name: string) => call<null>('remove_fabric', { name });

// Settings: repositories with their credentials, and preferences

/**
 * How a repository authenticates, when adding it or changing it. The token travels one way, into
 * the keychain: no command returns it. Pass it straight from the input; keep no copy.
 */
export interface RepoAuthOptions {
  auth: AuthMethod;
  /** With `auth: 'token'`. Adding: the token. Changing: a new one replaces the stored one; absent keeps it. */
  token?: string;
  /** With `auth: 'ssh'`: a key file (absolute path); absent: the SSH agent's keys. */
  sshKey?: string;
  /** GitHub Enterprise's API; absent: github.com's (or none for other hosts). */
  apiUrl?: string;
}

// Blank means absent for every field: the backend reads an empty token or path as given.
const authArgs = ({ auth, token, sshKey, apiUrl }: RepoAuthOptions) => ({
  auth,
  token: token?.trim() ? token : undefined,
  sshKey: sshKey?.trim() || undefined,
  apiUrl: apiUrl?.trim() || undefined,
});

export const repositorySettings = () => call<RepoAuthRow[]>('repository_settings');
/** Changes how a repository authenticates (its URL and branch stay). */
export const updateRepository = (name: string, options: RepoAuthOptions) =>
  call<RepoAuthRow>('update_repository', { name, ...authArgs(options) });
/** Deletes the repository's token from the keychain; true when there was one. */
export const removeToken = (name: string) => call<boolean>('remove_token', { name });
/** The system's file dialog, opened in ~/.ssh: the chosen key file's path, or null when cancelled. */
export const pickSshKey = () => call<string | null>('pick_ssh_key');
/** Reports each step as a `repo-check` event (`onRepoCheck`) while it runs. */
export const checkRepository = (name: string) => call<RepoCheck>('check_repository', { name });
export const preferences = () => call<Preferences>('preferences');
export type PreferenceKey = 'author.name' | 'author.email' | 'watch.interval' | 'ui.theme';
/** `null` resets the setting to its default. Resolves with every preference after the change. */
export const setPreference = (key: PreferenceKey, value: string | null) => call<Preferences>('set_preference', { key, value });

// Reading a fabric

export const fabricOverview = (fabric: string) => call<Overview>('fabric_overview', { fabric });
export const listResources = (fabric: string) => call<ResourceSummary[]>('list_resources', { fabric });
export const getResource = (fabric: string, kind: string, name: string) =>
  call<ResourceDetail>('get_resource', { fabric, kind, name });
export const checkText = (fabric: string, kind: string, name: string, text: string) =>
  call<TextCheck>('check_text', { fabric, kind, name, text });
export const kindTemplates = () => call<Record<string, string>>('kind_templates');
export const fabricTree = (fabric: string) => call<TreeEntry[]>('fabric_tree', { fabric });
export const fileContent = (fabric: string, path: string) => call<string>('file_content', { fabric, path });
export const operationLog = (fabric: string) => call<Operation[]>('operation_log', { fabric });

// History

/** What operation `operation` committed: its commit, message, author and each file's diff (no files when it made no commit). */
export const operationDiff = (fabric: string, operation: number) => call<OperationDiff>('operation_diff', { fabric, operation });
/**
 * Undoes what operation `operation` committed, as a new commit (a `revert` operation); emits
 * `fabric-changed`. Refused with `revert-blocked` when drafts sit on its files, they changed again
 * since, or its push went to a proposal branch.
 */
export const revertOperation = (fabric: string, operation: number) => call<RevertReport>('revert_operation', { fabric, operation });

export const listConflicts = (fabric: string) => call<Conflict[]>('conflicts', { fabric });

// Drafts

export const saveDraft = (fabric: string, kind: string, name: string, text: string) =>
  call<DraftReport>('save_draft', { fabric, kind, name, text });
export const deleteResource = (fabric: string, kind: string, name: string) =>
  call<DraftReport>('delete_resource', { fabric, kind, name });
/** Without kind and name: every draft of the fabric. */
export const discardDraft = (fabric: string, kind?: string, name?: string) =>
  call<{ kind: string; name: string }[]>('discard_draft', { fabric, kind, name });
export const draftDiffs = (fabric: string) => call<DraftDiff[]>('draft_diffs', { fabric });
export const resolveConflict = (fabric: string, kind: string, name: string, resolution: Resolution) =>
  call<DraftReport>('resolve_conflict', { fabric, kind, name, resolution });
/**
 * Several conflicts, each taking a side at its conflicting fields (what one side alone changed is
 * kept), as one operation: all are resolved or none is.
 */
export const resolveConflicts = (fabric: string, choices: BulkChoice[]) =>
  call<DraftReport[]>('resolve_conflicts', { fabric, choices });

// Long operations (report `progress` events while they run)

export const ingestPreview = (fabric: string) => call<IngestReport>('ingest_preview', { fabric });
export const ingest = (fabric: string) => call<IngestReport>('ingest', { fabric });
export const pull = (fabric: string) => call<PullReport>('pull', { fabric });
export interface PushOptions {
  message?: string;
  branch?: string;
  /** "Kind/name" of the drafts to push; all when absent. */
  only?: string[];
}
export const push = (fabric: string, options: PushOptions = {}) =>
  call<PushReport>('push', {
    fabric,
    message: options.message || undefined,
    branch: options.branch || undefined,
    only: options.only,
  });
export const cancelOperation = (fabric: string, operationId: number | null) =>
  call<boolean>('cancel_operation', { fabric, operationId });

// Proposals and pull requests

export interface ProposeOptions {
  /** The new branch; absent or empty: the backend picks a name. */
  branch?: string;
  message?: string;
  /** "Kind/name" of the drafts to propose; all when absent. */
  only?: string[];
  /** The pull request's title and body; absent: the backend's (the message's first line, the resources). */
  title?: string;
  body?: string;
}
/**
 * Pushes to a new branch and opens a pull request into the fabric's branch. The push can land
 * while opening the pull request fails: then `pull_request` is null and `pull_request_error` says why.
 */
export const propose = (fabric: string, options: ProposeOptions = {}) =>
  call<ProposeResult>('propose', {
    fabric,
    branch: options.branch || undefined,
    message: options.message || undefined,
    only: options.only,
    title: options.title || undefined,
    body: options.body || undefined,
  });
/** The fabric's proposals as the database has them (no network). */
export const proposals = (fabric: string) => call<ProposalView[]>('proposals', { fabric });
/** Asks GitHub for each pull request's state: a merged one is pulled, a closed one abandons its proposal. */
export const refreshProposals = (fabric: string) => call<ProposalView[]>('refresh_proposals', { fabric });
/** Stops following the proposal of `branch`: its drafts stay drafts; the remote branch is left alone. */
export const abandonProposal = (fabric: string, branch: string) => call<ProposalRow>('abandon_proposal', { fabric, branch });
/** Opens an http(s) link (a pull request) in the system browser; any other URL is refused (invalid-input). */
export const openUrl = (url: string) => call<null>('open_url', { url });

// The topology: the fabric's picture

/** Nodes (switches, servers, externals, gateways), edges (bundled links), redundancy groups and wiring problems. */
export const topology = (fabric: string) => call<Topology>('topology', { fabric });
/** What VPC `vpc` reaches: its servers, their switches, the edges between. */
export const vpcHighlight = (fabric: string, vpc: string) => call<Highlight>('vpc_highlight', { fabric, vpc });
export type DiagramFormat = 'svg' | 'dot' | 'mermaid' | 'drawio';
/**
 * Asks where to save (the system's dialog) and writes the diagram: for 'svg', `svg` is the picture
 * diagramSvg.ts drew (the renderer `hhsync diagram --format svg` runs too); the other formats the
 * backend renders. The path written, or null when cancelled.
 */
export const exportDiagram = (fabric: string, format: DiagramFormat, svg?: string) =>
  call<string | null>('export_diagram', { fabric, format, svg: svg ?? null });

// The cluster: what runs (the third state, next to Git and the drafts)

/** How the fabric reaches its cluster; null when no cluster is linked. */
export const clusterLink = (fabric: string) => call<ClusterLink | null>('cluster_link', { fabric });
/**
 * Links the fabric to its cluster. The kubeconfig must parse and hold the context (else
 * `invalid-input`, naming the contexts it has); the cluster itself is not read. Absent context and
 * namespace: the kubeconfig's current context, and `default`. A `token` goes to the system keychain
 * and is used instead of the kubeconfig user's credentials; none keeps a stored one for the same cluster.
 */
export const setCluster = (fabric: string, kubeconfig: string, context?: string | null, namespace?: string | null, token?: string | null) =>
  call<ClusterLink>('set_cluster', { fabric, kubeconfig, context: context || null, namespace: namespace || null, token: token || null });
/** Whether a bearer token given to hhsync is kept for the cluster (in the system keychain; the token itself never comes back). */
export const clusterHasToken = (fabric: string) => call<boolean>('cluster_has_token', { fabric });
/** Forgets the link; true when there was one. */
export const unsetCluster = (fabric: string) => call<boolean>('unset_cluster', { fabric });
/**
 * What runs against what Git (or the draft) wants. `refresh`: read the cluster now (seconds; the
 * snapshot is stored); else the last stored snapshot (offline). `not-linked` without a cluster.
 */
export const drift = (fabric: string, refresh: boolean) => call<DriftReport>('drift', { fabric, refresh });
/** One resource's wanted and live texts, normalized alike, for a side-by-side diff. */
export const liveView = (fabric: string, kind: string, name: string) => call<LiveView>('live_view', { fabric, kind, name });
/** Makes resources only on the cluster ("Kind/name"; empty: all of them) new drafts; emits `fabric-changed`. */
export const adopt = (fabric: string, resources: string[]) => call<DraftReport[]>('adopt', { fabric, resources });
/** The system's file dialog for a kubeconfig: its path, or null when cancelled. */
export const pickKubeconfig = () => call<string | null>('pick_kubeconfig');

// Events

export type Unlisten = () => void;

export async function onProgress(handler: (event: ProgressEvent) => void): Promise<Unlisten> {
  return listen<ProgressEvent>('progress', (e) => handler(e.payload));
}

/** One finished step of a running `checkRepository`. */
export async function onRepoCheck(handler: (event: CheckStep) => void): Promise<Unlisten> {
  return listen<CheckStep>('repo-check', (e) => handler(e.payload));
}

export async function onFabricChanged(handler: (event: FabricChangedEvent) => void): Promise<Unlisten> {
  return listen<FabricChangedEvent>('fabric-changed', (e) => handler(e.payload));
}

// Watching

/** A fabric's own settings: whether the app's background check pulls it by itself. */
export const fabricSettings = (fabric: string) => call<FabricSettings>('fabric_settings', { fabric });
/** Pull when the remote moves and the fabric has no drafts; checked at the watch interval (a preference). */
export const setAutoPull = (fabric: string, enabled: boolean) => call<FabricSettings>('set_auto_pull', { fabric, enabled });

/**
 * A new commit on a fabric's remote, found by the background check (once per commit, for fabrics
 * that do not pull by themselves). Checks that fail arrive as no event: the overview says offline.
 */
export async function onRemoteNews(handler: (event: RemoteNews) => void): Promise<Unlisten> {
  return listen<RemoteNews>('remote-news', (e) => handler(e.payload));
}

// The window

/** A request to close the window (its close button, Alt+F4, Cmd+Q). */
export interface CloseRequest {
  /**
   * Keeps the window open; call it before the handler returns. Without it the window is destroyed
   * once the handler is done; with it, `destroyWindow` closes the window later.
   */
  preventDefault(): void;
}

/**
 * Runs `handler` when the window is asked to close, before it closes. The handler must not throw:
 * the window would stay open.
 */
export async function onCloseRequested(handler: (event: CloseRequest) => void): Promise<Unlisten> {
  return getCurrentWindow().onCloseRequested((event) => handler(event));
}

/** Closes the window at once, asking nothing (needs the `core:window:allow-destroy` permission). */
export async function destroyWindow(): Promise<void> {
  try {
    await getCurrentWindow().destroy();
  } catch (raw) {
    throw BackendError.from(raw, 'destroy_window');
  }
}
