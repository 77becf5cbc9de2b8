import { ISignal, Signal } from '@lumino/signaling';

import { api, IProject } from '../api';
import { CurrentProjectModel } from './current';
import { Resource } from './resource';

/**
 * The Projects panel's model: the list of projects, a search query, and the
 * writes (create, rename, delete) that keep the current project valid.
 */
export class ProjectsModel {
  constructor(readonly current: CurrentProjectModel) {
    this._list.changed.connect(this._onListChanged, this);
  }

  /** Emitted when the list, its error, its loading state or the query changed. */
  get changed(): ISignal<ProjectsModel, void> {
    return this._changed;
  }

  /** Every project, or null before the first answer. */
  get projects(): IProject[] | null {
    return this._list.data;
  }

  get error(): string | null {
    return this._list.error;
  }

  get loading(): boolean {
    return this._list.loading;
  }

  /** The search text. */
  get query(): string {
    return this._query;
  }

  set query(value: string) {
    if (value !== this._query) {
      this._query = value;
      this._changed.emit();
    }
  }

  /** The projects whose name, description or tags contain the query (any case). */
  get filtered(): IProject[] {
    const all = this._list.data ?? [];
    const words = this._query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      return all;
    }
    return all.filter(p => {
      const text = [p.name, p.description, ...(p.tags ?? [])]
        .join(' ')
        .toLowerCase();
      return words.every(word => text.includes(word));
    });
  }

  /** Fetch the list again (polling calls this). */
  refresh(): Promise<void> {
    return this._list.refresh();
  }

  /** Create a project and make it the current one. */
  async create(name: string, description = ''): Promise<IProject> {
    const project = await api.createProject(name, description);
    await this.refresh();
    this.current.set(project.name);
    return project;
  }

  /** Rename a project; the current project follows the rename. */
  async rename(name: string, newName: string): Promise<IProject> {
    const project = await api.updateProject(name, { name: newName });
    if (this.current.name === name) {
      this.current.set(project.name);
    }
    await this.refresh();
    return project;
  }

  /** Change a project's description. */
  async describe(name: string, description: string): Promise<IProject> {
    const project = await api.updateProject(name, { description });
    await this.refresh();
    return project;
  }

  /** Move a project to the trash; returns where it went. */
  async remove(name: string): Promise<string> {
    const answer = await api.deleteProject(name);
    await this.refresh();
    return answer.trashed_to;
  }

  private _onListChanged(): void {
    const projects = this._list.data;
    if (projects) {
      this.current.reconcile(projects.map(p => p.name));
    }
    this._changed.emit();
  }

  private _query = '';
  private _list = new Resource<IProject[]>(api.listProjects);
  private _changed = new Signal<ProjectsModel, void>(this);
}
