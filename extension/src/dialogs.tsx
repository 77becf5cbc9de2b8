import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { ITemplate } from './api';
import { toSlug } from './paths';

/** The body of the "New project" dialog. */
export class ProjectForm extends ReactWidget {
  constructor(
    private readonly _trans: TranslationBundle,
    private readonly _initial = { name: '', description: '' }
  ) {
    super();
    this.addClass('jp-hubml-dialog-form');
    this.addClass('jp-hubml-project-form');
  }

  getValue(): { name: string; description: string } {
    const name = this.node.querySelector<HTMLInputElement>('.jp-hubml-project-name');
    const text = this.node.querySelector<HTMLTextAreaElement>('.jp-hubml-project-description');
    return { name: name?.value.trim() ?? '', description: text?.value.trim() ?? '' };
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg); // renders the form
    // Dialog focuses its first button; the name field is what one types first.
    requestAnimationFrame(() =>
      this.node.querySelector<HTMLInputElement>('.jp-hubml-project-name')?.focus()
    );
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    return (
      <>
        <label className="jp-hubml-field">
          <span>{trans.__('Name')}</span>
          <input
            className="jp-mod-styled jp-hubml-project-name"
            placeholder={trans.__('e.g. churn')}
            pattern="[a-z0-9][a-z0-9_-]*"
            defaultValue={this._initial.name}
            autoComplete="off"
            spellCheck={false}
          />
          <small className="jp-hubml-hint">
            {trans.__('Lower-case letters, digits, "-" and "_"; it is also the folder name.')}
          </small>
        </label>
        <label className="jp-hubml-field">
          <span>{trans.__('Description')}</span>
          <textarea
            className="jp-mod-styled jp-hubml-project-description"
            rows={3}
            defaultValue={this._initial.description}
            placeholder={trans.__('What the project is about (optional)')}
          />
        </label>
      </>
    );
  }
}

/** The body of the "New script" dialog: a template list and a name. */
export class TemplatePicker extends ReactWidget {
  constructor(
    private readonly _templates: ITemplate[],
    private readonly _project: string,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-hubml-dialog-form');
    this.addClass('jp-hubml-template-picker');
    this._chosen = _templates[0]?.id ?? '';
    this._name = toSlug(this._chosen);
  }

  getValue(): { template: string; name: string } {
    return { template: this._chosen, name: toSlug(this._name) };
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
}

/** Say plainly that a feature is not installed yet; nothing else happens. */
export async function showNotInstalled(
  trans: TranslationBundle,
  title: string,
  message: string
): Promise<void> {
  await showDialog({
    title,
    body: (
      <div className="jp-hubml-not-installed">
        <p>{message}</p>
      </div>
    ),
    buttons: [Dialog.okButton({ label: trans.__('OK') })]
  });
}
