import { ISignal, Signal } from '@lumino/signaling';

/** The message of anything thrown, for showing to the user. */
export function messageOf(error: unknown): string {
  return error instanceof Error && error.message
    ? error.message
    : String(error);
}

/**
 * One value fetched from the server and fetched again on demand (when the
 * change feed says it may have changed, or after a write).
 *
 * `changed` is emitted only when what a view shows changes: the data (compared
 * by its JSON text, so an unchanged answer costs no render), the error, or the
 * first load starting and ending.
 */
export class Resource<T> {
  constructor(private _fetch: (() => Promise<T>) | null) {}

  /** Emitted when `data`, `error` or `loading` changed. */
  get changed(): ISignal<Resource<T>, void> {
    return this._changed;
  }

  /** The last answer, or null before the first one. */
  get data(): T | null {
    return this._data;
  }

  /** The message of the last failed fetch, or null. */
  get error(): string | null {
    return this._error;
  }

  /** True while the first fetch (after creation or `reset`) is under way. */
  get loading(): boolean {
    return this._loading;
  }

  /** Whether a fetch function is set. */
  get active(): boolean {
    return this._fetch !== null;
  }

  /**
   * Fetch again. Never rejects: failures land in `error`. The answer comes
   * from a request that started after this call: while one is out, calls
   * share one more request made when it ends (so a refresh right after a
   * write never settles for an answer from before it). An answer that
   * arrives after `reset` is dropped.
   */
  refresh(): Promise<void> {
    if (!this._fetch) {
      return Promise.resolve();
    }
    if (!this._pending) {
      this._pending = this._start();
      return this._pending;
    }
    if (!this._queued) {
      const generation = this._generation;
      this._queued = this._pending.then(() => {
        this._queued = null;
        if (generation !== this._generation || !this._fetch) {
          return; // reset or set meanwhile: that fetch is another one's business
        }
        if (!this._pending) {
          this._pending = this._start();
        }
        return this._pending;
      });
    }
    return this._queued;
  }

  private _start(): Promise<void> {
    const pending = this._refresh(this._fetch!).finally(() => {
      if (this._pending === pending) {
        this._pending = null;
      }
    });
    return pending;
  }

  /** Forget the data and fetch with another function from now on (or none). */
  reset(fetch: (() => Promise<T>) | null): void {
    this._fetch = fetch;
    this._generation++;
    this._pending = null;
    this._queued = null;
    const had = this._data !== null || this._error !== null || this._loading;
    this._data = null;
    this._text = '';
    this._error = null;
    this._loading = false;
    if (had) {
      this._changed.emit();
    }
  }

  /** Put a value in directly (e.g. the answer of a write that returns it). */
  set(data: T): void {
    this._generation++;
    this._pending = null;
    this._queued = null;
    this._accept(data);
  }

  private async _refresh(fetch: () => Promise<T>): Promise<void> {
    const generation = this._generation;
    const first = this._data === null && this._error === null;
    if (first && !this._loading) {
      this._loading = true;
      this._changed.emit();
    }
    let data: T | undefined;
    let error: string | null = null;
    try {
      data = await fetch();
    } catch (reason) {
      error = messageOf(reason);
    }
    if (generation !== this._generation) {
      return; // reset (another project, say) while the request was out
    }
    const wasLoading = this._loading;
    this._loading = false;
    if (error !== null) {
      const changed = error !== this._error || wasLoading;
      this._error = error;
      if (changed) {
        this._changed.emit();
      }
      return;
    }
    if (!this._accept(data as T) && wasLoading) {
      this._changed.emit();
    }
  }

  /** Store the data; emit and return true if it differs from what was there. */
  private _accept(data: T): boolean {
    const text = JSON.stringify(data) ?? 'null';
    const errorCleared = this._error !== null;
    this._error = null;
    if (text === this._text && this._data !== null && !errorCleared) {
      return false;
    }
    this._text = text;
    this._data = data;
    this._changed.emit();
    return true;
  }

  private _data: T | null = null;
  private _text = '';
  private _error: string | null = null;
  private _loading = false;
  private _generation = 0;
  private _pending: Promise<void> | null = null;
  private _queued: Promise<void> | null = null;
  private _changed = new Signal<Resource<T>, void>(this);
}
