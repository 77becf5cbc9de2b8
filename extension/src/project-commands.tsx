import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  InputDialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon, checkIcon, deleteIcon, editIcon, pythonIcon } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { api } from './api';
import { CommandIDs } from './commands';
import { IProjectFormState, ProjectForm } from './dialogs';
import { HubMLError } from './request';
import { TemplatePicker } from './template-picker';
import { contentsPath, toSlug } from './paths';
import { HubMLSidebar, ISidebarModels } from './sidebar';

/** What the command implementations share. */
export interface ICommandContext {
  app: JupyterFrontEnd;
  trans: TranslationBundle;
  models: ISidebarModels;
  sidebar: HubMLSidebar;
}

/** A string argument, or the `data-<attr>` of the row a context menu opened on. */
export function argOrRow(
  app: JupyterFrontEnd,
  args: ReadonlyPartialJSONObject,
  key: string,
  rowClass: string,
  attr = 'name'
): string | null {
  const value = args[key];
  if (typeof value === 'string' && value) {
    return value;
  }
  const row = app.contextMenuHitTest(node => node.classList.contains(rowClass));
  return row?.dataset[attr] ?? null;
}

/** The project a command is about: its `project` argument or the current one. */
export function projectArg(ctx: ICommandContext, args: ReadonlyPartialJSONObject): string | null {
  const value = args['project'];
  return typeof value === 'string' && value ? value : ctx.models.projects.current.name;
}

async function createProject(ctx: ICommandContext): Promise<void> {
  const { trans, models, sidebar, app } = ctx;
  if (!models.status.status) {
    await models.status.refresh(); // the name rule comes from the server; without it, it checks
  }
  const rule = models.status.status?.names ?? null;
  let state: IProjectFormState = { name: '', description: '' };
  for (;;) {
    const taken = (models.projects.projects ?? []).map(p => p.name);
    const form = new ProjectForm(trans, state, rule, taken);
    const result = await showDialog({
      title: trans.__('New project'),
      body: form,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Create') })
      ],
      focusNodeSelector: '.jp-hubml-project-name'
    });
    if (!result.button.accept || !result.value) {
      return;
    }
    state = result.value;
    if (!state.name || form.problem(state.name)) {
      continue; // Enter before the check caught up: show the form again, as typed
    }
    try {
      const project = await models.projects.create(state.name, state.description);
      app.shell.activateById(sidebar.id);
      sidebar.showTab('projects');
      Notification.success(trans.__('Created project %1.', project.name), { autoClose: 3000 });
      return;
    } catch (error) {
      const status = error instanceof HubMLError ? error.status : 0;
      if (status >= 400 && status < 500) {
        // say what to change under the field, with what was typed still there
        const message =
          status === 409
            ? trans.__('A project named "%1" already exists; choose another name.', state.name)
            : (error as Error).message;
        state = { ...state, serverError: message };
      } else {
        await showErrorMessage(trans.__('Could not create the project'), error as Error);
      }
    }
  }
}

async function renameProject(ctx: ICommandContext, name: string): Promise<void> {
  const { trans, models } = ctx;
  const result = await InputDialog.getText({
    title: trans.__('Rename project %1', name),
    label: trans.__('New name'),
    text: name,
    okLabel: trans.__('Rename'),
    cancelLabel: trans.__('Cancel')
  });
  const newName = result.value?.trim();
  if (!result.button.accept || !newName || newName === name) {
    return;
  }
  try {
    await models.projects.rename(name, newName);
  } catch (error) {
    await showErrorMessage(trans.__('Could not rename the project'), error as Error);
  }
}

