import { afterEach, describe, expect, it, vi } from 'vitest';

import { IChanges } from '../api';
import { ChangeFeed, changedParts } from '../models/changes';
import { apiError, FakeServer, flush, status } from './server';

afterEach(() => {
  vi.unstubAllGlobals();
});

function answer(token: string, projects: string, datasets = 'd', models = 'm'): IChanges {
  return {
    token,
    projects,
    project: { demo: { datasets, models, jobs: 'j' }, gone: null }
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => (resolve = r));
  return { promise, resolve };
}

describe('changedParts', () => {
  it('names only the parts whose fingerprint differs', () => {
    const a = answer('1', 'p');
    expect([...changedParts(null, a, 'demo')].sort()).toEqual([
      'datasets',
      'jobs',
      'models',
      'projects'
    ]);
    expect(changedParts(a, a, 'demo').size).toBe(0);
    expect([...changedParts(a, answer('2', 'p', 'd2'), 'demo')]).toEqual(['datasets']);
    expect([...changedParts(a, answer('3', 'q', 'd2'), null)]).toEqual(['projects']);
    // a project the earlier answer did not cover: everything may have changed
    expect(changedParts(a, answer('4', 'p'), 'other').size).toBe(4);
  });
});

describe('ChangeFeed', () => {
  it('asks at once, then waits on the server with the last token, and stops when unwatched', async () => {
    const answers = [answer('t1', 'p'), answer('t2', 'p', 'new')];
    const last = deferred<IChanges>();
    const server = new FakeServer({
      'GET changes': () => answers.shift() ?? last.promise
    });
    const feed = new ChangeFeed(undefined, 20, 10, 0);
    const seen: (string | null)[] = [];
    feed.changed.connect((_, a) => seen.push(a?.token ?? null));
    const watch = feed.watch('demo');
    await flush(10);
    expect(seen).toEqual(['t1', 't2']);
    const asked = server.requests.map(r => [
      r.query.getAll('project').join(','),
      r.query.get('since'),
      r.query.get('wait')
    ]);
    expect(asked).toEqual([
      ['demo', null, null],
      ['demo', 't1', '20'],
      ['demo', 't2', '20']
    ]);
    watch.dispose();
    last.resolve(answer('t3', 'p'));
    await flush(10);
    expect(seen).toEqual(['t1', 't2']); // the answer after unwatching is dropped
    expect(server.count('GET changes')).toBe(3);
    expect(feed.latest?.token).toBe('t2');
  });

  it('asks again at once for a newly watched project, with both projects', async () => {
    const waiting = deferred<IChanges>();
    let n = 0;
    const server = new FakeServer({
      'GET changes': () => (++n === 1 || n === 3 ? answer(`t${n}`, 'p') : waiting.promise)
    });
    const feed = new ChangeFeed(undefined, 20, 10, 0);
    feed.watch(null);
    await flush(10);
    const other = feed.watch('demo');
    await flush(10);
    const projects = server.requests.map(r => r.query.getAll('project'));
    expect(projects.slice(0, 3)).toEqual([[], [], ['demo']]);
    expect(server.requests[2].query.get('since')).toBeNull(); // a new set: no token to wait on
    other.dispose();
    feed.dispose();
    waiting.resolve(answer('late', 'p'));
    await flush(5);
  });

  it('says null when the server cannot tell, and tries again after a pause', async () => {
    vi.useFakeTimers();
    try {
      let fail = true;
      let answered = false;
      new FakeServer({
        'GET changes': () => {
          if (fail) {
            return status(404, apiError('not_found', 'an older server'));
          }
          if (answered) {
            return new Promise(() => undefined); // waits, as the real server does
          }
          answered = true;
          return answer('ok', 'p');
        }
      });
      const feed = new ChangeFeed(undefined, 20, 1500, 0);
      const seen: (string | null)[] = [];
      feed.changed.connect((_, a) => seen.push(a?.token ?? null));
      feed.watch('demo');
      await vi.advanceTimersByTimeAsync(10);
      expect(seen).toEqual([null]);
      await vi.advanceTimersByTimeAsync(1500);
      expect(seen).toEqual([null, null]); // widgets refresh on each null: polling as before
      fail = false;
      await vi.advanceTimersByTimeAsync(1500);
      expect(seen.slice(0, 3)).toEqual([null, null, 'ok']);
      feed.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});
