import { ISignal, Signal } from '@lumino/signaling';

import { requestAPI } from './request';

/** A framework known to hubml, as found in the user's environment. */
export interface IFrameworkStatus {
  name: string;
  label: string;
  module: string;
  importable: boolean;
  version: string | null;
}

/** The profile (image) the hub started this server with. */
export interface IProfile {
  name: string;
  display_name: string;
  description: string;
  frameworks: string[];
}

/** The body of `GET {base_url}hubml/api/status`. */
export interface IStatus {
  version: string;
  profile: IProfile | null;
  frameworks: IFrameworkStatus[];
  project_roots: string[];
  server: { user: string; base_url: string };
  /** The rule names follow: `pattern` must match a whole name (JavaScript RegExp syntax). */
  names?: { pattern: string; rule: string };
}

/**
 * Holds the latest answer of the status endpoint.
 *
 * `changed` is emitted whenever `loading`, `status` or `error` change.
 */
export class StatusModel {
  constructor(
    private readonly _fetch: () => Promise<IStatus> = () =>
      requestAPI<IStatus>('status')
  ) {}

  /** Emitted when the model changed. */
  get changed(): ISignal<StatusModel, void> {
    return this._changed;
  }

  /** The last status received, or null before the first answer. */
  get status(): IStatus | null {
    return this._status;
  }

  /** The message of the last failed refresh, or null. */
  get error(): string | null {
    return this._error;
  }

  /** Whether a refresh is under way. */
  get loading(): boolean {
    return this._loading;
  }

  /**
   * Fetch the status again. Never rejects: failures land in `error`.
   * Concurrent calls share one request.
   */
  refresh(): Promise<void> {
    if (!this._pending) {
      this._pending = this._refresh().finally(() => {
        this._pending = null;
      });
    }
    return this._pending;
  }

  private async _refresh(): Promise<void> {
    this._loading = true;
    this._changed.emit();
    try {
      this._status = await this._fetch();
      this._error = null;
    } catch (error) {
      this._error =
        error instanceof Error && error.message
          ? error.message
          : String(error);
    } finally {
      this._loading = false;
      this._changed.emit();
    }
  }

  private _status: IStatus | null = null;
  private _error: string | null = null;
  private _loading = false;
  private _pending: Promise<void> | null = null;
  private _changed = new Signal<StatusModel, void>(this);
}
