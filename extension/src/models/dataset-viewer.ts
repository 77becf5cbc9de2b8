import { ISignal, Signal } from '@lumino/signaling';

import {
  api,
  IDatasetVersion,
  IDatasetVersionDetail,
  IFilterCondition,
  IPreview
} from '../api';
import { HubMLError } from '../request';
import { Resource } from './resource';

/** The page sizes the preview offers; the server allows up to 1000. */
export const PAGE_SIZES = [25, 50, 100, 250];

/** The column the preview is sorted by, and in which order. */
export interface ISortState {
  column: string;
  order: 'asc' | 'desc';
}

/** The next sort when a column header is clicked: ascending, descending, none. */
export function nextSort(current: ISortState | null, column: string): ISortState | null {
  if (!current || current.column !== column) {
    return { column, order: 'asc' };
  }
  return current.order === 'asc' ? { column, order: 'desc' } : null;
}

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
    return this._offset + this._limit < this.total;
  }

  /** The rows to page through: all of them, or those that match the filter. */
  get total(): number {
    if (this._page.data) {
      return this._page.data.total;
    }
    if (this._filter.length > 0) {
      return this._shown?.total ?? 0;
    }
    return this.detail?.rows ?? this._shown?.total ?? 0;
  }

  /** The page shown, counted from 1. */
  get pageNumber(): number {
    return Math.floor(this._offset / this._limit) + 1;
  }

  /** How many pages there are (at least 1). */
  get pageCount(): number {
    return Math.max(1, Math.ceil(this.total / this._limit));
  }

  get sort(): ISortState | null {
    return this._sort;
  }

  get filter(): IFilterCondition[] {
    return this._filter;
  }

  /** Why the last sort or filter was refused (it was then undone), or null. */
  get queryError(): string | null {
    return this._queryError;
  }

  /** The row (counted from 1 in the rows paged through) last jumped to, or null. */
  get markedRow(): number | null {
    return this._marked;
  }

  /** Show page `page` (counted from 1, clamped to the pages there are). */
  goToPage(page: number): void {
    if (Number.isFinite(page)) {
      this.goTo((Math.floor(page) - 1) * this._limit);
    }
  }

  /** Show the page with row `row` (counted from 1) and mark that row. */
  goToRow(row: number): void {
    if (!Number.isFinite(row)) {
      return;
    }
    const total = this.total;
    const clamped = Math.max(1, Math.min(Math.floor(row), Math.max(total, 1)));
    this._marked = clamped;
    const offset = Math.floor((clamped - 1) / this._limit) * this._limit;
    if (offset === this._offset) {
      this._emit();
    } else {
      this.goTo(offset);
    }
  }

  first(): void {
    this.goTo(0);
  }

  last(): void {
    this.goTo(Infinity);
  }

  /** Sort by a column (null: the stored order); shows the first page. */
  setSort(sort: ISortState | null): void {
    this._sort = sort;
    this._queryError = null;
    this._offset = 0;
    this._marked = null;
    this._loadPage();
  }

  /** Show only the rows that meet every condition; shows the first page. */
  setFilter(filter: IFilterCondition[]): void {
    this._filter = [...filter];
    this._queryError = null;
    this._offset = 0;
    this._marked = null;
    this._loadPage();
  }

  /** Show another version, from its first row. */
  setVersion(version: number): void {
    if (version !== this._version) {
      this._version = version;
      this._offset = 0;
      this._shown = null;
      this._marked = null;
      this._sort = null;
      this._filter = [];
      this._accepted = { sort: null, filter: this._filter };
      this._queryError = null;
      this._load();
    }
  }

  /** Show the page that starts at `offset` (clamped to the rows there are). */
  goTo(offset: number): void {
    const total =
      this._page.data?.total ??
      (this._filter.length > 0 ? this._shown?.total : this.detail?.rows);
    if (total === undefined && !Number.isFinite(offset)) {
      return; // the last page of a count not known yet
    }
    const last =
      total === undefined ? Infinity : Math.max(0, Math.floor((total - 1) / this._limit) * this._limit);
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
    const sort = this._sort;
    const filter = this._filter;
    let refused: HubMLError | null = null;
    this._page.reset(async () => {
      try {
        return await api.previewDataset(project, name, version, offset, limit, {
          sort: sort?.column ?? null,
          order: sort?.order,
          filter
        });
      } catch (error) {
        if (error instanceof HubMLError && error.status === 400) {
          refused = error;
        }
        throw error;
      }
    });
    this._emit();
    void this._page.refresh().then(() => this._settle(sort, filter, refused));
  }

  /**
   * A query the server refused (a bad value, say) is undone: the last one that worked
   * comes back, with the server's reason kept in `queryError`.
   */
  private _settle(
    sort: ISortState | null,
    filter: IFilterCondition[],
    refused: HubMLError | null
  ): void {
    if (sort !== this._sort || filter !== this._filter) {
      return; // another query since
    }
    const good = this._accepted;
    if (!refused) {
      if (this._page.data) {
        this._accepted = { sort, filter };
      }
      return;
    }
    if (good.sort !== sort || good.filter !== filter) {
      this._queryError = refused.message;
      this._sort = good.sort;
      this._filter = good.filter;
      this._offset = 0;
      this._loadPage();
    }
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _version: number | null;
  private _offset = 0;
  private _sort: ISortState | null = null;
  private _filter: IFilterCondition[] = [];
  private _marked: number | null = null;
  private _queryError: string | null = null;
  private _accepted: { sort: ISortState | null; filter: IFilterCondition[] } = {
    sort: null,
    filter: this._filter
  };
  private _shown: IPreview | null = null;
  private _limit: number;
  private _versions: Resource<{ name: string; versions: IDatasetVersion[] }>;
  private _detail = new Resource<IDatasetVersionDetail>(null);
  private _page = new Resource<IPreview>(null);
  private _changed = new Signal<DatasetViewerModel, void>(this);
}
