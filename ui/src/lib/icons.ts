// One icon set for the whole app (Lucide, @lucide/svelte): which icon stands for each Hedgehog
// kind, each resource status, each drift state and each fabric badge. Kept in one table so the
// resource table, the sidebar and the badges agree, and an unknown kind still gets a neutral icon
// instead of nothing.
import ArrowDownToLine from '@lucide/svelte/icons/arrow-down-to-line';
import ArrowLeftRight from '@lucide/svelte/icons/arrow-left-right';
import Boxes from '@lucide/svelte/icons/boxes';
import Cable from '@lucide/svelte/icons/cable';
import CircleCheck from '@lucide/svelte/icons/circle-check';
import CircleDashed from '@lucide/svelte/icons/circle-dashed';
import CircleMinus from '@lucide/svelte/icons/circle-minus';
import CirclePlus from '@lucide/svelte/icons/circle-plus';
import CircleQuestionMark from '@lucide/svelte/icons/circle-question-mark';
import CircleX from '@lucide/svelte/icons/circle-x';
import Cloud from '@lucide/svelte/icons/cloud';
import CloudOff from '@lucide/svelte/icons/cloud-off';
import Cpu from '@lucide/svelte/icons/cpu';
import Diff from '@lucide/svelte/icons/diff';
import DoorOpen from '@lucide/svelte/icons/door-open';
import FileQuestionMark from '@lucide/svelte/icons/file-question-mark';
import GitMerge from '@lucide/svelte/icons/git-merge';
import Globe from '@lucide/svelte/icons/globe';
import HardDrive from '@lucide/svelte/icons/hard-drive';
import Hash from '@lucide/svelte/icons/hash';
import Hourglass from '@lucide/svelte/icons/hourglass';
import Import from '@lucide/svelte/icons/import';
import Link from '@lucide/svelte/icons/link';
import LoaderCircle from '@lucide/svelte/icons/loader-circle';
import Network from '@lucide/svelte/icons/network';
import OctagonAlert from '@lucide/svelte/icons/octagon-alert';
import Pencil from '@lucide/svelte/icons/pencil';
import RadioTower from '@lucide/svelte/icons/radio-tower';
import Router from '@lucide/svelte/icons/router';
import Plug from '@lucide/svelte/icons/plug';
import Server from '@lucide/svelte/icons/server';
import Tags from '@lucide/svelte/icons/tags';
import Waypoints from '@lucide/svelte/icons/waypoints';
import type { LucideIcon } from '@lucide/svelte';
import type { BadgeView } from './badge';
import type { Kind } from './kinds';
import type { DriftState, NodeKind, ResourceStatus } from './types';

export type Icon = LucideIcon;

/**
 * Each kind hhsync manages (lib/kinds.ts; a kind missing here does not type-check), with its icon
 * and the icon's name (kept for tests and the `data-icon` attribute).
 */
export const KIND_ICONS: Record<Kind, { icon: Icon; name: string }> = {
  Switch: { icon: Network, name: 'network' },
  Server: { icon: Server, name: 'server' },
  Connection: { icon: Cable, name: 'cable' },
  SwitchGroup: { icon: Boxes, name: 'boxes' },
  VLANNamespace: { icon: Tags, name: 'tags' },
  SwitchProfile: { icon: Cpu, name: 'cpu' },
  ServerProfile: { icon: HardDrive, name: 'hard-drive' },
  VPC: { icon: Cloud, name: 'cloud' },
  VPCAttachment: { icon: Plug, name: 'plug' },
  VPCPeering: { icon: ArrowLeftRight, name: 'arrow-left-right' },
  IPv4Namespace: { icon: Hash, name: 'hash' },
  External: { icon: Globe, name: 'globe' },
  ExternalAttachment: { icon: Link, name: 'link' },
  ExternalPeering: { icon: Waypoints, name: 'waypoints' },
};

const UNKNOWN_KIND = { icon: FileQuestionMark, name: 'file-question-mark' };

export function kindIcon(kind: string): { icon: Icon; name: string } {
  return KIND_ICONS[kind as Kind] ?? UNKNOWN_KIND;
}

/** A resource's status: synced, a draft (new, modified, deleted), a conflict, invalid. */
export const STATUS_ICONS: Record<ResourceStatus, { icon: Icon; name: string }> = {
  synced: { icon: CircleCheck, name: 'circle-check' },
  modified: { icon: Pencil, name: 'pencil' },
  new: { icon: CirclePlus, name: 'circle-plus' },
  deleted: { icon: CircleMinus, name: 'circle-minus' },
  conflict: { icon: GitMerge, name: 'git-merge' },
  invalid: { icon: OctagonAlert, name: 'octagon-alert' },
};

export function statusIcon(status: string): { icon: Icon; name: string } {
  return STATUS_ICONS[status as ResourceStatus] ?? UNKNOWN_KIND;
}

/** The sidebar's fabric badge. */
export const BADGE_ICONS: Record<BadgeView['badge'], { icon: Icon; name: string }> = {
  'in-sync': { icon: CircleCheck, name: 'circle-check' },
  'local-changes': { icon: Pencil, name: 'pencil' },
  behind: { icon: ArrowDownToLine, name: 'arrow-down-to-line' },
  conflicts: { icon: GitMerge, name: 'git-merge' },
  offline: { icon: CloudOff, name: 'cloud-off' },
  error: { icon: CircleX, name: 'circle-x' },
  'never-synced': { icon: CircleDashed, name: 'circle-dashed' },
  loading: { icon: LoaderCircle, name: 'loader-circle' },
  unknown: { icon: CircleDashed, name: 'circle-dashed' },
};

/** A resource's live state (the Live column, the drift panel, the overview's counts). */
export const DRIFT_ICONS: Record<DriftState, { icon: Icon; name: string }> = {
  'in-sync': { icon: CircleCheck, name: 'circle-check' },
  differs: { icon: Diff, name: 'diff' },
  'not-applied': { icon: Hourglass, name: 'hourglass' },
  'only-on-cluster': { icon: Import, name: 'import' },
  unknown: { icon: CircleQuestionMark, name: 'circle-question-mark' },
};

/** A node of the topology picture, by what it is. */
export const NODE_ICONS: Record<NodeKind, { icon: Icon; name: string }> = {
  spine: { icon: RadioTower, name: 'radio-tower' },
  leaf: { icon: Network, name: 'network' },
  'other-switch': { icon: Router, name: 'router' },
  server: { icon: Server, name: 'server' },
  external: { icon: Globe, name: 'globe' },
  gateway: { icon: DoorOpen, name: 'door-open' },
};
