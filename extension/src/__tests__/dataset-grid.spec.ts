import { afterEach, describe, expect, it, vi } from 'vitest';

import { IFilterCondition } from '../api';
import { DatasetViewerModel, nextSort } from '../models/dataset-viewer';
import { datasetVersion, page } from './fixtures';
import { FakeServer, flush } from './server';

afterEach(() => {
  vi.unstubAllGlobals();
});

const ROWS = 54_321;

/** A server whose preview sorts (age descending reverses) and filters (age lt n). */
function gridServer() {
  return new FakeServer({
    'GET projects/p/datasets/d': () => ({ name: 'd', versions: [datasetVersion('d', 1, ROWS)] }),
    'GET projects/p/datasets/d/versions/1': () => ({
      ...datasetVersion('d', 1, ROWS),
      statistics: {},
      lineage: { source: null, recipe: null, parents: [] }
    }),
    'GET projects/p/datasets/d/versions/1/preview': ({ query }) => {
      const filter = JSON.parse(query.get('filter') ?? '[]') as IFilterCondition[];
      const below = filter.find(f => f.column === 'age' && f.op === 'lt');
      const total = below ? Number(below.value) : ROWS;
      const offset = Number(query.get('offset'));
      const result = page(offset, Number(query.get('limit')), total);
      if (query.get('sort') === 'age' && query.get('order') === 'desc') {
        result.rows = result.rows.map(([i]) => [total - 1 - (i as number), 'x']);
      }
      return result;
    }
  });
}

describe('DatasetViewerModel grid', () => {
  it('numbers pages and jumps to the last one in one step', async () => {
    gridServer();
    const model = new DatasetViewerModel('p', 'd', 1, 250);
    await flush();
    expect([model.pageNumber, model.pageCount]).toEqual([1, Math.ceil(ROWS / 250)]);
    model.last();
    await flush();
    expect(model.offset).toBe(Math.floor((ROWS - 1) / 250) * 250);
    expect(model.pageNumber).toBe(model.pageCount);
    expect(model.page?.rows.at(-1)?.[0]).toBe(ROWS - 1);
    expect(model.hasNext).toBe(false);
    model.goToPage(3);
    await flush();
    expect(model.offset).toBe(500);
    model.goToPage(0); // clamped to the first page
    await flush();
    expect(model.offset).toBe(0);
    model.goToPage(10 ** 9); // clamped to the last page
    await flush();
    expect(model.pageNumber).toBe(model.pageCount);
    model.first();
    await flush();
    expect(model.offset).toBe(0);
  });

  it('jumps to a row number and marks it', async () => {
    gridServer();
    const model = new DatasetViewerModel('p', 'd', 1, 100);
    await flush();
    model.goToRow(12_345);
    await flush();
    expect(model.offset).toBe(12_300);
    expect(model.markedRow).toBe(12_345);
    expect(model.page?.rows[44][0]).toBe(12_344); // the 45th row of the page
    model.goToRow(ROWS + 1000); // past the end: the last row
    await flush();
    expect(model.markedRow).toBe(ROWS);
    expect(model.hasNext).toBe(false);
  });

  it('sorts and filters on the server, from the first page', async () => {
    const server = gridServer();
    const model = new DatasetViewerModel('p', 'd', 1, 50);
    await flush();
    model.goTo(500);
    model.setSort({ column: 'age', order: 'desc' });
    await flush();
    expect(model.offset).toBe(0);
    const sorted = server.requests.filter(r => r.path.endsWith('/preview')).at(-1)!;
    expect([sorted.query.get('sort'), sorted.query.get('order')]).toEqual(['age', 'desc']);
    expect(sorted.query.get('filter')).toBeNull();
    expect(model.page?.rows[0][0]).toBe(ROWS - 1);

    model.setFilter([{ column: 'age', op: 'lt', value: 120 }]);
    await flush();
    const filtered = server.requests.filter(r => r.path.endsWith('/preview')).at(-1)!;
    expect(JSON.parse(filtered.query.get('filter')!)).toEqual([
      { column: 'age', op: 'lt', value: 120 }
    ]);
    expect(filtered.query.get('sort')).toBe('age'); // the sort stays
    expect(model.total).toBe(120);
    expect(model.pageCount).toBe(3);
    model.last();
    await flush();
    expect(model.offset).toBe(100);
    expect(model.page?.rows).toHaveLength(20);

    model.setFilter([]);
    model.setSort(null);
    await flush();
    const plain = server.requests.filter(r => r.path.endsWith('/preview')).at(-1)!;
    expect(plain.query.get('sort')).toBeNull();
    expect(model.total).toBe(ROWS);
  });

  it('undoes a filter the server refuses and keeps its reason', async () => {
    const server = gridServer();
    const model = new DatasetViewerModel('p', 'd', 1, 50);
    await flush();
    model.setFilter([{ column: 'age', op: 'lt', value: 120 }]);
    await flush();
    expect(model.total).toBe(120);
    server.on('GET projects/p/datasets/d/versions/1/preview', ({ query }) =>
      (query.get('filter') ?? '').includes('"x"')
        ? [400, { error: { code: 'invalid', message: "filter[1]: no column 'x'", details: {} } }]
        : page(Number(query.get('offset')), Number(query.get('limit')), 120)
    );
    model.setFilter([...model.filter, { column: 'x', op: 'isnull' }]);
    await flush(10);
    expect(model.queryError).toBe("filter[1]: no column 'x'");
    expect(model.filter).toEqual([{ column: 'age', op: 'lt', value: 120 }]);
    expect(model.error).toBeNull();
    expect(model.page?.total).toBe(120);
    model.setSort({ column: 'age', order: 'asc' }); // the next query clears the reason
    expect(model.queryError).toBeNull();
  });

  it('cycles a header click through ascending, descending and none', () => {
    expect(nextSort(null, 'a')).toEqual({ column: 'a', order: 'asc' });
    expect(nextSort({ column: 'a', order: 'asc' }, 'a')).toEqual({ column: 'a', order: 'desc' });
    expect(nextSort({ column: 'a', order: 'desc' }, 'a')).toBeNull();
    expect(nextSort({ column: 'a', order: 'desc' }, 'b')).toEqual({ column: 'b', order: 'asc' });
  });
});
