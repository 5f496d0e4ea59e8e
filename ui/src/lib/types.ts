// The shapes of the contract with the Tauri shell (docs/desktop-api.md). Every shape the backend
// sends or receives is generated from its Rust type into ./generated/ (src-tauri/src/bindings.rs;
// `cargo test --workspace` fails when those files are stale); this file only gives them the names
// the UI uses. Below the line: the few types that exist in the UI alone. Never copy a backend
// shape by hand into this file.
import type {
  ChangedResource,
  ConflictDetail,
  DiffLine,
  DriftState,
  FabricRow,
  OperationKind,
  OperationRow,
  RepoRow,
  ResolutionArg,
  ResourceStatus,
  ResourceSummary,
  StoredIssue,
} from './generated';

export type * from './generated';
export { CODES } from './generated';

// The UI's names for generated shapes.

export type Repository = RepoRow;
export type Fabric = FabricRow;
export type Operation = OperationRow;
export type Status = ResourceStatus;
export type Issue = StoredIssue;
/** `engine::DraftReport` is an alias of `ResourceSummary` in Rust too. */
export type DraftReport = ResourceSummary;
export type PullChange = ChangedResource;
export type HunkLine = DiffLine;
export type Conflict = ConflictDetail;
/** The `resolution` argument of `resolve_conflict`. */
export type Resolution = ResolutionArg;

// ----- UI-only types: no Rust type has these shapes. -----

/** Every status in the order the UI lists them; the check below fails when one is missing. */
export const STATUSES = ['synced', 'modified', 'new', 'deleted', 'conflict', 'invalid'] as const satisfies readonly Status[];
const allStatuses: Exclude<Status, (typeof STATUSES)[number]> extends never ? true : never = true;
void allStatuses;

/** Every drift state in the order the UI lists them (the Live filter, the overview's counts). */
export const DRIFT_STATES = ['in-sync', 'differs', 'not-applied', 'only-on-cluster', 'unknown'] as const satisfies readonly DriftState[];
const allDriftStates: Exclude<DriftState, (typeof DRIFT_STATES)[number]> extends never ? true : never = true;
void allDriftStates;

/**
 * What the UI names a long task while it shows its progress bar (`operations.run`): a recorded
 * operation, or the clone that adding a repository makes (not an operation of a fabric).
 */
export type TaskKind = OperationKind | 'clone';
