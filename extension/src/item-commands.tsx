import { WidgetTracker, Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { ILayoutRestorer } from '@jupyterlab/application';
import { listIcon, runIcon, stopIcon, tableRowsIcon } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { CommandIDs } from './commands';
import { IHubMLContext } from './components/common';
import { DatasetViewerModel } from './models/dataset-viewer';
import { JobViewerModel } from './models/job-viewer';
import { ModelViewerModel } from './models/model-viewer';
import { RunViewerModel } from './models/run-viewer';
import { argOrRow, ICommandContext, projectArg } from './project-commands';
import { DatasetViewer, JobViewer, ModelViewer, RunViewer, viewerId } from './viewers';
import { openWidgetNotebook } from './widget-notebooks';

function numberArg(args: ReadonlyPartialJSONObject, key: string): number | null {
  const value = Number(args[key]);
  return Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * Commands about datasets, models and jobs: open them in the main area,
 * and the entry points of later issues (Data Studio, training form,
 * dashboards, model card, serving), which say plainly that they are not
 * installed yet.
 */
export function addItemCommands(
  ctx: ICommandContext,
  context: IHubMLContext,
  restorer: ILayoutRestorer | null
): void {
  const { app, trans, models } = ctx;
  const datasets = new WidgetTracker<DatasetViewer>({ namespace: 'hubml-datasets' });
  const registered = new WidgetTracker<ModelViewer>({ namespace: 'hubml-models' });
  const jobs = new WidgetTracker<JobViewer>({ namespace: 'hubml-jobs' });
  const runs = new WidgetTracker<RunViewer>({ namespace: 'hubml-runs' });

  app.commands.addCommand(CommandIDs.openRun, {
    label: trans.__('Open Run'),
    caption: trans.__('Metrics and curves of a run that code logged'),
    icon: listIcon,
    execute: args => {
      const project = projectArg(ctx, args);
      const id = argOrRow(app, args, 'id', 'jp-hubml-run-row', 'id');
      if (!project || !id) {
        return;
      }
      const widgetId = viewerId('run', project, id);
      let viewer = runs.find(w => w.id === widgetId);
      if (!viewer) {
        viewer = new RunViewer(new RunViewerModel(project, id), context, ctx.sidebar.feed);
        void runs.add(viewer);
        app.shell.add(viewer, 'main');
        void viewer.model.refresh();
      }
      app.shell.activateById(viewer.id);
    }
  });

  app.commands.addCommand(CommandIDs.openDataset, {
    label: trans.__('Open Dataset'),
    icon: tableRowsIcon,
    execute: args => {
      const project = projectArg(ctx, args);
      const name = argOrRow(app, args, 'name', 'jp-hubml-dataset-row');
      if (!project || !name) {
        return;
      }
      const version = numberArg(args, 'version');
      const id = viewerId('dataset', project, name);
      let viewer = datasets.find(w => w.id === id);
      if (viewer) {
        if (version !== null) {
          viewer.model.setVersion(version);
        }
      } else {
        viewer = new DatasetViewer(
          new DatasetViewerModel(project, name, version),
          context,
          ctx.sidebar.feed
        );
        void datasets.add(viewer);
        app.shell.add(viewer, 'main');
      }
      app.shell.activateById(viewer.id);
    }
  });

  app.commands.addCommand(CommandIDs.openModel, {
    label: trans.__('Open Model'),
    icon: listIcon,
    execute: args => {
      const project = projectArg(ctx, args);
      const name = argOrRow(app, args, 'name', 'jp-hubml-model-row');
      if (!project || !name) {
        return;
      }
      const id = viewerId('model', project, name);
      let viewer = registered.find(w => w.id === id);
      if (!viewer) {
        viewer = new ModelViewer(
          new ModelViewerModel(project, name),
          context,
          ctx.sidebar.feed
        );
        void registered.add(viewer);
        app.shell.add(viewer, 'main');
      }
      app.shell.activateById(viewer.id);
    }
  });

  app.commands.addCommand(CommandIDs.openJob, {
    label: trans.__('Open Job'),
    caption: trans.__('Status, metric curves and the whole log of a training job'),
    icon: runIcon,
    execute: args => {
      const project = projectArg(ctx, args);
      const id = argOrRow(app, args, 'id', 'jp-hubml-job-row', 'id');
      if (!project || !id) {
        return;
      }
      const widgetId = viewerId('job', project, id);
      let viewer = jobs.find(w => w.id === widgetId);
      if (!viewer) {
        viewer = new JobViewer(new JobViewerModel(project, id), context, ctx.sidebar.feed);
        void jobs.add(viewer);
        app.shell.add(viewer, 'main');
      }
      app.shell.activateById(viewer.id);
    }
  });

  if (restorer) {
    void restorer.restore(runs, {
      command: CommandIDs.openRun,
      args: w => ({ project: w.model.project, id: w.model.id }),
      name: w => w.id
    });
    void restorer.restore(jobs, {
      command: CommandIDs.openJob,
      args: w => ({ project: w.model.project, id: w.model.id }),
      name: w => w.id
    });
    void restorer.restore(datasets, {
      command: CommandIDs.openDataset,
      args: w => ({ project: w.model.project, name: w.model.name, version: w.model.version }),
      name: w => w.id
    });
    void restorer.restore(registered, {
      command: CommandIDs.openModel,
      args: w => ({ project: w.model.project, name: w.model.name }),
      name: w => w.id
    });
  }

  app.commands.addCommand(CommandIDs.openDataStudio, {
    label: trans.__('Open in Data Studio'),
    caption: trans.__('Process a dataset with the Data Studio widget in a new notebook'),
    icon: args => (args['isPalette'] ? undefined : tableRowsIcon),
    execute: args =>
      openWidgetNotebook(
        ctx,
        'data_studio',
        projectArg(ctx, args),
        argOrRow(app, args, 'dataset', 'jp-hubml-dataset-row'),
        numberArg(args, 'version')
      )
  });

  app.commands.addCommand(CommandIDs.openTrainingForm, {
    label: trans.__('Open Training Form'),
    caption: trans.__('Configure and start a training job with a form in a new notebook'),
    icon: args => (args['isPalette'] ? undefined : runIcon),
    execute: args =>
      openWidgetNotebook(
        ctx,
        'training_form',
        projectArg(ctx, args),
        argOrRow(app, args, 'dataset', 'jp-hubml-dataset-row'),
        null
      )
  });

  app.commands.addCommand(CommandIDs.cancelJob, {
    label: trans.__('Cancel Job'),
    icon: stopIcon,
    execute: async args => {
      const id = argOrRow(app, args, 'id', 'jp-hubml-job-row', 'id');
      if (!id) {
        return;
      }
      const result = await showDialog({
        title: trans.__('Cancel job %1?', id),
        body: trans.__('The training process is stopped; what it trained so far is not registered.'),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Keep running') }),
          Dialog.warnButton({ label: trans.__('Cancel job') })
        ]
      });
      if (!result.button.accept) {
        return;
      }
      try {
        await models.jobs.cancel(id);
      } catch (error) {
        await showErrorMessage(trans.__('Could not cancel the job'), error as Error);
      }
    }
  });
}
