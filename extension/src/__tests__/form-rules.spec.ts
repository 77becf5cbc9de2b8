import { describe, expect, it } from 'vitest';

import { IDatasetSummary } from '../api';
import { defaultTarget, latestDataset, nameRegExp } from '../form-rules';

function summary(name: string, created: string): IDatasetSummary {
  return {
    name,
    versions: 1,
    latest: {
      name,
      version: 1,
      description: '',
      store: 'file',
      rows: 3,
      columns: [],
      source: null,
      recipe: null,
      parents: [],
      created
    }
  };
}

describe('New script defaults', () => {
  it('picks the dataset whose latest version was created last', () => {
    const datasets = [
      summary('b-first', '2026-01-01T10:00:00+00:00'),
      summary('a-last', '2026-03-01T10:00:00+00:00'),
      summary('c-middle', '2026-02-01T10:00:00+00:00')
    ];
    expect(latestDataset(datasets)?.name).toBe('a-last');
    expect(latestDataset([])).toBeNull();
  });

  it('picks a column named like a target, else the last one', () => {
    expect(defaultTarget(['x', 'Label', 'z'])).toBe('Label');
    expect(defaultTarget(['y', 'target', 'z'])).toBe('target');
    expect(defaultTarget(['a', 'b', 'species'])).toBe('species');
    expect(defaultTarget([])).toBe('');
  });
});

describe('nameRegExp', () => {
  it('matches whole names only, and gives up on a pattern it cannot compile', () => {
    const re = nameRegExp({ pattern: '[a-z0-9][a-z0-9_\\-]{0,62}' });
    expect(['churn', 'x-1_b'].map(s => re?.test(s))).toEqual([true, true]);
    expect(['Churn', '-x', 'a b', 'ok\n'].map(s => re?.test(s))).toEqual([
      false,
      false,
      false,
      false
    ]);
    expect(nameRegExp({ pattern: '[' })).toBeNull();
    expect(nameRegExp(null)).toBeNull();
  });
});
