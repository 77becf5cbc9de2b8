import { ISignal, Signal } from '@lumino/signaling';

import {
  api,
  IDatasetSummary,
  IDatasetVersion,
  ISchemaChanges,
  IUploadResult
} from '../api';
import { HubMLError } from '../request';
import { CurrentProjectModel } from './current';
import { messageOf, Resource } from './resource';

/** An upload under way or just finished. */
export interface IUploadState {
  file: string;
  loaded: number;
  total: number;
  /**
   * `uploading` until the server answered, then `done` or `failed`; on a
   * schema change `confirming` while the person is asked, then `cancelled`
   * if they declined (nothing saved) or a new upload with the confirmation.
   */
  state: 'uploading' | 'done' | 'failed' | 'confirming' | 'cancelled';
  /** How the columns differ from the latest version's (a schema change). */
  changes?: ISchemaChanges;
  error: string | null;
  result: IUploadResult | null;
}

/**
 * The Datasets panel's model: the datasets of the current project, the
 * versions of the datasets the person opened, and uploads.
 */
export class DatasetsModel {
  constructor(readonly current: CurrentProjectModel) {
    this._list.changed.connect(this._emit, this);
    current.changed.connect(this._onProject, this);
    this._onProject();
  }

  get changed(): ISignal<DatasetsModel, void> {
    return this._changed;
  }

  /** The project shown, or null. */
  get project(): string | null {
    return this._project;
  }

  get datasets(): IDatasetSummary[] | null {
    return this._list.data;
  }

  get error(): string | null {
    return this._list.error;
  }

  get loading(): boolean {
    return this._list.loading;
  }

  /** The last (or current) upload, or null. */
  get upload(): IUploadState | null {
    return this._upload;
  }

  /** Whether the versions of a dataset are shown. */
  isExpanded(name: string): boolean {
    return this._versions.has(name);
  }

  /** The versions of an expanded dataset (newest first), or null while loading. */
  versions(name: string): IDatasetVersion[] | null {
    const data = this._versions.get(name)?.data;
    return data ? [...data.versions].reverse() : null;
  }

  /** Show or hide the versions of a dataset. */
  toggle(name: string): void {
    const existing = this._versions.get(name);
    if (existing) {
      existing.changed.disconnect(this._emit, this);
      this._versions.delete(name);
      this._emit();
      return;
    }
    const project = this._project;
    if (!project) {
      return;
    }
    const resource = new Resource(() => api.getDataset(project, name));
    resource.changed.connect(this._emit, this);
    this._versions.set(name, resource);
    this._emit();
    void resource.refresh();
  }

  /** Fetch the list and the expanded datasets' versions again. */
  async refresh(): Promise<void> {
    const names = new Set((this._list.data ?? []).map(d => d.name));
    const open = [...this._versions.entries()];
    await Promise.all([
      this._list.refresh(),
      ...open
        .filter(([name]) => names.size === 0 || names.has(name))
        .map(([, r]) => r.refresh())
    ]);
  }

  /**
   * Upload a file into the current project's data/ and save it as a dataset
   * version. Progress lands in `upload`; the promise resolves with the
   * server's answer, or null if the upload failed (the error is in `upload`).
   *
   * When the server answers 409 `schema_changed` (the columns differ from the
   * latest version's), `confirm` is asked with the differences; if it says
   * yes the file is sent again with the confirmation, else nothing is saved.
   */
  async uploadFile(
    file: File,
    name?: string,
    confirm?: (changes: ISchemaChanges) => Promise<boolean>
  ): Promise<IUploadResult | null> {
    try {
      return await this._upload1(file, name, false);
    } catch (error) {
      // only a schema_changed answer gets here: other errors are in `upload`
      if (!confirm) {
        this._failed(error);
        return null;
      }
      const changes = (error as HubMLError).details as ISchemaChanges;
      this._setUpload({ ...this._upload!, state: 'confirming', changes });
      if (!(await confirm(changes))) {
        this._setUpload({ ...this._upload!, state: 'cancelled', error: null });
        return null;
      }
      try {
        return await this._upload1(file, name, true);
      } catch (again) {
        this._failed(again);
        return null;
      }
    }
  }

  /** One upload request; a schema_changed answer is thrown, other errors land in `upload`. */
  private async _upload1(
    file: File,
    name: string | undefined,
    confirmSchemaChange: boolean
  ): Promise<IUploadResult | null> {
    const project = this._project;
    if (!project) {
      return null;
    }
    this._setUpload({
      file: file.name,
      loaded: 0,
      total: file.size,
      state: 'uploading',
      error: null,
      result: null
    });
    try {
      const result = await api.uploadDataset(
        project,
        file,
        { name, confirmSchemaChange },
        {
          onProgress: ({ loaded, total }) =>
            this._setUpload({
              ...this._upload!,
              loaded,
              total: total || file.size
            })
        }
      );
      this._setUpload({
        ...this._upload!,
        loaded: this._upload!.total,
        state: 'done',
        result
      });
      await this._list.refresh();
      return result;
    } catch (error) {
      if (error instanceof HubMLError && error.code === 'schema_changed') {
        throw error;
      }
      this._failed(error);
      return null;
    }
  }

  private _failed(error: unknown): void {
    this._setUpload({
      ...this._upload!,
      state: 'failed',
      error: messageOf(error)
    });
  }

  /** Hide the finished upload's message. */
  dismissUpload(): void {
    const state = this._upload?.state;
    if (state && state !== 'uploading' && state !== 'confirming') {
      this._setUpload(null);
    }
  }

  private _setUpload(upload: IUploadState | null): void {
    this._upload = upload;
    this._emit();
  }

  private _onProject(): void {
    const project = this.current.name;
    if (project === this._project && this._list.active) {
      return;
    }
    this._project = project;
    for (const resource of this._versions.values()) {
      resource.changed.disconnect(this._emit, this);
    }
    this._versions.clear();
    if (this._upload?.state !== 'uploading') {
      this._upload = null;
    }
    this._list.reset(project ? () => api.listDatasets(project) : null);
    this._emit();
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _project: string | null = null;
  private _upload: IUploadState | null = null;
  private _list = new Resource<IDatasetSummary[]>(null);
  private _versions = new Map<
    string,
    Resource<{ name: string; versions: IDatasetVersion[] }>
  >();
  private _changed = new Signal<DatasetsModel, void>(this);
}
