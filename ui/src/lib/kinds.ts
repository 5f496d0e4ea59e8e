// The Hedgehog kinds hhsync manages and their folders under managed/ (the CRD plurals), generated
// from the engine's one table (lib/generated/kinds.ts). The UI needs them to name a resource
// from its path and to give every kind its icon.
import { KINDS, PLURALS, type Kind } from './generated/kinds';

export { KINDS, type Kind };

/** managed/<plural>/ → kind. */
export const KIND_OF_PLURAL: Record<string, Kind> = Object.fromEntries(KINDS.map((k) => [PLURALS[k], k]));