async function deleteProject(ctx: ICommandContext, name: string): Promise<void> {
  const { trans, models } = ctx;
  const result = await showDialog({
    title: trans.__('Delete project %1?', name),
    body: trans.__(
      'The project folder, with its datasets, models, notebooks and scripts, moves to the trash folder of its project root. You can move it back from there.'
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Delete') })
    ]
  });
  if (!result.button.accept) {
    return;
  }
  try {
    const trashedTo = await models.projects.remove(name);
    Notification.info(trans.__('Moved project %1 to %2.', name, trashedTo), { autoClose: 6000 });
  } catch (error) {
    await showErrorMessage(trans.__('Could not delete the project'), error as Error);
  }
}

async function newScript(ctx: ICommandContext, project: string | null): Promise<unknown> {
  const { trans, app, models } = ctx;
  if (!project) {
    await showErrorMessage(
      trans.__('No project'),
      trans.__('Choose or create a project first: scripts live in a project.')
    );
    return;
  }
  try {
    const templates = await api.listTemplates();
    if (templates.length === 0) {
      await showErrorMessage(trans.__('No templates'), trans.__('The server offers no templates.'));
      return;
    }
    const datasets = await api.listDatasets(project);
    if (datasets.length === 0) {
      await showErrorMessage(
        trans.__('No dataset yet'),
        trans.__(
          'Project %1 has no dataset yet: upload one in the Datasets panel first, then create the script for it.',
          project
        )
      );
      return;
    }
    const result = await showDialog({
      title: trans.__('New script from a template'),
      body: new TemplatePicker(templates, project, trans, datasets),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Create') })
      ]
    });
    if (!result.button.accept || !result.value) {
      return;
    }
    const { template, name, dataset, target } = result.value;
    const created = await api.createScript(project, template, toSlug(name) || template, {
      dataset,
      target
    });
    const info =
      models.projects.projects?.find(p => p.name === project) ?? (await api.getProject(project));
    const path = contentsPath(PageConfig.getOption('serverRoot'), info.path, created.path);
    if (path === null) {
      await showErrorMessage(
        trans.__('Created outside the file browser'),
        trans.__(
          '%1 was created in %2, which is outside the folder JupyterLab serves.',
          created.path,
          info.path
        )
      );
      return;
    }
    // returning the widget lets a Launcher that ran this command make way for it
    return await app.commands.execute('docmanager:open', { path });
  } catch (error) {
    await showErrorMessage(trans.__('Could not create the script'), error as Error);
  }
}

/** The project commands: create, select, rename, delete, new script. */
export function addProjectCommands(ctx: ICommandContext): void {
  const { app, trans, models } = ctx;
  const row = 'jp-hubml-project-row';
  app.commands.addCommand(CommandIDs.createProject, {
    label: args => (args['isLauncher'] ? trans.__('New project…') : trans.__('New Project…')),
    caption: trans.__('Create a hubml project'),
    icon: args => (args['isPalette'] ? undefined : addIcon),
    execute: () => createProject(ctx)
  });
  app.commands.addCommand(CommandIDs.selectProject, {
    label: trans.__('Make Current Project'),
    icon: checkIcon,
    execute: args => {
      const name = argOrRow(app, args, 'name', row);
      if (name) {
        models.projects.current.set(name);
      }
    }
  });
  app.commands.addCommand(CommandIDs.renameProject, {
    label: trans.__('Rename Project…'),
    icon: editIcon,
    execute: async args => {
      const name = argOrRow(app, args, 'name', row);
      if (name) {
        await renameProject(ctx, name);
      }
    }
  });
  app.commands.addCommand(CommandIDs.deleteProject, {
    label: trans.__('Delete Project…'),
    icon: deleteIcon,
    execute: async args => {
      const name = argOrRow(app, args, 'name', row);
      if (name) {
        await deleteProject(ctx, name);
      }
    }
  });
  app.commands.addCommand(CommandIDs.newScript, {
    label: args =>
      args['isLauncher']
        ? trans.__('New script…')
        : trans.__('New Script from Template…'),
    caption: trans.__('Create a script or notebook from a hubml template'),
    icon: args => (args['isPalette'] ? undefined : pythonIcon),
    execute: args => newScript(ctx, projectArg(ctx, args))
  });
}
