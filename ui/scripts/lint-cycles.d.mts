export function importsOf(path: string, source: string): string[];
export function importGraph(root: string): Map<string, string[]>;
export function findCycles(graph: Map<string, string[]>): string[][];
