// Types for activation-table.mjs, so TypeScript tests can import it.
export interface CatalogParam {
  readonly name: string;
  readonly default: number | undefined;
  readonly kind: string;
}
export interface CatalogEntry {
  readonly name: string;
  readonly mlxName: string;
  readonly formula: string;
  readonly params: readonly CatalogParam[];
}
export const ROOT: string;
export const README: string;
export const START: string;
export const END: string;
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string;
export function renderActivationTable(activations: readonly CatalogEntry[]): string;
export function replaceBetweenMarkers(
  text: string,
  body: string,
  start?: string,
  end?: string,
): string;
export function betweenMarkers(text: string, start?: string, end?: string): string;
