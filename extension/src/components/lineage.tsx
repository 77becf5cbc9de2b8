import * as React from 'react';

import { IDatasetRef, IRecipeStep } from '../api';
import { CommandIDs } from '../commands';
import { Muted, useHubML } from './common';

/** A parameter value of a recipe step, short. */
function paramText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Where data came from, which recipe made it, and which dataset versions fed it. */
export function LineageView(props: {
  project: string;
  source?: { type: string; [key: string]: unknown } | null;
  recipe: IRecipeStep[] | null;
  datasets: IDatasetRef[];
  datasetsTitle: string;
  runId?: string | null;
}): JSX.Element {
  const { trans, commands } = useHubML();
  const { project, source, recipe, datasets } = props;
  const sourceFacts = source
    ? Object.entries(source).filter(([key]) => key !== 'type')
    : [];
  return (
    <div className="jp-hubml-lineage">
      {source !== undefined && (
        <section className="jp-hubml-lineage-source">
          <h3 className="jp-hubml-section-title">{trans.__('Source')}</h3>
          {source ? (
            <dl className="jp-hubml-facts">
              <dt>{trans.__('Type')}</dt>
              <dd data-source-type={source.type}>{source.type}</dd>
              {sourceFacts.map(([key, value]) => (
                <React.Fragment key={key}>
                  <dt>{key}</dt>
                  <dd>{paramText(value)}</dd>
                </React.Fragment>
              ))}
            </dl>
          ) : (
            <Muted>{trans.__('Not recorded.')}</Muted>
          )}
        </section>
      )}
      {props.runId && (
        <section>
          <h3 className="jp-hubml-section-title">{trans.__('Training run')}</h3>
          <code className="jp-hubml-run-id">{props.runId}</code>
        </section>
      )}
      <section className="jp-hubml-lineage-datasets">
        <h3 className="jp-hubml-section-title">{props.datasetsTitle}</h3>
        {datasets.length === 0 ? (
          <Muted>{trans.__('None.')}</Muted>
        ) : (
          <ul className="jp-hubml-links">
            {datasets.map(ref => (
              <li key={`${ref.dataset}/${ref.version}`}>
                <button
                  type="button"
                  className="jp-hubml-link jp-hubml-lineage-dataset"
                  data-dataset={ref.dataset}
                  data-version={ref.version}
                  onClick={() =>
                    void commands.execute(CommandIDs.openDataset, {
                      project,
                      name: ref.dataset,
                      version: ref.version
                    })
                  }
                >
                  {trans.__('%1, version %2', ref.dataset, ref.version)}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="jp-hubml-lineage-recipe">
        <h3 className="jp-hubml-section-title">{trans.__('Recipe')}</h3>
        {!recipe || recipe.length === 0 ? (
          <Muted>{trans.__('No processing steps.')}</Muted>
        ) : (
          <ol className="jp-hubml-recipe">
            {recipe.map((step, i) => {
              const params = Object.entries(step).filter(([k]) => k !== 'step');
              return (
                <li key={i} className="jp-hubml-recipe-step" data-step={step.step}>
                  <span className="jp-hubml-recipe-step-type">{step.step}</span>
                  {params.map(([key, value]) => (
                    <span key={key} className="jp-hubml-recipe-param">
                      <span className="jp-hubml-recipe-param-key">{key}</span>
                      {paramText(value)}
                    </span>
                  ))}
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </div>
  );
}
