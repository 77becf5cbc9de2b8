import { afterEach, describe, expect, it, vi } from 'vitest';

import { parseNames } from '../form-rules';
import { metricSummary } from '../components/runs';
import { CurrentProjectModel } from '../models/current';
import { DeploymentsModel } from '../models/deployments';
import { RunViewerModel } from '../models/run-viewer';
import { RunsModel } from '../models/runs';
import { apiError, FakeServer, flush, status } from './server';

afterEach(() => {
  vi.unstubAllGlobals();
});

function current(name = 'demo') {
  const model = new CurrentProjectModel(null);
  model.set(name);
  return model;
}

const served = {
  name: 'iris-forest',
  kind: 'model',
  url: '/user/alice/serve-iris-forest/',
  status: 'running',
  model: { name: 'iris-forest', alias: 'production', version: 1 },
  shared_with: { users: [], groups: [] }
};

function run(id: string, source: 'job' | 'code', metrics = {}) {
  return {
    id,
    name: `run-${id}`,
    experiment: 'demo',
    status: 'FINISHED',
    start_time: '2026-01-01T10:00:00.000+00:00',
    end_time: '2026-01-01T10:01:00.000+00:00',
    params: { alpha: '0.1' },
    metrics,
    source,
    job_id: source === 'job' ? 'j1' : null,
    parent_id: null
  };
}

describe('DeploymentsModel', () => {
  it('lists, stops and shares deployments (a list or {deployments})', async () => {
    let list: unknown[] = [served];
    const server = new FakeServer({
      'GET projects/demo/deployments': () => ({ deployments: list }),
      'DELETE projects/demo/deployments/iris-forest': () => {
        list = [];
        return { name: 'iris-forest', status: 'stopped' };
      },
      'PUT projects/demo/deployments/iris-forest/shares': ({ body }) => ({
        ...served,
        shared_with: body
      })
    });
    const model = new DeploymentsModel(current());
    await model.refresh();
    expect(model.deployments?.map(d => d.name)).toEqual(['iris-forest']);
    expect(model.unavailable).toBeNull();
    await model.share('iris-forest', { users: ['bob'], groups: ['analysts'] });
    const put = server.requests.find(r => r.method === 'PUT');
    expect(put?.body).toEqual({ users: ['bob'], groups: ['analysts'] });
    await model.stop('iris-forest');
    expect(model.deployments).toEqual([]);
    server.on('GET projects/demo/deployments', () => [served]); // a bare list works too
    await model.refresh();
    expect(model.deployments).toHaveLength(1);
  });

  it("says the server's reason plainly outside a hub, not as an error", async () => {
    new FakeServer({
      'GET projects/demo/deployments': () =>
        status(409, apiError('hub_unavailable', 'Deployments need JupyterHub: this server runs outside a hub.'))
    });
    const model = new DeploymentsModel(current());
    await model.refresh();
    expect(model.unavailable).toBe('Deployments need JupyterHub: this server runs outside a hub.');
    expect(model.error).toBeNull();
    expect(model.deployments).toEqual([]);
  });

  it('serves a model and shows the server error of a bad request', async () => {
    const server = new FakeServer({
      'GET projects/demo/deployments': () => ({ deployments: [] }),
      'POST projects/demo/deployments': ({ body }) =>
        (body as { model: string }).model === 'nope'
          ? status(404, apiError('not_found', "no model named 'nope' in project 'demo'"))
          : status(201, { ...served, status: 'starting' })
    });
    const model = new DeploymentsModel(current());
    const made = await model.deploy({ kind: 'model', model: 'iris-forest', alias: 'production' });
    expect(made.status).toBe('starting');
    expect(server.requests.find(r => r.method === 'POST')?.body).toEqual({
      kind: 'model',
      model: 'iris-forest',
      alias: 'production'
    });
    await expect(model.deploy({ kind: 'model', model: 'nope' })).rejects.toThrow(
      "no model named 'nope' in project 'demo'"
    );
    model.dispose();
  });
});

describe('runs', () => {
  it('lists the runs of code only (jobs show as jobs)', async () => {
    new FakeServer({
      'GET projects/demo/runs': () => ({
        runs: [run('a', 'code', { loss: 0.25 }), run('b', 'job'), run('c', 'code')],
        total: 3
      })
    });
    const model = new RunsModel(current());
    await model.refresh();
    expect(model.runs?.map(r => r.id)).toEqual(['a', 'c']);
    expect(metricSummary(model.runs![0])).toBe('loss 0.25');
  });

  it("opens one run with its metric curves", async () => {
    const id = 'f'.repeat(32);
    const server = new FakeServer({
      'GET projects/demo/runs': () => ({ runs: [run(id, 'code', { loss: 0.1 })], total: 1 }),
      [`GET projects/demo/runs/${id}/metrics`]: () => ({
        loss: [
          { step: 0, value: 0.9, timestamp: null },
          { step: 1, value: 0.1, timestamp: null }
        ]
      })
    });
    const model = new RunViewerModel('demo', id);
    await model.refresh();
    await flush();
    expect(model.run?.name).toBe(`run-${id}`);
    expect(model.metrics?.loss.map(p => p.value)).toEqual([0.9, 0.1]);
    await model.refresh(); // a finished run is not fetched again
    expect(server.count(`GET projects/demo/runs/${id}/metrics`)).toBe(1);
    const gone = new RunViewerModel('demo', 'e'.repeat(32));
    await gone.refresh();
    expect(gone.missing).toBe(true);
  });
});

describe('parseNames', () => {
  it('splits on commas and spaces, drops empties and repeats', () => {
    expect(parseNames(' bob, carol  bob,,')).toEqual(['bob', 'carol']);
    expect(parseNames('')).toEqual([]);
  });
});
