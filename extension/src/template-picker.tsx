import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IDatasetSummary, ITemplate } from './api';
import { defaultTarget, latestDataset } from './form-rules';
import { toSlug } from './paths';

/** What the "New script" dialog gives back. */
export interface IScriptChoice {
  template: string;
  name: string;
  dataset: string;
  target: string;
}

/** The body of the "New script" dialog: a template list, the dataset and target, a name. */
export class TemplatePicker extends ReactWidget {
  constructor(
    private readonly _templates: ITemplate[],
    private readonly _project: string,
    private readonly _trans: TranslationBundle,
    private readonly _datasets: IDatasetSummary[] = []
  ) {
    super();
    this.addClass('jp-hubml-dialog-form');
    this.addClass('jp-hubml-template-picker');
    this._chosen = _templates[0]?.id ?? '';
    this._name = toSlug(this._chosen);
    this._dataset = latestDataset(_datasets)?.name ?? '';
    this._target = defaultTarget(this._columns());
  }

  getValue(): IScriptChoice {
    return {
      template: this._chosen,
      name: toSlug(this._name),
      dataset: this._dataset,
      target: this._target
    };
  }

  private _columns(): string[] {
    const chosen = this._datasets.find(d => d.name === this._dataset);
    return (chosen?.latest?.columns ?? []).map(c => c.name);
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    const choose = (id: string) => {
      // the name follows the template until the person typed their own
      if (this._name === toSlug(this._chosen)) {
        this._name = toSlug(id);
      }
      this._chosen = id;
      this.update();
    };
    const columns = this._columns();
    return (
      <>
        <p className="jp-hubml-dialog-intro">
          {trans.__('The file is created in project %1 and opened.', this._project)}
        </p>
        <div className="jp-hubml-templates" role="radiogroup" aria-label={trans.__('Templates')}>
          {this._templates.map(t => (
            <label
              key={t.id}
              className={`jp-hubml-template${t.id === this._chosen ? ' jp-mod-current' : ''}`}
              data-template={t.id}
            >
              <input
                type="radio"
                name="jp-hubml-template"
                value={t.id}
                checked={t.id === this._chosen}
                onChange={() => choose(t.id)}
              />
              <span className="jp-hubml-template-text">
                <span className="jp-hubml-template-label">
                  {t.label}
                  <span className="jp-hubml-template-kind" data-kind={t.kind}>
                    {t.kind === 'notebook' ? trans.__('notebook') : trans.__('script')}
                  </span>
                </span>
                <span className="jp-hubml-template-description">{t.description}</span>
              </span>
            </label>
          ))}
        </div>
        {this._datasets.length === 0 ? (
          <p className="jp-hubml-field-error jp-mod-error" role="alert">
            {trans.__(
              'Project %1 has no dataset yet: upload one in the Datasets panel first, then create the script for it.',
              this._project
            )}
          </p>
        ) : (
          <div className="jp-hubml-field-row">
            <label className="jp-hubml-field">
              <span>{trans.__('Dataset')}</span>
              <select
                className="jp-mod-styled jp-hubml-script-dataset"
                value={this._dataset}
                onChange={event => {
                  this._dataset = event.target.value;
                  this._target = defaultTarget(this._columns());
                  this.update();
                }}
              >
                {this._datasets.map(d => (
                  <option key={d.name} value={d.name}>
                    {trans.__('%1 (v%2, %3 rows)', d.name, d.latest.version, d.latest.rows)}
                  </option>
                ))}
              </select>
            </label>
            <label className="jp-hubml-field">
              <span>{trans.__('Target column')}</span>
              <select
                className="jp-mod-styled jp-hubml-script-target"
                value={this._target}
                onChange={event => {
                  this._target = event.target.value;
                  this.update();
                }}
              >
                {columns.map(c => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        <label className="jp-hubml-field">
          <span>{trans.__('File name')}</span>
          <input
            className="jp-mod-styled jp-hubml-script-name"
            value={this._name}
            spellCheck={false}
            onChange={event => {
              this._name = event.target.value;
              this.update();
            }}
          />
        </label>
      </>
    );
  }

  private _chosen: string;
  private _name: string;
  private _dataset: string;
  private _target: string;
}
