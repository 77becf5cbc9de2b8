import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';

import { Poller } from './models/resource';

/**
 * A React widget that polls while it is visible: the poller starts when the
 * widget is shown or attached visible, and stops when it is hidden, detached
 * or disposed. Subclasses say what one poll does.
 */
export abstract class PollingWidget extends ReactWidget {
  constructor(interval: number) {
    super();
    this.poller = new Poller(() => this.poll(), interval);
  }

  /** One poll: fetch what the widget shows. */
  protected abstract poll(): Promise<void>;

  dispose(): void {
    this.poller.stop();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.poller.start();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this.poller.start();
    }
  }

  protected onBeforeHide(msg: Message): void {
    super.onBeforeHide(msg);
    this.poller.stop();
  }

  protected onBeforeDetach(msg: Message): void {
    this.poller.stop();
    super.onBeforeDetach(msg);
  }

  protected readonly poller: Poller;
}
