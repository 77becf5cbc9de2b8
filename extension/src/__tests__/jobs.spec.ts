import { afterEach, describe, expect, it, vi } from 'vitest';

import { sparklinePath } from '../components/sparkline';
import { CurrentProjectModel } from '../models/current';
import { jobTitle, JobsModel } from '../models/jobs';
import { job } from './fixtures';
import { FakeServer, flush } from './server';

afterEach(() => {
  vi.unstubAllGlobals();
});

function jobsModel() {
  const current = new CurrentProjectModel(null);
  current.set('demo');
  return new JobsModel(current);
}

describe('JobsModel', () => {
  it('lists jobs newest first', async () => {
    new FakeServer({
      'GET projects/demo/jobs': () => ({
        jobs: [
          job('a', 'succeeded', '2026-01-01T10:00:00Z'),
          job('b', 'running', '2026-01-01T12:00:00Z'),
          job('c', 'failed', '2026-01-01T11:00:00Z')
        ]
      })
    });
    const model = jobsModel();
    await model.refresh();
    expect(model.jobs?.map(j => j.id)).toEqual(['b', 'c', 'a']);
  });

  it('polls the metrics of the selected job while it runs, then stops', async () => {
    let state: 'running' | 'succeeded' = 'running';
    let points = [{ step: 0, value: 0.9 }];
    const server = new FakeServer({
      'GET projects/demo/jobs': () => ({ jobs: [job('j', state, '2026-01-01T10:00:00Z')] }),
      'GET projects/demo/jobs/j': () => job('j', state, '2026-01-01T10:00:00Z'),
      'GET projects/demo/jobs/j/metrics': () => ({ metrics: { loss: points } })
    });
    const model = jobsModel();
    await model.refresh();
    model.select('j');
    await flush();
    expect(model.metrics).toEqual({ loss: [{ step: 0, value: 0.9 }] });
    points = [...points, { step: 1, value: 0.5 }];
    await model.refresh();
    expect(model.metrics?.loss).toHaveLength(2);
    state = 'succeeded';
    await model.refresh(); // sees the final state once
    await model.refresh();
    await model.refresh();
    expect(model.detail?.state).toBe('succeeded');
    expect(server.count('GET projects/demo/jobs/j/metrics')).toBe(3);
    model.select('j'); // the same id again closes it
    expect(model.selected).toBeNull();
    expect(model.metrics).toBeNull();
  });

  it('cancels a job and shows its new state', async () => {
    let state: 'running' | 'cancelled' = 'running';
    const server = new FakeServer({
      'GET projects/demo/jobs': () => ({ jobs: [job('j', state, '2026-01-01T10:00:00Z')] }),
      'POST projects/demo/jobs/j/cancel': () => {
        state = 'cancelled';
        return job('j', state, '2026-01-01T10:00:00Z');
      }
    });
    const model = jobsModel();
    await model.refresh();
    await model.cancel('j');
    expect(model.jobs?.[0].state).toBe('cancelled');
    expect(server.count('POST projects/demo/jobs/j/cancel')).toBe(1);
  });
});

describe('job rows and sparklines', () => {
  it('names a job by its model, else dataset and algorithm', () => {
    const j = job('j', 'running', '2026-01-01T10:00:00Z');
    expect(jobTitle(j)).toBe('customers · sklearn.random_forest');
    expect(jobTitle({ ...j, spec: { model_name: 'churn-rf' } })).toBe('churn-rf');
    expect(jobTitle({ ...j, model: { name: 'm', version: 2 } })).toBe('m');
    expect(jobTitle({ ...j, spec: undefined })).toBe('j');
  });

  it('draws a falling loss from top left to bottom right', () => {
    const path = sparklinePath(
      [
        { step: 0, value: 1 },
        { step: 1, value: 0.5 },
        { step: 2, value: 0 }
      ],
      100,
      20,
      0
    );
    expect(path).toBe('M0.0,0.0L50.0,10.0L100.0,20.0');
  });

  it('draws one point as a dash and skips NaN', () => {
    expect(sparklinePath([{ step: 3, value: 2 }], 100, 20)).toBe('M47.0,10L53.0,10');
    expect(sparklinePath([{ step: 0, value: NaN }], 100, 20)).toBe('');
  });
});
