import { Dialog, Notification, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { launchIcon, listIcon, shareIcon, stopIcon } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { api, IDashboardRequest } from './api';
import { CommandIDs } from './commands';
import { ShareForm } from './components/deployments';
import { latestDataset } from './form-rules';
import { argOrRow, ICommandContext, projectArg } from './project-commands';

function numberArg(args: ReadonlyPartialJSONObject, key: string): number | undefined {
  const value = Number(args[key]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function stringArg(args: ReadonlyPartialJSONObject, key: string): string | undefined {
  const value = args[key];
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * Open `url()` in a new browser tab. The tab is opened at once, while the click that asked
 * for it still counts (a tab opened after an await is a blocked pop-up), and sent to the URL
 * when it is known; closed again if there is none.
 */
export async function openInNewTab(url: () => Promise<string>): Promise<string> {
  const tab = window.open('', '_blank');
  try {
    const target = await url();
    if (tab) {
      tab.opener = null;
      tab.location.href = target;
    } else {
      window.open(target, '_blank', 'noopener');
    }
    return target;
  } catch (error) {
    tab?.close();
    throw error;
  }
}

/** A notebook open in the main area, as a path inside one of the projects, or null. */
function currentNotebook(ctx: ICommandContext): { project: string; path: string } | null {
  const widget = ctx.app.shell.currentWidget as { context?: { path?: string } } | null;
  const docPath = widget?.context?.path;
  if (!docPath || !docPath.endsWith('.ipynb')) {
    return null;
  }
  const root = PageConfig.getOption('serverRoot').replace(/\/+$/, '');
  const absolute = `${root}/${docPath}`;
  for (const p of ctx.models.projects.projects ?? []) {
    const base = p.path.replace(/\/+$/, '');
    if (absolute.startsWith(`${base}/`)) {
      return { project: p.name, path: absolute.slice(base.length + 1) };
    }
  }
  return null;
}

/** What "Open Dashboard" shows for its arguments (or the notebook in view, or a dataset). */
async function dashboardRequest(
  ctx: ICommandContext,
  args: ReadonlyPartialJSONObject,
  project: string
): Promise<IDashboardRequest> {
  const path = stringArg(args, 'path');
  const model = stringArg(args, 'model');
  const dataset = stringArg(args, 'dataset');
  const version = numberArg(args, 'version');
  if (path) {
    return { kind: 'notebook', path };
  }
  if (model) {
    const alias = stringArg(args, 'alias');
    return { kind: 'model_card', model, ...(alias ? { alias } : version ? { version } : {}) };
  }
  if (dataset) {
    return { kind: 'dataset_explorer', dataset, ...(version ? { version } : {}) };
  }
  const open = currentNotebook(ctx);
  if (open && open.project === project) {
    return { kind: 'notebook', path: open.path };
  }
  const latest = latestDataset(await api.listDatasets(project));
  if (!latest) {
    throw new Error(ctx.trans.__('Project %1 has no dataset to explore yet.', project));
  }
  return { kind: 'dataset_explorer', dataset: latest.name };
}

/**
 * Commands that publish: dashboards open in a new tab (Voila), models are served and
 * notebooks published as deployments, which can be stopped and shared.
 */
export function addDeployCommands(ctx: ICommandContext): void {
  const { app, trans, models } = ctx;
  const deployments = models.models.deployments;

  const dashboard = async (
    title: string,
    project: string | null,
    request: () => Promise<IDashboardRequest>
  ) => {
    if (!project) {
      await showErrorMessage(title, trans.__('Choose or create a project first.'));
      return;
    }
    try {
      await openInNewTab(async () => (await api.openDashboard(project, await request())).url);
    } catch (error) {
      await showErrorMessage(title, error as Error);
    }
  };

  app.commands.addCommand(CommandIDs.openDashboard, {
    label: trans.__('Open Dashboard'),
    caption: trans.__('Open a Voila dashboard of the project in a new browser tab'),
    execute: args => {
      const project = projectArg(ctx, args);
      return dashboard(trans.__('Could not open the dashboard'), project, () =>
        dashboardRequest(ctx, args, project ?? '')
      );
    }
  });

  app.commands.addCommand(CommandIDs.openModelCard, {
    label: trans.__('Open Model Card'),
    caption: trans.__("A model version's metrics, charts and lineage, as a Voila page"),
    icon: listIcon,
    execute: args => {
      const name = argOrRow(app, args, 'name', 'jp-hubml-model-row');
      const version = numberArg(args, 'version');
      const alias = stringArg(args, 'alias');
      return dashboard(trans.__('Could not open the model card'), projectArg(ctx, args), () =>
        Promise.resolve({
          kind: 'model_card',
          model: name ?? '',
          ...(alias ? { alias } : version ? { version } : {})
        })
      );
    }
  });

  app.commands.addCommand(CommandIDs.serveModel, {
    label: trans.__('Serve Model'),
    caption: trans.__('Serve a model version over REST, as a deployment the hub runs'),
    icon: launchIcon,
    execute: async args => {
      const project = projectArg(ctx, args);
      const name = argOrRow(app, args, 'name', 'jp-hubml-model-row');
      if (!project || !name) {
        return;
      }
      const version = numberArg(args, 'version');
      const alias = stringArg(args, 'alias');
      try {
        const made = await deployments.deploy({
          kind: 'model',
          model: name,
          ...(alias ? { alias } : version ? { version } : {})
        });
        ctx.sidebar.showTab('models');
        Notification.success(trans.__('Serving %1 at %2.', name, made.url), { autoClose: 6000 });
      } catch (error) {
        await showErrorMessage(trans.__('Could not serve the model'), error as Error);
      }
    }
  });

  app.commands.addCommand(CommandIDs.publishDashboard, {
    label: trans.__('Publish as Dashboard'),
    caption: trans.__('Publish a notebook of the project through Voila, as a deployment'),
    icon: launchIcon,
    isEnabled: args => Boolean(stringArg(args, 'path') || currentNotebook(ctx)),
    execute: async args => {
      const open = currentNotebook(ctx);
      const project = stringArg(args, 'project') ?? open?.project ?? projectArg(ctx, args);
      const path = stringArg(args, 'path') ?? open?.path;
      if (!project || !path) {
        return;
      }
      const query = args['query'] as { [key: string]: string } | undefined;
      try {
        const made = await deployments.deploy({ kind: 'dashboard', path, ...(query ? { query } : {}) });
        Notification.success(trans.__('Published %1 at %2.', path, made.url), { autoClose: 6000 });
      } catch (error) {
        await showErrorMessage(trans.__('Could not publish the dashboard'), error as Error);
      }
    }
  });

  app.commands.addCommand(CommandIDs.stopDeployment, {
    label: trans.__('Stop Deployment'),
    icon: stopIcon,
    execute: async args => {
      const name = argOrRow(app, args, 'name', 'jp-hubml-deployment-row');
      if (!name) {
        return;
      }
      const result = await showDialog({
        title: trans.__('Stop deployment %1?', name),
        body: trans.__('Its server stops; whoever uses its URL gets no answer until it is deployed again.'),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Keep it') }),
          Dialog.warnButton({ label: trans.__('Stop') })
        ]
      });
      if (!result.button.accept) {
        return;
      }
      try {
        await deployments.stop(name);
      } catch (error) {
        await showErrorMessage(trans.__('Could not stop the deployment'), error as Error);
      }
    }
  });

  app.commands.addCommand(CommandIDs.shareDeployment, {
    label: trans.__('Share Deployment…'),
    icon: shareIcon,
    execute: async args => {
      const name = argOrRow(app, args, 'name', 'jp-hubml-deployment-row');
      const found = deployments.deployments?.find(d => d.name === name);
      if (!name) {
        return;
      }
      const result = await showDialog({
        title: trans.__('Share %1', name),
        body: new ShareForm(trans, found?.shared_with ?? { users: [], groups: [] }),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Share') })
        ]
      });
      if (!result.button.accept || !result.value) {
        return;
      }
      try {
        await deployments.share(name, result.value);
        Notification.success(trans.__('Shared %1.', name), { autoClose: 3000 });
      } catch (error) {
        await showErrorMessage(trans.__('Could not share the deployment'), error as Error);
      }
    }
  });
}
