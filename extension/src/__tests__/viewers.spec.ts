import { afterEach, describe, expect, it, vi } from 'vitest';

import { DatasetViewerModel } from '../models/dataset-viewer';
import { ModelViewerModel } from '../models/model-viewer';
import { contentsPath, toSlug } from '../paths';
import { datasetVersion, modelVersion, page } from './fixtures';
import { FakeServer, flush } from './server';

afterEach(() => {
  vi.unstubAllGlobals();
});

const MILLION = 1_000_000;

function bigDataset() {
  return new FakeServer({
    'GET projects/p/datasets/big': () => ({
      name: 'big',
      versions: [datasetVersion('big', 1, 10), datasetVersion('big', 2, MILLION)]
    }),
    'GET projects/p/datasets/big/versions/2': () => ({
      ...datasetVersion('big', 2, MILLION),
      statistics: {},
      lineage: { source: null, recipe: null, parents: [] }
    }),
    'GET projects/p/datasets/big/versions/2/preview': ({ query }) =>
      page(Number(query.get('offset')), Number(query.get('limit')), MILLION),
    'GET projects/p/datasets/big/versions/1/preview': ({ query }) =>
      page(Number(query.get('offset')), Number(query.get('limit')), 10)
  });
}

describe('DatasetViewerModel', () => {
  it('opens the newest version when none is given and fetches one page', async () => {
    const server = bigDataset();
    const model = new DatasetViewerModel('p', 'big', null, 50);
    await model.refresh();
    await flush();
    expect(model.version).toBe(2);
    expect(model.page?.rows).toHaveLength(50);
    expect(model.page?.total).toBe(MILLION);
    const previews = server.requests.filter(r => r.path.endsWith('/preview'));
    expect(previews).toHaveLength(1);
    expect(previews[0].query.get('limit')).toBe('50');
  });

  it('pages forward and back, and jumps to the last page of a million rows', async () => {
    bigDataset();
    const model = new DatasetViewerModel('p', 'big', 2, 100);
    await flush();
    expect(model.hasPrevious).toBe(false);
    model.next();
    await flush();
    expect(model.offset).toBe(100);
    expect(model.page?.rows[0][0]).toBe(100);
    model.previous();
    await flush();
    expect(model.offset).toBe(0);
    model.goTo(10 * MILLION); // past the end: clamped to the last page
    await flush();
    expect(model.offset).toBe(MILLION - 100);
    expect(model.hasNext).toBe(false);
    expect(model.page?.rows).toHaveLength(100);
  });

  it('keeps the page shown while the next one loads', async () => {
    bigDataset();
    const model = new DatasetViewerModel('p', 'big', 2, 25);
    await flush();
    model.next();
    expect(model.page?.offset).toBe(0); // still the old page, not an empty table
    await flush();
    expect(model.page?.offset).toBe(25);
  });

  it('changing the page size keeps the first row in view', async () => {
    bigDataset();
    const model = new DatasetViewerModel('p', 'big', 2, 25);
    await flush();
    model.goTo(275);
    model.setLimit(100);
    await flush();
    expect([model.offset, model.limit]).toEqual([200, 100]);
    model.setLimit(5000);
    expect(model.limit).toBe(1000); // the server's maximum
  });

  it('switching version starts at the first row', async () => {
    bigDataset();
    const model = new DatasetViewerModel('p', 'big', 2, 5);
    await flush();
    model.next();
    model.setVersion(1);
    expect(model.page).toBeNull(); // never a page of the other version
    await flush();
    expect([model.version, model.offset, model.page?.total]).toEqual([1, 0, 10]);
  });
});

describe('ModelViewerModel', () => {
  it('shows the newest version and sets, moves and removes aliases', async () => {
    let aliases: { [alias: string]: number } = {};
    const server = new FakeServer({
      'GET projects/p/models/m': () => ({
        name: 'm',
        aliases,
        versions: [modelVersion('m', 1), modelVersion('m', 2)]
      }),
      'GET projects/p/models/m/versions/2': () => ({
        ...modelVersion('m', 2),
        metrics: { accuracy: 0.93 },
        params: { n_estimators: '100' },
        formats: ['joblib', 'onnx', 'mlflow']
      }),
      'PUT projects/p/models/m/aliases/production': ({ body }) => {
        aliases = { ...aliases, production: (body as { version: number }).version };
        return { aliases };
      },
      'DELETE projects/p/models/m/aliases/production': () => {
        aliases = {};
        return { aliases };
      }
    });
    const model = new ModelViewerModel('p', 'm');
    await model.refresh();
    await flush();
    expect(model.version).toBe(2);
    expect(model.detail?.metrics).toEqual({ accuracy: 0.93 });
    expect(model.detail?.formats).toEqual(['joblib', 'onnx', 'mlflow']);
    await model.setAlias('production', 1);
    expect(model.model?.aliases).toEqual({ production: 1 });
    await model.setAlias('production', 2); // move
    expect(model.model?.aliases).toEqual({ production: 2 });
    await model.removeAlias('production');
    expect(model.model?.aliases).toEqual({});
    expect(server.count('PUT projects/p/models/m/aliases/production')).toBe(2);
  });
});

describe('paths', () => {
  it("turns a project's file into the path JupyterLab opens", () => {
    expect(contentsPath('/home/alice', '/home/alice/projects/churn', 'scripts/train.py')).toBe(
      'projects/churn/scripts/train.py'
    );
    expect(contentsPath('/home/alice/', '/home/alice/projects/churn', './notebooks/a.ipynb')).toBe(
      'projects/churn/notebooks/a.ipynb'
    );
    expect(contentsPath('/', '/srv/p', 'scripts/x.py')).toBe('srv/p/scripts/x.py');
  });

  it('refuses projects outside the root, and look-alike prefixes', () => {
    expect(contentsPath('/home/alice', '/shared/team/projects/p', 'x.py')).toBeNull();
    expect(contentsPath('/home/al', '/home/alice/p', 'x.py')).toBeNull();
    expect(contentsPath('/home/alice', '/home/alice/p', '../../etc/passwd')).toBeNull();
    expect(contentsPath('~', '/home/alice/p', 'x.py')).toBeNull();
  });

  it('makes slugs the server accepts', () => {
    expect(toSlug('Train sklearn')).toBe('train-sklearn');
    expect(toSlug('__My  Script!!')).toBe('my-script');
    expect(toSlug('x'.repeat(100))).toHaveLength(63);
  });
});
