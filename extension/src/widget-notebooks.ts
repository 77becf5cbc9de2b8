import { Notification, showErrorMessage } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';

import { api } from './api';
import { latestDataset } from './form-rules';
import { notebookName, pickKernel } from './kernel-choice';
import { contentsPath } from './paths';
import { ICommandContext } from './project-commands';

/** The widget notebooks the server's templates make (POST projects/{p}/scripts). */
export type WidgetTemplate = 'data_studio' | 'training_form';

/** What the command needs of the notebook panel docmanager:open gives back. */
interface INotebookLike {
  id: string;
  context?: { ready: Promise<void> };
  sessionContext?: { ready: Promise<void> };
}

/**
 * Create a notebook from a widget template in the project (a fresh name, nothing
 * overwritten), open it with the kernel of the server's profile and run all its cells.
 * Errors are shown with the server's message. Resolves to the notebook's path, or null.
 */
export async function openWidgetNotebook(
  ctx: ICommandContext,
  template: WidgetTemplate,
  project: string | null,
  dataset: string | null,
  version: number | null
): Promise<string | null> {
  const { app, trans, models } = ctx;
  const title =
    template === 'data_studio'
      ? trans.__('Could not open the Data Studio')
      : trans.__('Could not open the training form');
  if (!project) {
    await showErrorMessage(
      title,
      trans.__('Choose or create a project first: the notebook is made in a project.')
    );
    return null;
  }
  try {
    let name = dataset;
    if (!name) {
      name = latestDataset(await api.listDatasets(project))?.name ?? null;
    }
    if (!name) {
      await showErrorMessage(
        title,
        trans.__('Project %1 has no dataset yet: upload one in the Datasets panel first.', project)
      );
      return null;
    }
    const prefix = template === 'data_studio' ? 'data-studio' : 'training-form';
    const made = await api.createScript(project, template, notebookName(prefix, name), {
      dataset: name,
      ...(version !== null && template === 'data_studio' ? { version } : {}),
      unique: true
    });
    const info =
      models.projects.projects?.find(p => p.name === project) ?? (await api.getProject(project));
    const path = contentsPath(PageConfig.getOption('serverRoot'), info.path, made.path);
    if (path === null) {
      await showErrorMessage(
        title,
        trans.__(
          '%1 was created in %2, which is outside the folder JupyterLab serves.',
          made.path,
          info.path
        )
      );
      return null;
    }
    const kernelspecs = app.serviceManager.kernelspecs;
    await kernelspecs.ready;
    const specs = kernelspecs.specs;
    const kernel = pickKernel(
      specs?.kernelspecs ?? {},
      specs?.default ?? null,
      models.status.status?.profile?.frameworks
    );
    const widget = (await app.commands.execute('docmanager:open', {
      path,
      ...(kernel ? { kernel: { name: kernel } } : {})
    })) as INotebookLike | undefined;
    if (!widget) {
      return path;
    }
    await widget.context?.ready;
    await widget.sessionContext?.ready;
    app.shell.activateById(widget.id);
    await app.commands.execute('notebook:run-all-cells');
    Notification.info(trans.__('Created %1 and ran it.', made.path), { autoClose: 4000 });
    return path;
  } catch (error) {
    await showErrorMessage(title, error as Error);
    return null;
  }
}
