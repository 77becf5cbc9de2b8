/**
 * The ids of every hubml command, in one place.
 */
export namespace CommandIDs {
  /** Show the hubml panel in the left sidebar. */
  export const showPanel = 'hubml:show-panel';

  /** Fetch the server status again. */
  export const refreshStatus = 'hubml:refresh-status';

  /** Create a project (a dialog asks for its name and description). */
  export const createProject = 'hubml:create-project';

  /** Make a project the current one (args: name). */
  export const selectProject = 'hubml:select-project';

  /** Rename a project (args: name). */
  export const renameProject = 'hubml:rename-project';

  /** Move a project to the trash, after a confirmation (args: name). */
  export const deleteProject = 'hubml:delete-project';

  /** Create a script or notebook from a template and open it (args: project?). */
  export const newScript = 'hubml:new-script';

  /** Open the Data Studio on a dataset (args: project?, dataset?, version?). */
  export const openDataStudio = 'hubml:open-data-studio';

  /** Open the training form (args: project?, dataset?). */
  export const openTrainingForm = 'hubml:open-training-form';

  /** Open a Voila dashboard of the project (args: project?). */
  export const openDashboard = 'hubml:open-dashboard';

  /** Open a dataset version in the main area (args: project, name, version?). */
  export const openDataset = 'hubml:open-dataset';

  /** Open a registered model in the main area (args: project, name). */
  export const openModel = 'hubml:open-model';

  /** Open the model card of a model version (args: project, name, version). */
  export const openModelCard = 'hubml:open-model-card';

  /** Serve a model version over REST (args: project, name, version). */
  export const serveModel = 'hubml:serve-model';

  /** Open a training job in the main area: status, curves, log (args: project, id). */
  export const openJob = 'hubml:open-job';

  /** Cancel a training job, after a confirmation (args: project, id). */
  export const cancelJob = 'hubml:cancel-job';

  /** Open a run that code logged in the main area: metrics and curves (args: project, id). */
  export const openRun = 'hubml:open-run';

  /** Publish a notebook of the project as a dashboard (args: project?, path?, query?). */
  export const publishDashboard = 'hubml:publish-dashboard';

  /** Stop a deployment, after a confirmation (args: project, name). */
  export const stopDeployment = 'hubml:stop-deployment';

  /** Share a deployment with hub users and groups, in a dialog (args: project, name). */
  export const shareDeployment = 'hubml:share-deployment';
}
