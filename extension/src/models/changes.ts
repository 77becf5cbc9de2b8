import { ISignal, Signal } from '@lumino/signaling';

import { api, IChanges } from '../api';

/** Something to let go of, like a watch. */
export interface IWatch {
  dispose(): void;
}

/** What a fingerprint of GET changes covers. */
export type Part = 'projects' | 'datasets' | 'models' | 'jobs';

export const PARTS: readonly Part[] = ['projects', 'datasets', 'models', 'jobs'];

/** Whether an answer has fingerprints for `project` (null: the project list only). */
export function covers(answer: IChanges | null, project: string | null): boolean {
  return answer !== null && (project === null || project in answer.project);
}

/**
 * The parts that may differ between two answers, for one project (null: only
 * the project list). Without an earlier answer, everything may differ.
 */
export function changedParts(
  before: IChanges | null,
  after: IChanges,
  project: string | null
): Set<Part> {
  if (!covers(before, project)) {
    return new Set(PARTS);
  }
  const out = new Set<Part>();
  if (before!.projects !== after.projects) {
    out.add('projects');
  }
  if (project !== null) {
    const was = before!.project[project] ?? null;
    const now = after.project[project] ?? null;
    for (const part of ['datasets', 'models', 'jobs'] as const) {
      if ((was?.[part] ?? null) !== (now?.[part] ?? null)) {
        out.add(part);
      }
    }
  }
  return out;
}

/** The request the feed makes; tests pass another. */
export type ChangesFetch = (
  projects: string[],
  since: string,
  wait: number,
  signal: AbortSignal
) => Promise<IChanges>;

/**
 * One long-poll for the whole page: `GET changes` for every project a visible
 * widget watches, waiting on the server (up to `wait` s) until a fingerprint
 * changes. Jupyter has no file-change events for arbitrary folders, so this
 * keeps refreshes change-driven while costing the server only stat() calls.
 *
 * `changed` is emitted with every answer (changed or not: widgets compare the
 * parts they show), and with null when the server cannot tell (an error, or a
 * server without the endpoint): widgets then refresh everything, and the feed
 * tries again after `retry` ms, so they poll at that pace as before.
 * Requests start at least `gap` ms apart (a server that answers at once,
 * with long-polling turned off, is asked twice a second at most).
 */
export class ChangeFeed {
  constructor(
    private readonly _fetch: ChangesFetch = api.changes,
    readonly wait = 25,
    readonly retry = 1500,
    readonly gap = 500
  ) {}

  get changed(): ISignal<ChangeFeed, IChanges | null> {
    return this._changed;
  }

  /** The last answer, or null (none yet, or the last request failed). */
  get latest(): IChanges | null {
    return this._latest;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Watch a project (null: only the project list) until the result is disposed. */
  watch(project: string | null): IWatch {
    const key = project ?? '';
    const count = this._watched.get(key) ?? 0;
    this._watched.set(key, count + 1);
    if (count === 0 && (project !== null || this._live !== this._generation)) {
      this._restart(); // a new project: the waiting request does not cover it
    }
    let done = false;
    return {
      dispose: () => {
        if (done) {
          return;
        }
        done = true;
        const left = (this._watched.get(key) ?? 1) - 1;
        if (left > 0) {
          this._watched.set(key, left);
          return;
        }
        this._watched.delete(key);
        if (this._watched.size === 0) {
          this._stop();
        }
      }
    };
  }

  dispose(): void {
    if (!this._disposed) {
      this._disposed = true;
      this._watched.clear();
      this._stop();
      Signal.clearData(this);
    }
  }

  private _projects(): string[] {
    return [...this._watched.keys()].filter(Boolean).sort();
  }

  private _stop(): void {
    this._generation++;
    this._controller?.abort();
    this._controller = null;
  }

  private _restart(): void {
    if (this._disposed) {
      return;
    }
    this._stop();
    void this._loop(this._generation);
  }

  private async _loop(generation: number): Promise<void> {
    this._live = generation;
    try {
      while (generation === this._generation && this._watched.size > 0) {
        const projects = this._projects();
        const key = projects.join('/');
        const since = this._latest && this._latestKey === key ? this._latest.token : '';
        const controller = new AbortController();
        this._controller = controller;
        const started = Date.now();
        let answer: IChanges | null = null;
        try {
          answer = await this._fetch(projects, since, since ? this.wait : 0, controller.signal);
        } catch {
          answer = null;
        }
        if (generation !== this._generation) {
          return; // restarted for another set of projects, or stopped
        }
        this._latest = answer;
        this._latestKey = key;
        this._changed.emit(answer);
        const pause =
          answer === null ? this.retry : this.gap - (Date.now() - started);
        if (pause > 0) {
          await new Promise(resolve => setTimeout(resolve, pause));
        }
      }
    } finally {
      if (this._live === generation) {
        this._live = -1;
      }
    }
  }

  private _watched = new Map<string, number>();
  private _latest: IChanges | null = null;
  private _latestKey = '';
  private _generation = 0;
  private _live = -1;
  private _controller: AbortController | null = null;
  private _disposed = false;
  private _changed = new Signal<ChangeFeed, IChanges | null>(this);
}
