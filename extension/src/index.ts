import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { CommandIDs } from './commands';
import { hubmlIcon } from './icons';
import { addDeployCommands } from './deploy-commands';
import { addItemCommands } from './item-commands';
import { CurrentProjectModel } from './models/current';
import { DatasetsModel } from './models/datasets';
import { JobsModel } from './models/jobs';
import { ModelsModel } from './models/models';
import { ProjectsModel } from './models/projects';
import { addProjectCommands, ICommandContext } from './project-commands';
import { HubMLSidebar, ISidebarModels } from './sidebar';
import { StatusModel } from './status';

export { api } from './api';
export { CommandIDs } from './commands';
export { HubMLError, requestAPI, uploadAPI } from './request';
export { StatusModel } from './status';

/** Context menu entries: (command, selector of the rows it applies to). */
const CONTEXT_MENU: [string, string][] = [
  [CommandIDs.selectProject, '.jp-hubml-project-row'],
  [CommandIDs.renameProject, '.jp-hubml-project-row'],
  [CommandIDs.deleteProject, '.jp-hubml-project-row'],
  [CommandIDs.openDataset, '.jp-hubml-dataset-row'],
  [CommandIDs.openDataStudio, '.jp-hubml-dataset-row'],
  [CommandIDs.openTrainingForm, '.jp-hubml-dataset-row'],
  [CommandIDs.openModel, '.jp-hubml-model-row'],
  [CommandIDs.openModelCard, '.jp-hubml-model-row'],
  [CommandIDs.serveModel, '.jp-hubml-model-row'],
  [CommandIDs.openJob, '.jp-hubml-job-row'],
  [CommandIDs.openRun, '.jp-hubml-run-row'],
  [CommandIDs.shareDeployment, '.jp-hubml-deployment-row'],
  [CommandIDs.stopDeployment, '.jp-hubml-deployment-row'],
  [CommandIDs.publishDashboard, '.jp-Notebook'],
  [CommandIDs.cancelJob, '.jp-hubml-job-row[data-state="running"]'],
  [CommandIDs.cancelJob, '.jp-hubml-job-row[data-state="queued"]']
];

/**
 * The hubml plugin: the sidebar (Projects, Datasets, Models, Jobs,
 * Environment), the dataset and model viewers, and the commands.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: 'hubml:plugin',
  description: 'The hubml sidebar, viewers and commands.',
  autoStart: true,
  requires: [],
  optional: [ILayoutRestorer, ICommandPalette, ITranslator, ILauncher],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    launcher: ILauncher | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('hubml');
    const current = new CurrentProjectModel();
    const models: ISidebarModels = {
      projects: new ProjectsModel(current),
      datasets: new DatasetsModel(current),
      models: new ModelsModel(current),
      jobs: new JobsModel(current),
      status: new StatusModel()
    };
    const context = { trans, commands: app.commands };
    const sidebar = new HubMLSidebar(models, context);
    app.shell.add(sidebar, 'left', { rank: 200 });
    if (restorer) {
      restorer.add(sidebar, sidebar.id);
    }

    app.commands.addCommand(CommandIDs.showPanel, {
      label: trans.__('Show hubml Panel'),
      caption: trans.__('Show the hubml panel in the left sidebar'),
      icon: args => (args['isPalette'] ? undefined : hubmlIcon),
      execute: () => {
        app.shell.activateById(sidebar.id);
      }
    });

    app.commands.addCommand(CommandIDs.refreshStatus, {
      label: trans.__('Refresh hubml Status'),
      caption: trans.__('Fetch the hubml server status again'),
      isEnabled: () => !models.status.loading,
      execute: () => models.status.refresh()
    });

    const ctx: ICommandContext = { app, trans, models, sidebar };
    addProjectCommands(ctx);
    addItemCommands(ctx, context, restorer);
    addDeployCommands(ctx);

    if (palette) {
      const category = trans.__('hubml');
      for (const command of [
        CommandIDs.showPanel,
        CommandIDs.refreshStatus,
        CommandIDs.createProject,
        CommandIDs.newScript,
        CommandIDs.openDataStudio,
        CommandIDs.openTrainingForm,
        CommandIDs.openDashboard,
        CommandIDs.publishDashboard
      ]) {
        palette.addItem({ command, category });
      }
    }

    if (launcher) {
      const category = trans.__('hubml');
      const args = { isLauncher: true };
      launcher.add({ command: CommandIDs.newScript, category, rank: 1, args });
      launcher.add({ command: CommandIDs.createProject, category, rank: 2, args });
    }

    CONTEXT_MENU.forEach(([command, selector], rank) => {
      app.contextMenu.addItem({ command, selector, rank: 10 + rank });
    });
  }
};

export default plugin;
