import { ISignal, Signal } from '@lumino/signaling';

import { api, IModelDetail, IModelVersionDetail } from '../api';
import { Resource } from './resource';

/**
 * One registered model opened in the main area: its versions and aliases
 * (polled), the chosen version's run metrics, parameters and formats, and the
 * alias writes.
 */
export class ModelViewerModel {
  constructor(
    readonly project: string,
    readonly name: string
  ) {
    this._model = new Resource(() => api.getModel(project, name));
    this._model.changed.connect(this._onModel, this);
    this._detail.changed.connect(this._emit, this);
  }

  get changed(): ISignal<ModelViewerModel, void> {
    return this._changed;
  }

  get model(): IModelDetail | null {
    return this._model.data;
  }

  /** The version shown in detail (null until the newest is known). */
  get version(): number | null {
    return this._version;
  }

  get detail(): IModelVersionDetail | null {
    return this._detail.data;
  }

  get error(): string | null {
    return this._model.error ?? this._detail.error;
  }

  /** Show another version in detail. */
  select(version: number): void {
    if (version !== this._version) {
      this._version = version;
      this._loadDetail();
      this._emit();
    }
  }

  async refresh(): Promise<void> {
    await this._model.refresh();
    if (this._detail.error) {
      await this._detail.refresh();
    }
  }

  /** Point `alias` at `version` (set it, or move it from another version). */
  async setAlias(alias: string, version: number): Promise<void> {
    await api.setAlias(this.project, this.name, alias, version);
    await this._model.refresh();
  }

  async removeAlias(alias: string): Promise<void> {
    await api.removeAlias(this.project, this.name, alias);
    await this._model.refresh();
  }

  private _onModel(): void {
    const versions = this._model.data?.versions ?? [];
    if (this._version === null && versions.length > 0) {
      this._version = Math.max(...versions.map(v => v.version));
      this._loadDetail();
    }
    this._emit();
  }

  private _loadDetail(): void {
    const { project, name } = this;
    const version = this._version as number;
    this._detail.reset(() => api.getModelVersion(project, name, version));
    void this._detail.refresh();
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _version: number | null = null;
  private _model: Resource<IModelDetail>;
  private _detail = new Resource<IModelVersionDetail>(null);
  private _changed = new Signal<ModelViewerModel, void>(this);
}
