/**
 * What the hubml forms check and choose before anything is sent: the name rule the server
 * gives (GET status `names`) and the New script dialog's defaults. No DOM, no JupyterLab.
 */
import { IDatasetSummary } from './types';

/** What a name is checked against as one types: the server's rule (GET status). */
export interface INameRule {
  pattern: string;
}

/** A full-match RegExp of the server's pattern, or null when there is none to check with. */
export function nameRegExp(rule: INameRule | null): RegExp | null {
  if (!rule?.pattern) {
    return null;
  }
  try {
    return new RegExp(`^(?:${rule.pattern})$`);
  } catch {
    return null; // the server's check still applies
  }
}

/** Column names (lower case) that usually hold what is predicted, as the server picks. */
const TARGET_NAMES = ['target', 'label', 'y', 'class', 'outcome'];

/** The dataset whose latest version was created last, or null. */
export function latestDataset(datasets: IDatasetSummary[]): IDatasetSummary | null {
  let best: IDatasetSummary | null = null;
  for (const d of datasets) {
    if (!best || (d.latest?.created ?? '') > (best.latest?.created ?? '')) {
      best = d;
    }
  }
  return best;
}

/** A column named like a target, else the last column ('' for none). */
export function defaultTarget(columns: string[]): string {
  for (const name of TARGET_NAMES) {
    const found = [...columns].reverse().find(c => c.toLowerCase() === name);
    if (found) {
      return found;
    }
  }
  return columns[columns.length - 1] ?? '';
}

/** Names typed as "a, b c" -> ["a", "b", "c"] (no empty ones, no repeats). */
export function parseNames(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map(s => s.trim()).filter(Boolean))];
}
