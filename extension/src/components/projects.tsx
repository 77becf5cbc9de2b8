import {
  addIcon,
  checkIcon,
  deleteIcon,
  editIcon,
  searchIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IProject } from '../api';
import { CommandIDs } from '../commands';
import { ProjectsModel } from '../models/projects';
import {
  Button,
  ErrorNote,
  formatAgo,
  IconButton,
  Muted,
  useHubML,
  useSignal
} from './common';

function ProjectRow(props: {
  project: IProject;
  current: boolean;
  onSelect: () => void;
}): JSX.Element {
  const { trans, commands } = useHubML();
  const { project, current } = props;
  const args = { name: project.name };
  return (
    <li
      className={`jp-hubml-row jp-hubml-project-row${current ? ' jp-mod-current' : ''}`}
      data-name={project.name}
      data-current={String(current)}
      role="option"
      aria-selected={current}
      tabIndex={0}
      title={
        current
          ? trans.__('%1 (current project)', project.name)
          : trans.__('Make %1 the current project', project.name)
      }
      onClick={props.onSelect}
      onKeyDown={event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          props.onSelect();
        }
      }}
    >
      <span className="jp-hubml-row-mark" aria-hidden="true">
        {current && <checkIcon.react tag="span" />}
      </span>
      <span className="jp-hubml-row-main">
        <span className="jp-hubml-row-title">{project.name}</span>
        {project.description && (
          <span className="jp-hubml-row-subtitle">{project.description}</span>
        )}
        {(project.tags ?? []).length > 0 && (
          <span className="jp-hubml-row-tags">
            {project.tags.map(tag => (
              <span key={tag} className="jp-hubml-tag">
                {tag}
              </span>
            ))}
          </span>
        )}
      </span>
      <span className="jp-hubml-row-meta">
        {formatAgo(project.created, trans)}
      </span>
      <span className="jp-hubml-row-actions">
        <IconButton
          icon={editIcon}
          label={trans.__('Rename %1', project.name)}
          className="jp-hubml-rename-project"
          onClick={() => void commands.execute(CommandIDs.renameProject, args)}
        />
        <IconButton
          icon={deleteIcon}
          label={trans.__('Delete %1', project.name)}
          className="jp-hubml-delete-project"
          onClick={() => void commands.execute(CommandIDs.deleteProject, args)}
        />
      </span>
    </li>
  );
}

/** The Projects tab: search, create, rename, delete, choose the current one. */
export function ProjectsView(props: { model: ProjectsModel }): JSX.Element {
  const { trans, commands } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  useSignal(model.current.changed);
  const projects = model.projects;
  const shown = model.filtered;
  return (
    <div className="jp-hubml-tab-body jp-hubml-projects">
      <div className="jp-hubml-toolbar">
        <label className="jp-hubml-search">
          <searchIcon.react tag="span" className="jp-hubml-search-icon" />
          <input
            type="search"
            className="jp-hubml-search-input"
            placeholder={trans.__('Search projects')}
            aria-label={trans.__('Search projects')}
            value={model.query}
            onChange={event => (model.query = event.target.value)}
          />
        </label>
        <Button
          label={trans.__('New')}
          icon={addIcon}
          accept
          className="jp-hubml-new-project"
          title={trans.__('Create a project')}
          onClick={() => void commands.execute(CommandIDs.createProject)}
        />
      </div>
      <ErrorNote
        title={trans.__('Could not load the projects.')}
        message={model.error}
      />
      {projects === null && model.loading && <Muted>{trans.__('Loading…')}</Muted>}
      {projects !== null && projects.length === 0 && (
        <div className="jp-hubml-empty">
          <p>{trans.__('No projects yet.')}</p>
          <p className="jp-hubml-muted">
            {trans.__(
              'A project holds datasets, models, notebooks and scripts in one folder.'
            )}
          </p>
        </div>
      )}
      {projects !== null && projects.length > 0 && shown.length === 0 && (
        <Muted>{trans.__('No project matches "%1".', model.query)}</Muted>
      )}
      {shown.length > 0 && (
        <ul className="jp-hubml-rows" role="listbox" aria-label={trans.__('Projects')}>
          {shown.map(project => (
            <ProjectRow
              key={project.name}
              project={project}
              current={project.name === model.current.name}
              onSelect={() => model.current.set(project.name)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
