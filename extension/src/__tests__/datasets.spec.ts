import { afterEach, describe, expect, it, vi } from 'vitest';

import { CurrentProjectModel } from '../models/current';
import { DatasetsModel } from '../models/datasets';
import { datasetVersion } from './fixtures';
import { FakeServer, flush } from './server';
import { FakeXHR } from './xhr';

afterEach(() => {
  vi.unstubAllGlobals();
});

function summary(name: string, versions: number) {
  return { name, versions, latest: datasetVersion(name, versions) };
}

describe('DatasetsModel', () => {
  it("shows the current project's datasets and follows a project change", async () => {
    const server = new FakeServer({
      'GET projects/demo/datasets': () => ({ datasets: [summary('iris', 2)] }),
      'GET projects/churn/datasets': () => ({ datasets: [] })
    });
    const current = new CurrentProjectModel(null);
    current.set('demo');
    const model = new DatasetsModel(current);
    await model.refresh();
    expect(model.project).toBe('demo');
    expect(model.datasets?.map(d => d.name)).toEqual(['iris']);
    current.set('churn');
    expect(model.datasets).toBeNull(); // no stale list of the other project
    await model.refresh();
    expect(model.datasets).toEqual([]);
    expect(server.count('GET projects/churn/datasets')).toBe(1);
  });

  it('asks nothing without a project', async () => {
    const server = new FakeServer({});
    const model = new DatasetsModel(new CurrentProjectModel(null));
    await model.refresh();
    expect(model.datasets).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('a dataset saved by a script appears at the next poll', async () => {
    let datasets = [summary('iris', 1)];
    new FakeServer({ 'GET projects/demo/datasets': () => ({ datasets }) });
    const current = new CurrentProjectModel(null);
    current.set('demo');
    const model = new DatasetsModel(current);
    await model.refresh();
    const emitted = vi.fn();
    model.changed.connect(emitted);
    await model.refresh();
    expect(emitted).not.toHaveBeenCalled(); // nothing new: no render
    datasets = [...datasets, summary('customers', 1)];
    await model.refresh();
    expect(emitted).toHaveBeenCalledTimes(1);
    expect(model.datasets?.map(d => d.name)).toEqual(['iris', 'customers']);
  });

  it('shows the versions of an expanded dataset, newest first, and polls them', async () => {
    let versions = [datasetVersion('iris', 1), datasetVersion('iris', 2)];
    const server = new FakeServer({
      'GET projects/demo/datasets': () => ({ datasets: [summary('iris', versions.length)] }),
      'GET projects/demo/datasets/iris': () => ({ name: 'iris', versions })
    });
    const current = new CurrentProjectModel(null);
    current.set('demo');
    const model = new DatasetsModel(current);
    await model.refresh();
    model.toggle('iris');
    expect(model.isExpanded('iris')).toBe(true);
    await flush();
    expect(model.versions('iris')?.map(v => v.version)).toEqual([2, 1]);
    versions = [...versions, datasetVersion('iris', 3)];
    await model.refresh();
    expect(model.versions('iris')?.map(v => v.version)).toEqual([3, 2, 1]);
    model.toggle('iris');
    expect(model.isExpanded('iris')).toBe(false);
    const asked = server.count('GET projects/demo/datasets/iris');
    await model.refresh();
    expect(server.count('GET projects/demo/datasets/iris')).toBe(asked);
  });

  it('uploads with progress, then lists the new dataset', async () => {
    const xhrs: FakeXHR[] = [];
    vi.stubGlobal(
      'XMLHttpRequest',
      class extends FakeXHR {
        constructor() {
          super();
          xhrs.push(this);
        }
      }
    );
    let datasets: ReturnType<typeof summary>[] = [];
    new FakeServer({ 'GET projects/demo/datasets': () => ({ datasets }) });
    const current = new CurrentProjectModel(null);
    current.set('demo');
    const model = new DatasetsModel(current);
    const file = new File(['age,city\n1,x\n'], 'customers.csv');
    const done = model.uploadFile(file);
    expect(model.upload).toMatchObject({ file: 'customers.csv', state: 'uploading', loaded: 0 });
    xhrs[0].upload.onprogress?.({ loaded: 6, total: 12, lengthComputable: true });
    expect(model.upload?.loaded).toBe(6);
    datasets = [summary('customers', 1)];
    xhrs[0].answer(201, { raw: 'data/customers.csv', dataset: datasetVersion('customers', 1), preview: null });
    const result = await done;
    expect(result?.dataset?.name).toBe('customers');
    expect(model.upload?.state).toBe('done');
    expect(model.datasets?.map(d => d.name)).toEqual(['customers']);
    model.dismissUpload();
    expect(model.upload).toBeNull();
  });

  it("keeps the server's message when an upload is refused", async () => {
    const xhr = new FakeXHR();
    vi.stubGlobal(
      'XMLHttpRequest',
      class {
        constructor() {
          return xhr;
        }
      }
    );
    new FakeServer({});
    const current = new CurrentProjectModel(null);
    current.set('demo');
    const model = new DatasetsModel(current);
    const done = model.uploadFile(new File([''], 'empty.csv'));
    xhr.answer(400, { error: { code: 'invalid', message: 'the file is empty', details: {} } });
    expect(await done).toBeNull();
    expect(model.upload).toMatchObject({ state: 'failed', error: 'the file is empty' });
  });

  describe('a file with other columns than the latest version', () => {
    const changes = {
      dataset: 'penguins-raw',
      version: 1,
      added: [{ name: 'body_mass_g', dtype: 'int64' }],
      removed: [{ name: 'sex', dtype: 'object' }],
      changed: [{ name: 'year', old: 'int64', new: 'object' }],
      confirm: 'confirm_schema_change'
    };
    const conflict = {
      error: { code: 'schema_changed', message: 'the columns differ', details: changes }
    };

    function setUp() {
      const xhrs: FakeXHR[] = [];
      vi.stubGlobal(
        'XMLHttpRequest',
        class extends FakeXHR {
          constructor() {
            super();
            xhrs.push(this);
          }
        }
      );
      new FakeServer({ 'GET projects/demo/datasets': () => ({ datasets: [] }) });
      const current = new CurrentProjectModel(null);
      current.set('demo');
      return { xhrs, model: new DatasetsModel(current) };
    }

    it('asks with the differences, then sends it again confirmed', async () => {
      const { xhrs, model } = setUp();
      const asked: unknown[] = [];
      const done = model.uploadFile(new File(['a\n1\n'], 'p2.csv'), 'penguins-raw', async c => {
        asked.push(c);
        expect(model.upload?.state).toBe('confirming');
        return true;
      });
      xhrs[0].answer(409, conflict);
      await flush();
      expect(asked).toEqual([changes]);
      expect((xhrs[0].body as FormData).get('confirm_schema_change')).toBeNull();
      expect(xhrs).toHaveLength(2);
      expect((xhrs[1].body as FormData).get('confirm_schema_change')).toBe('true');
      expect((xhrs[1].body as FormData).get('name')).toBe('penguins-raw');
      xhrs[1].answer(201, { raw: 'data/p2.csv', dataset: datasetVersion('penguins-raw', 2), preview: null });
      expect((await done)?.dataset?.version).toBe(2);
      expect(model.upload?.state).toBe('done');
    });

    it('saves nothing when the person cancels', async () => {
      const { xhrs, model } = setUp();
      const done = model.uploadFile(new File(['a\n1\n'], 'p2.csv'), undefined, async () => false);
      xhrs[0].answer(409, conflict);
      expect(await done).toBeNull();
      expect(xhrs).toHaveLength(1);
      expect(model.upload).toMatchObject({ state: 'cancelled', changes });
    });

    it('without a confirm callback the conflict is an error', async () => {
      const { xhrs, model } = setUp();
      const done = model.uploadFile(new File(['a\n1\n'], 'p2.csv'));
      xhrs[0].answer(409, conflict);
      expect(await done).toBeNull();
      expect(model.upload).toMatchObject({ state: 'failed', error: 'the columns differ' });
    });
  });

  it('an unchanged upload resolves with the existing version', async () => {
    const xhr = new FakeXHR();
    vi.stubGlobal(
      'XMLHttpRequest',
      class {
        constructor() {
          return xhr;
        }
      }
    );
    new FakeServer({ 'GET projects/demo/datasets': () => ({ datasets: [summary('customers', 1)] }) });
    const current = new CurrentProjectModel(null);
    current.set('demo');
    const model = new DatasetsModel(current);
    const done = model.uploadFile(new File(['a\n1\n'], 'customers.csv'));
    xhr.answer(200, {
      raw: 'data/customers.csv',
      dataset: datasetVersion('customers', 1),
      unchanged: true,
      message: 'unchanged',
      notes: [],
      preview: null
    });
    const result = await done;
    expect(result?.unchanged).toBe(true);
    expect(model.upload).toMatchObject({ state: 'done' });
  });
});
