// Made-up fabric data for tests and the filter benchmark.
import type { Conflict, DraftDiff, DriftReport, Overview, PullReport, ResourceDrift, ResourceSummary, Status } from '../lib/types';

const KINDS = ['Connection', 'Server', 'Switch', 'SwitchGroup', 'VPC', 'VPCAttachment', 'VLANNamespace', 'IPv4Namespace'];
const STATUS_CYCLE: Status[] = ['synced', 'synced', 'synced', 'synced', 'modified', 'new', 'synced', 'invalid', 'deleted', 'conflict'];
const PLURAL: Record<string, string> = {
  Connection: 'connections',
  Server: 'servers',
  Switch: 'switches',
  SwitchGroup: 'switchgroups',
  VPC: 'vpcs',
  VPCAttachment: 'vpcattachments',
  VLANNamespace: 'vlannamespaces',
  IPv4Namespace: 'ipv4namespaces',
};

/** `n` resources over 8 kinds; every 10th is invalid with a VLAN error, names like `switch-00042`. */
export function makeResources(n: number): ResourceSummary[] {
  const out: ResourceSummary[] = [];
  for (let i = 0; i < n; i++) {
    const kind = KINDS[i % KINDS.length];
    const status = STATUS_CYCLE[i % STATUS_CYCLE.length];
    const name = `${kind.toLowerCase()}-${String(i).padStart(5, '0')}`;
    out.push({
      kind,
      name,
      status,
      path: `managed/${PLURAL[kind]}/${name}.yaml`,
      errors: status === 'invalid' ? [{ path: 'spec.vlan', line: 7, message: 'VLAN 5000 is outside 1-4094', severity: 'error', rule: 'vlan' }] : [],
      warnings: i % 97 === 0 ? [{ path: 'spec.redundancy', message: 'MCLAG is deprecated', severity: 'warning', rule: 'mclag' }] : [],
    });
  }
  return out;
}

export function makeOverview(partial: Partial<Overview> = {}): Overview {
  return {
    fabric: {
      id: 1,
      name: 'demo',
      repository_id: 1,
      repository: 'demo',
      url: '/data/demo/remote.git',
      clone_dir: '/data/clones/demo.git',
      branch: 'main',
      directory: 'gitops/hedgehog/fabric-1',
      synced_commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      synced_at: '2024-11-01T10:00:00Z',
    },
    badge: 'in-sync',
    badge_count: 0,
    counts: { synced: 46, modified: 0, new: 0, deleted: 0, conflict: 0, invalid: 0 },
    by_kind: { Connection: 26, Server: 10, Switch: 7, SwitchGroup: 3 },
    raw_pending: [],
    unmanaged: [],
    remote_commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    last_sync: { when: '2024-11-01T10:00:00Z', commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', author: 'Ada', summary: 'ingest' },
    last_operation: null,
    drafts: 0,
    ...partial,
  };
}

export function makeDiffs(): DraftDiff[] {
  return [
    { kind: 'Switch', name: 'leaf-01', change: 'modified', path: 'managed/switches/leaf-01.yaml', old_text: 'a\n', new_text: 'b\n', diff: '--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n' },
    { kind: 'VPC', name: 'vpc-1', change: 'created', path: 'managed/vpcs/vpc-1.yaml', old_text: '', new_text: 'x\n', diff: '+x\n' },
    { kind: 'Server', name: 'server-03', change: 'modified', path: 'managed/servers/server-03.yaml', old_text: 'c\n', new_text: 'd\n', diff: '-c\n+d\n' },
  ];
}

export function makePull(partial: Partial<PullReport> = {}): PullReport {
  return {
    fabric: 'demo',
    operation_id: 7,
    commit_before: '1111111111111111111111111111111111111111',
    commit_after: '2222222222222222222222222222222222222222',
    up_to_date: false,
    counts: { files: 2, added: 1, changed: 1, deleted: 0, unmanaged: 0, drafts_dissolved: 0, auto_merged: 0, conflicts: 0 },
    changed: [
      { kind: 'Switch', name: 'leaf-01', change: 'changed' },
      { kind: 'Server', name: 'server-09', change: 'added' },
    ],
    ...partial,
  };
}

export function makeConflict(): Conflict {
  return {
    id: 3,
    kind: 'Switch',
    name: 'leaf-01',
    type: 'edit-edit',
    base_text: 'spec:\n  description: base\n',
    ours_text: 'spec:\n  description: ours\n',
    theirs_text: 'spec:\n  description: theirs\n',
    fields: ['spec.description'],
    theirs_commit: null,
    detected_at: '2024-11-01T10:00:00Z',
    resolved_at: null,
    resolution: null,
    resolved_by: null,
    ours_vs_theirs: [
      {
        id: 'h1',
        old_start: 2,
        old_lines: 1,
        new_start: 2,
        new_lines: 1,
        lines: [
          { tag: 'delete', old_line: 2, new_line: null, text: '  description: ours' },
          { tag: 'insert', old_line: null, new_line: 2, text: '  description: theirs' },
        ],
      },
    ],
    base_vs_ours: [],
    base_vs_theirs: [],
    hunk_origins: { h1: 'both' },
    whole_ours_drops: [],
    whole_theirs_drops: [],
    merge_regions: [
      { kind: 'unchanged', base: 'spec:\n', ours: 'spec:\n', theirs: 'spec:\n' },
      { kind: 'conflict', base: '  description: base\n', ours: '  description: ours\n', theirs: '  description: theirs\n' },
    ],
  };
}

/** One resource's drift, in sync unless told otherwise. */
export function drifted(kind: string, name: string, partial: Partial<ResourceDrift> = {}): ResourceDrift {
  return { kind, name, state: 'in-sync', fields: [], reason: null, against_draft: false, ...partial };
}

/**
 * A drift report read two minutes ago: one resource in each state (VPC/vpc-9 only on the cluster),
 * leaf-02's agent stale, leaf-03 not applied, spine-01 without agent, and leaf-01's E1/3 cabled to
 * leaf-03 where Git says leaf-02.
 */
export function makeDrift(partial: Partial<DriftReport> = {}): DriftReport {
  return {
    cluster: 'reachable',
    snapshot_at: new Date(Date.now() - 120_000).toISOString(),
    resources: [
      drifted('Switch', 'leaf-01'),
      drifted('Switch', 'leaf-02', { state: 'differs', fields: ['spec.description', 'spec.portSpeeds.E1/1'] }),
      drifted('VPC', 'vpc-1', { state: 'not-applied', against_draft: true }),
      drifted('VPC', 'vpc-9', { state: 'only-on-cluster' }),
      drifted('Server', 'server-01', { state: 'unknown', reason: 'the cluster has no Server kind' }),
    ],
    switches: [
      {
        name: 'leaf-01',
        agent: 'alive',
        heartbeat_age_s: 4,
        applied: true,
        links: [
          { connection: 'leaf-01--spine-01', port: 'E1/1', oper: 'up', lldp: 'ok', expected: 'spine-01/E1/1', seen: 'spine-01/E1/1' },
          { connection: 'leaf-01--leaf-02', port: 'E1/3', oper: 'up', lldp: 'wrong', expected: 'leaf-02/E1/3', seen: 'leaf-03/E1/3' },
        ],
      },
      { name: 'leaf-02', agent: 'stale', heartbeat_age_s: 360, applied: true, links: [] },
      { name: 'leaf-03', agent: 'alive', heartbeat_age_s: 3, applied: false, links: [] },
      { name: 'spine-01', agent: 'missing', heartbeat_age_s: null, applied: false, links: [] },
    ],
    ...partial,
  };
}
