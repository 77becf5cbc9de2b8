import { ISignal, Signal } from '@lumino/signaling';

/** Where the current project's name is kept between page loads. */
export const CURRENT_PROJECT_KEY = 'hubml:current-project';

/** Something that stores strings, like `window.localStorage`. */
export interface IKeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function defaultStore(): IKeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser
  }
}

/**
 * The project every panel shows: one shared model.
 *
 * The name is remembered in the browser's local storage, so a reload shows the
 * same project.
 */
export class CurrentProjectModel {
  constructor(private readonly _store: IKeyValueStore | null = defaultStore()) {
    this._name = this._read();
  }

  /** Emitted with the new name (or null) when the current project changes. */
  get changed(): ISignal<CurrentProjectModel, string | null> {
    return this._changed;
  }

  /** The current project's name, or null when none is chosen. */
  get name(): string | null {
    return this._name;
  }

  /** Choose the current project (null: none). */
  set(name: string | null): void {
    if (name === this._name) {
      return;
    }
    this._name = name;
    try {
      if (name === null) {
        this._store?.removeItem(CURRENT_PROJECT_KEY);
      } else {
        this._store?.setItem(CURRENT_PROJECT_KEY, name);
      }
    } catch {
      // Storage full or disabled: the choice lasts until the page reloads.
    }
    this._changed.emit(name);
  }

  /**
   * Keep the choice valid for a fresh list of project names: a project that
   * is gone is replaced by the first one left (or none); with nothing chosen,
   * the first project is chosen.
   */
  reconcile(names: string[]): void {
    if (this._name !== null && names.includes(this._name)) {
      return;
    }
    this.set(names.length > 0 ? names[0] : null);
  }

  private _read(): string | null {
    try {
      return this._store?.getItem(CURRENT_PROJECT_KEY) ?? null;
    } catch {
      return null;
    }
  }

  private _name: string | null;
  private _changed = new Signal<CurrentProjectModel, string | null>(this);
}
