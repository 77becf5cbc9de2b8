import { ISignal, Signal } from '@lumino/signaling';

import {
  api,
  IDatasetVersion,
  IDatasetVersionDetail,
  IPreview
} from '../api';
import { Resource } from './resource';

/** The page sizes the preview offers; the server allows up to 1000. */
export const PAGE_SIZES = [25, 50, 100, 250];

/**
 * One dataset version opened in the main area: its versions (polled, so new
 * ones show up), the chosen version's schema, statistics and lineage, and one
 * page of its rows. Versions never change, so their detail and pages are
 * fetched once.
 */
export class DatasetViewerModel {
  constructor(
    readonly project: string,
    readonly name: string,
    version: number | null,
    limit = 50
  ) {
    this._version = version;
    this._limit = limit;
    this._versions = new Resource(() => api.getDataset(project, name));
    for (const r of [this._versions, this._detail, this._page]) {
      (r as Resource<unknown>).changed.connect(this._emit, this);
    }
    this._versions.changed.connect(this._onVersions, this);
    this._page.changed.connect(() => {
      this._shown = this._page.data ?? this._shown;
    });
    if (version !== null) {
      this._load();
    }
  }

  get changed(): ISignal<DatasetViewerModel, void> {
    return this._changed;
  }

  /** The version shown (null until the newest is known). */
  get version(): number | null {
    return this._version;
  }

  /** Every version of the dataset, newest first (null before the first answer). */
  get versions(): IDatasetVersion[] | null {
    const data = this._versions.data;
    return data ? [...data.versions].reverse() : null;
  }

  get detail(): IDatasetVersionDetail | null {
    return this._detail.data;
  }

  /** The page shown: while the next one loads, the previous one stays. */
  get page(): IPreview | null {
    return this._page.data ?? this._shown;
  }

  get offset(): number {
    return this._offset;
  }

  get limit(): number {
    return this._limit;
  }

  /** The first error among versions, detail and page, or null. */
  get error(): string | null {
    return this._versions.error ?? this._detail.error ?? this._page.error;
  }

  /** Whether the page shown is being fetched. */
  get pageLoading(): boolean {
    return this._page.loading;
  }

  get hasPrevious(): boolean {
    return this._offset > 0;
  }

  get hasNext(): boolean {
    const total = this._page.data?.total ?? this.detail?.rows ?? 0;
    return this._offset + this._limit < total;
  }

  /** Show another version, from its first row. */
  setVersion(version: number): void {
    if (version !== this._version) {
      this._version = version;
      this._offset = 0;
      this._shown = null;
      this._load();
    }
  }

  /** Show the page that starts at `offset` (clamped to the rows there are). */
  goTo(offset: number): void {
    const total = this._page.data?.total ?? this.detail?.rows ?? Infinity;
    const last = Math.max(0, Math.floor((total - 1) / this._limit) * this._limit);
    const next = Math.max(0, Math.min(Math.floor(offset), last));
    if (next !== this._offset) {
      this._offset = next;
      this._loadPage();
    }
  }

  next(): void {
    if (this.hasNext) {
      this.goTo(this._offset + this._limit);
    }
  }

  previous(): void {
    this.goTo(this._offset - this._limit);
  }

  setLimit(limit: number): void {
    const clamped = Math.max(1, Math.min(1000, Math.floor(limit)));
    if (clamped !== this._limit) {
      this._limit = clamped;
      this._offset = Math.floor(this._offset / clamped) * clamped;
      this._loadPage();
    }
  }

  /** Poll: new versions appear; a failed fetch is tried again. */
  async refresh(): Promise<void> {
    await this._versions.refresh();
    if (this._detail.error) {
      await this._detail.refresh();
    }
    if (this._page.error) {
      await this._page.refresh();
    }
  }

  private _onVersions(): void {
    const versions = this._versions.data?.versions;
    if (this._version === null && versions && versions.length > 0) {
      this._version = versions[versions.length - 1].version;
      this._load();
    }
  }

  private _load(): void {
    const { project, name } = this;
    const version = this._version as number;
    this._detail.reset(() => api.getDatasetVersion(project, name, version));
    void this._detail.refresh();
    this._loadPage();
  }

  private _loadPage(): void {
    const { project, name } = this;
    const version = this._version;
    if (version === null) {
      return;
    }
    const offset = this._offset;
    const limit = this._limit;
    this._page.reset(() =>
      api.previewDataset(project, name, version, offset, limit)
    );
    this._emit();
    void this._page.refresh();
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _version: number | null;
  private _offset = 0;
  private _shown: IPreview | null = null;
  private _limit: number;
  private _versions: Resource<{ name: string; versions: IDatasetVersion[] }>;
  private _detail = new Resource<IDatasetVersionDetail>(null);
  private _page = new Resource<IPreview>(null);
  private _changed = new Signal<DatasetViewerModel, void>(this);
}
