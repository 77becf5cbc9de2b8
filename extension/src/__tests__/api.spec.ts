import { afterEach, describe, expect, it, vi } from 'vitest';

import { api } from '../api';
import { HubMLError } from '../request';
import { datasetVersion, page, project } from './fixtures';
import { apiError, FakeServer, status } from './server';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('api', () => {
  it('lists projects and unwraps the list', async () => {
    new FakeServer({ 'GET projects': () => ({ projects: [project('churn')] }) });
    expect((await api.listProjects()).map(p => p.name)).toEqual(['churn']);
  });

  it('POSTs a new project as JSON', async () => {
    const server = new FakeServer({
      'POST projects': ({ body }) => status(201, project((body as { name: string }).name))
    });
    const created = await api.createProject('churn', 'Who leaves');
    expect(created.name).toBe('churn');
    const [request] = server.requests;
    expect(request.body).toEqual({ name: 'churn', description: 'Who leaves' });
    expect(request.headers.get('Content-Type')).toBe('application/json');
  });

  it('PATCHes a rename and DELETEs a project', async () => {
    const server = new FakeServer({
      'PATCH projects/churn': () => project('churn2'),
      'DELETE projects/churn2': () => ({ trashed_to: '/p/.trash/churn2-1' })
    });
    await api.updateProject('churn', { name: 'churn2' });
    expect(server.requests[0].body).toEqual({ name: 'churn2' });
    expect((await api.deleteProject('churn2')).trashed_to).toBe('/p/.trash/churn2-1');
  });

  it('escapes names in paths', async () => {
    const server = new FakeServer({});
    await api.getDataset('p', 'a b/c').catch(() => undefined);
    expect((server.fetch.mock.calls[0][0] as Request).url).toContain('/datasets/a%20b%2Fc');
  });

  it('asks for one preview page with offset and limit', async () => {
    const server = new FakeServer({
      'GET projects/p/datasets/customers/versions/2/preview': ({ query }) =>
        page(Number(query.get('offset')), Number(query.get('limit')), 1_000_000)
    });
    const answer = await api.previewDataset('p', 'customers', 2, 500, 100);
    expect(answer.rows).toHaveLength(100);
    expect(answer.rows[0][0]).toBe(500);
    const { query } = server.requests[0];
    expect([query.get('offset'), query.get('limit')]).toEqual(['500', '100']);
  });

  it('PUTs and DELETEs aliases and returns the new alias map', async () => {
    const server = new FakeServer({
      'PUT projects/p/models/m/aliases/production': ({ body }) => ({
        aliases: { production: (body as { version: number }).version }
      }),
      'DELETE projects/p/models/m/aliases/production': () => ({ aliases: {} })
    });
    expect(await api.setAlias('p', 'm', 'production', 3)).toEqual({ production: 3 });
    expect(server.requests[0].body).toEqual({ version: 3 });
    expect(await api.removeAlias('p', 'm', 'production')).toEqual({});
  });

  it('creates a script from a template', async () => {
    const server = new FakeServer({
      'POST projects/p/scripts': () => status(201, { path: 'scripts/train.py' })
    });
    expect((await api.createScript('p', 'sklearn-train', 'train')).path).toBe('scripts/train.py');
    expect(server.requests[0].body).toEqual({ template: 'sklearn-train', name: 'train' });
  });

  it("passes the server's 4xx message on as a HubMLError", async () => {
    new FakeServer({
      'GET projects/p/datasets/x': () =>
        status(404, apiError('not_found', "no dataset named 'x' in project 'p'"))
    });
    const error = await api.getDataset('p', 'x').catch(e => e);
    expect(error).toBeInstanceOf(HubMLError);
    expect(error.status).toBe(404);
    expect(error.message).toBe("no dataset named 'x' in project 'p'");
  });

  it('reads jobs, metrics and cancels', async () => {
    const server = new FakeServer({
      'GET projects/p/jobs/j1/metrics': () => ({
        metrics: { loss: [{ step: 0, value: 0.9 }] }
      }),
      'POST projects/p/jobs/j1/cancel': () => ({ id: 'j1', state: 'cancelled' })
    });
    expect(await api.jobMetrics('p', 'j1')).toEqual({ loss: [{ step: 0, value: 0.9 }] });
    expect((await api.cancelJob('p', 'j1')).state).toBe('cancelled');
    expect(server.requests[1].method).toBe('POST');
  });

  it('reads a dataset version with statistics and lineage', async () => {
    new FakeServer({
      'GET projects/p/datasets/customers/versions/1': () => ({
        ...datasetVersion('customers', 1),
        statistics: { age: { missing: 3, min: 18, max: 90 } },
        lineage: { source: { type: 'upload' }, recipe: null, parents: [] }
      })
    });
    const detail = await api.getDatasetVersion('p', 'customers', 1);
    expect(detail.statistics.age.missing).toBe(3);
    expect(detail.lineage.source?.type).toBe('upload');
  });
});
