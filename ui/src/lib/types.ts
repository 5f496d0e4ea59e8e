// The shapes of docs/desktop-api.md, the contract with the Tauri shell. Kept word for word so a
// change to the contract shows up here first.

export type Code =
  | 'not-found'
  | 'already-exists'
  | 'invalid-input'
  | 'remote-unreachable'
  | 'auth-failed'
  | 'rejected'
  | 'busy'
  | 'storage'
  | 'git'
  | 'io'
  | 'cancelled'
  | 'keychain-locked'
  | 'keychain-unavailable'
  | 'rate-limited';

export const STATUSES = ['synced', 'modified', 'new', 'deleted', 'conflict', 'invalid'] as const;
export type Status = (typeof STATUSES)[number];

export type Badge = 'in-sync' | 'local-changes' | 'behind' | 'conflicts' | 'offline' | 'error' | 'never-synced';

export interface Issue {
  path: string;
  line?: number | null;
  message: string;
  severity: 'error' | 'warning';
  rule: string;
}

export interface Repository {
  id: number;
  name: string;
  url: string;
  branch: string;
  clone_dir: string;
  created_at: string;
}

export interface Fabric {
  id: number;
  name: string;
  repository_id: number;
  repository: string;
  url: string;
  clone_dir: string;
  branch: string;
  directory: string;
  synced_commit: string | null;
  synced_at: string | null;
}

export interface Operation {
  id: number;
  kind: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'succeeded' | 'attention' | 'failed' | 'interrupted';
  commit_before: string | null;
  commit_after: string | null;
  counts: Record<string, unknown>;
  error: string | null;
  pr_url: string | null;
}

export interface Overview {
  fabric: Fabric;
  badge: Badge;
  badge_count: number;
  counts: Record<Status, number>;
  by_kind: Record<string, number>;
  raw_pending: string[];
  unmanaged: { path: string; reason: string }[];
  remote_commit: string | null;
  last_sync: { when: string; commit: string; author: string; summary: string } | null;
  last_operation: Operation | null;
  drafts: number;
}

export interface ResourceSummary {
  kind: string;
  name: string;
  status: Status;
  path: string | null;
  errors: Issue[];
  warnings: Issue[];
}

export interface ResourceDetail extends ResourceSummary {
  legacy: boolean;
  blob: string | null;
  commit: string | null;
  text: string | null;
  draft_text: string | null;
}

export interface DraftReport {
  kind: string;
  name: string;
  status: Status;
  path: string | null;
  errors: Issue[];
  warnings: Issue[];
}

export interface TextCheck {
  errors: Issue[];
  warnings: Issue[];
}

export interface DraftDiff {
  kind: string;
  name: string;
  change: 'created' | 'modified' | 'deleted';
  path: string;
  old_text: string;
  new_text: string | null;
  diff: string;
}

export interface TreeEntry {
  path: string;
  role: 'raw' | 'archived' | 'managed' | 'unmanaged' | 'structure' | 'stray';
  kind?: string;
  name?: string;
  status?: Status;
  reason?: string;
}

export interface DocumentOutcome {
  file: string;
  index: number | null;
  line: number | null;
  kind: string | null;
  name: string | null;
  outcome: 'managed' | 'unmanaged' | 'error';
  path: string | null;
  reason: string | null;
  invalid?: boolean;
}

export interface IngestReport {
  fabric: string;
  dry_run: boolean;
  operation_id: number | null;
  commit: string | null;
  documents: DocumentOutcome[];
  archived: unknown[];
  raw_files: number;
}

export interface PullChange {
  kind: string;
  name: string;
  change: 'added' | 'changed' | 'deleted';
}

export interface PullReport {
  fabric: string;
  operation_id: number;
  commit_before: string | null;
  commit_after: string | null;
  up_to_date: boolean;
  counts: {
    files: number;
    added: number;
    changed: number;
    deleted: number;
    unmanaged: number;
    drafts_dissolved: number;
    auto_merged: number;
    conflicts: number;
  };
  changed: PullChange[];
}

export interface PushReport {
  fabric: string;
  operation_id: number;
  commit: string | null;
  branch: string;
  pushed: { kind: string; name: string; change: string }[];
  retries: number;
  proposal_id: number | null;
}

export interface HunkLine {
  tag: 'equal' | 'delete' | 'insert';
  old_line: number | null;
  new_line: number | null;
  text: string;
}

export interface Hunk {
  id: string;
  old_start: number;
  old_lines: number;
  new_start: number;
  new_lines: number;
  lines: HunkLine[];
}

export interface Conflict {
  id: number;
  kind: string;
  name: string;
  type: string;
  base_text: string | null;
  ours_text: string | null;
  theirs_text: string | null;
  fields: string[];
  detected_at: string;
  resolved_at: string | null;
  resolution: string | null;
  ours_vs_theirs: Hunk[];
  base_vs_ours: Hunk[];
  base_vs_theirs: Hunk[];
  /** Who changed each hunk of ours_vs_theirs (by id): one side only, or both. */
  hunk_origins: Record<string, 'ours' | 'theirs' | 'both'>;
  /** Field paths upstream changed without conflict that replacing with our whole text drops. */
  whole_ours_drops: string[];
  /** Field paths our draft changed without conflict that replacing with their whole text drops. */
  whole_theirs_drops: string[];
}

export type Resolution =
  | { take: 'ours' | 'theirs' }
  | { whole: 'ours' | 'theirs' }
  | { fields: Record<string, 'ours' | 'theirs'> }
  | { text: string }
  | { hunks: Record<string, 'old' | 'new'>; default: 'old' | 'new' };

export interface AppInfo {
  data_dir: string;
  version: string;
  demo: { created: boolean; fabric: string } | null;
}

export interface InitReport {
  commit: string | null;
  already_initialized: boolean;
  created: string[];
  findings: { path: string; message: string }[];
}

export type OperationKind = 'pull' | 'ingest' | 'push' | 'init' | 'clone' | 'revert';

export interface ProgressEvent {
  fabric: string;
  operation: OperationKind;
  step: string;
  done: number;
  total: number;
  cancellable: boolean;
}

export interface FabricChangedEvent {
  fabric: string;
  reason: 'pull' | 'ingest' | 'push' | 'draft' | 'resolve' | 'init';
}
