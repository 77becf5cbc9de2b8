import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { CommandIDs } from './commands';
import { hubmlIcon } from './icons';
import { HubMLPanel } from './panel';
import { StatusModel } from './status';

export { CommandIDs } from './commands';
export { HubMLError, requestAPI } from './request';
export { StatusModel } from './status';

/**
 * The hubml plugin: the sidebar panel and its commands.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: 'hubml:plugin',
  description: 'The hubml sidebar panel and commands.',
  autoStart: true,
  requires: [],
  optional: [ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('hubml');
    const model = new StatusModel();
    const panel = new HubMLPanel(model, trans);

    app.shell.add(panel, 'left', { rank: 200 });
    if (restorer) {
      restorer.add(panel, panel.id);
    }

    app.commands.addCommand(CommandIDs.showPanel, {
      label: trans.__('Show hubml Panel'),
      caption: trans.__('Show the hubml panel in the left sidebar'),
      icon: args => (args['isPalette'] ? undefined : hubmlIcon),
      execute: () => {
        app.shell.activateById(panel.id);
      }
    });

    app.commands.addCommand(CommandIDs.refreshStatus, {
      label: trans.__('Refresh hubml Status'),
      caption: trans.__('Fetch the hubml server status again'),
      isEnabled: () => !model.loading,
      execute: () => model.refresh()
    });

    if (palette) {
      const category = trans.__('hubml');
      palette.addItem({ command: CommandIDs.showPanel, category });
      palette.addItem({ command: CommandIDs.refreshStatus, category });
    }
  }
};

export default plugin;
