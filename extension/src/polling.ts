import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';

import { IChanges } from './api';
import { ChangeFeed, changedParts, covers, IWatch, Part } from './models/changes';

/**
 * A React widget that keeps what it shows fresh while it is visible: when it
 * is shown (or attached visible) it fetches everything once and watches its
 * project on the change feed; then it fetches only the parts whose
 * fingerprint changed. Hidden, detached or disposed, it stops watching.
 * Subclasses say which project they show and what one refresh does.
 */
export abstract class PollingWidget extends ReactWidget {
  constructor(protected readonly feed: ChangeFeed) {
    super();
  }

  /** The project shown (null: none, only the project list). */
  protected abstract get watchedProject(): string | null;

  /** Fetch what may have changed; `changed(part)` says whether a part may have. */
  protected abstract poll(changed: (part: Part) => boolean): Promise<void>;

  /** Whether it is watching (shown and not disposed). */
  get watching(): boolean {
    return this._watch !== null;
  }

  /** Fetch everything shown now (the refresh button, a tab switch, a write). */
  refreshNow(): Promise<void> {
    return this._run(() => true);
  }

  /** The project shown changed: watch the new one and fetch it now. */
  protected watchAgain(): void {
    if (this._watch) {
      this._unwatch();
      this._startWatching();
    }
  }

  dispose(): void {
    this._unwatch();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._startWatching();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this._startWatching();
    }
  }

  protected onBeforeHide(msg: Message): void {
    super.onBeforeHide(msg);
    this._unwatch();
  }

  protected onBeforeDetach(msg: Message): void {
    this._unwatch();
    super.onBeforeDetach(msg);
  }

  private _startWatching(): void {
    if (this._watch || this.isDisposed) {
      return;
    }
    const project = this.watchedProject;
    this._project = project;
    // An answer from before this fetch is a safe base: later changes differ from it.
    this._seen = covers(this.feed.latest, project) ? this.feed.latest : null;
    this.feed.changed.connect(this._onChanges, this);
    this._watch = this.feed.watch(project);
    void this.refreshNow();
  }

  private _unwatch(): void {
    if (this._watch) {
      this._watch.dispose();
      this._watch = null;
      this.feed.changed.disconnect(this._onChanges, this);
    }
  }

  private _onChanges(_: ChangeFeed, answer: IChanges | null): void {
    if (answer === null) {
      void this._run(() => true); // the server cannot tell: fetch everything
      return;
    }
    if (!covers(answer, this._project)) {
      return; // an answer of a request made before this project was watched
    }
    const parts = changedParts(this._seen, answer, this._project);
    this._seen = answer;
    // every answer (changed or not) also retries what failed: subclasses check errors
    void this._run(part => parts.has(part));
  }

  /** One refresh at a time, in order. */
  private _run(changed: (part: Part) => boolean): Promise<void> {
    const run = this._queue.then(() => this.poll(changed));
    this._queue = run.catch(() => undefined); // the resources keep their own errors
    return this._queue;
  }

  private _watch: IWatch | null = null;
  private _project: string | null = null;
  private _seen: IChanges | null = null;
  private _queue: Promise<void> = Promise.resolve();
}
