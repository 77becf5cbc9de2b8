import { describe, expect, it, vi } from 'vitest';

import { CurrentProjectModel, IKeyValueStore } from '../models/current';
import { Resource } from '../models/resource';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => (resolve = r));
  return { promise, resolve };
}

describe('Resource', () => {
  it('emits once for loading and once for the data, then not for an unchanged answer', async () => {
    let answer = { n: 1 };
    const resource = new Resource(() => Promise.resolve(answer));
    const emitted = vi.fn();
    resource.changed.connect(emitted);
    await resource.refresh();
    expect(resource.data).toEqual({ n: 1 });
    expect(emitted).toHaveBeenCalledTimes(2); // loading, data
    await resource.refresh();
    await resource.refresh();
    expect(emitted).toHaveBeenCalledTimes(2); // same JSON: no render
    answer = { n: 2 };
    await resource.refresh();
    expect(emitted).toHaveBeenCalledTimes(3);
    expect(resource.data).toEqual({ n: 2 });
  });

  it('keeps the data and shows the error when a refresh fails, and clears it after', async () => {
    const fetch = vi
      .fn<() => Promise<number[]>>()
      .mockResolvedValueOnce([1])
      .mockRejectedValueOnce(new Error('server gone'))
      .mockRejectedValueOnce(new Error('server gone'))
      .mockResolvedValueOnce([1]);
    const resource = new Resource(fetch);
    const emitted = vi.fn();
    resource.changed.connect(emitted);
    await resource.refresh();
    await resource.refresh();
    expect(resource.error).toBe('server gone');
    expect(resource.data).toEqual([1]);
    const before = emitted.mock.calls.length;
    await resource.refresh(); // same error: no render
    expect(emitted).toHaveBeenCalledTimes(before);
    await resource.refresh();
    expect(resource.error).toBeNull();
    expect(emitted).toHaveBeenCalledTimes(before + 1);
  });

  it('drops an answer that arrives after a reset', async () => {
    const slow = deferred<string>();
    const resource = new Resource(() => slow.promise);
    const pending = resource.refresh();
    resource.reset(() => Promise.resolve('other project'));
    slow.resolve('old project');
    await pending;
    expect(resource.data).toBeNull();
    await resource.refresh();
    expect(resource.data).toBe('other project');
  });

  it('answers a refresh with a request made after it: one more for all calls while one is out', async () => {
    let n = 0;
    const first = deferred<number>();
    const fetch = vi.fn(() => (++n === 1 ? first.promise : Promise.resolve(n)));
    const resource = new Resource(fetch);
    const a = resource.refresh();
    const b = resource.refresh(); // e.g. right after a write: the first answer may be stale
    const c = resource.refresh();
    expect(fetch).toHaveBeenCalledTimes(1);
    first.resolve(1);
    await Promise.all([a, b, c]);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(resource.data).toBe(2);
  });

  it('does nothing without a fetch function', async () => {
    const resource = new Resource<number>(null);
    await resource.refresh();
    expect(resource.data).toBeNull();
    expect(resource.loading).toBe(false);
  });
});

class MemoryStore implements IKeyValueStore {
  data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

describe('CurrentProjectModel', () => {
  it('remembers the choice across page loads', () => {
    const store = new MemoryStore();
    const first = new CurrentProjectModel(store);
    const seen: (string | null)[] = [];
    first.changed.connect((_, name) => seen.push(name));
    first.set('churn');
    first.set('churn');
    expect(seen).toEqual(['churn']);
    expect(new CurrentProjectModel(store).name).toBe('churn');
  });

  it('falls back to the first project when the chosen one is gone', () => {
    const current = new CurrentProjectModel(new MemoryStore());
    current.reconcile(['demo', 'churn']);
    expect(current.name).toBe('demo');
    current.set('churn');
    current.reconcile(['demo', 'churn']);
    expect(current.name).toBe('churn');
    current.reconcile(['demo']);
    expect(current.name).toBe('demo');
    current.reconcile([]);
    expect(current.name).toBeNull();
  });
});
