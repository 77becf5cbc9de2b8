import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { INameRule, nameRegExp } from './form-rules';

/** The project form's values, and the server's answer to the last try (kept on reopen). */
export interface IProjectFormState {
  name: string;
  description: string;
  serverError?: string;
}

/** The body of the "New project" dialog: checks the name as one types. */
export class ProjectForm extends ReactWidget {
  constructor(
    private readonly _trans: TranslationBundle,
    initial: IProjectFormState = { name: '', description: '' },
    rule: INameRule | null = null,
    private readonly _taken: string[] = []
  ) {
    super();
    this.addClass('jp-hubml-dialog-form');
    this.addClass('jp-hubml-project-form');
    this._name = initial.name;
    this._description = initial.description;
    this._serverError = initial.serverError ?? '';
    this._serverErrorFor = initial.name;
    this._regexp = nameRegExp(rule);
  }

  getValue(): IProjectFormState {
    return { name: this._name.trim(), description: this._description.trim() };
  }

  /** Why the name cannot be used (empty string: it can), as shown under the field. */
  problem(name = this._name.trim()): string {
    const trans = this._trans;
    if (!name) {
      return '';
    }
    if (this._regexp && !this._regexp.test(name)) {
      const lower = name.toLowerCase();
      const hint = this._regexp.test(lower) ? ' ' + trans.__('Try "%1".', lower) : '';
      return (
        trans.__(
          'Use 1 to 63 lower-case letters, digits, "-" or "_", starting with a letter or digit.'
        ) + hint
      );
    }
    if (this._taken.includes(name)) {
      return trans.__('A project named "%1" already exists; choose another name.', name);
    }
    if (this._serverError && name === this._serverErrorFor) {
      return this._serverError;
    }
    return '';
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg); // renders the form
    // Dialog focuses its first button; the name field is what one types first.
    requestAnimationFrame(() => {
      const input = this.node.querySelector<HTMLInputElement>('.jp-hubml-project-name');
      input?.focus();
      input?.setSelectionRange(input.value.length, input.value.length);
    });
  }

  /** Mark the field (in)valid at once, so the Dialog's own check enables or disables Create
   * and refuses Enter; the Dialog re-checks on every input event of its children. */
  private _check(input: HTMLInputElement | null): void {
    if (!input) {
      return;
    }
    const name = input.value.trim();
    input.setCustomValidity(!name ? ' ' : this.problem(name));
    // the Dialog's listener ran before React's onChange: ask it to look again
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    const problem = this.problem();
    return (
      <>
        <label className="jp-hubml-field">
          <span>{trans.__('Name')}</span>
          <input
            className={`jp-mod-styled jp-hubml-project-name${problem ? ' jp-mod-invalid' : ''}`}
            placeholder={trans.__('e.g. churn')}
            value={this._name}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            aria-describedby="jp-hubml-project-name-help"
            ref={input => this._check(input)}
            onChange={event => {
              this._name = event.target.value;
              this._check(event.target);
              this.update();
            }}
          />
          <small
            id="jp-hubml-project-name-help"
            className={problem ? 'jp-hubml-field-error' : 'jp-hubml-hint'}
            role={problem ? 'alert' : undefined}
          >
            {problem ||
              trans.__('Lower-case letters, digits, "-" and "_"; it is also the folder name.')}
          </small>
        </label>
        <label className="jp-hubml-field">
          <span>{trans.__('Description')}</span>
          <textarea
            className="jp-mod-styled jp-hubml-project-description"
            rows={3}
            value={this._description}
            placeholder={trans.__('What the project is about (optional)')}
            onChange={event => {
              this._description = event.target.value;
              this.update();
            }}
          />
        </label>
      </>
    );
  }

  private _name: string;
  private _description: string;
  private readonly _serverError: string;
  private readonly _serverErrorFor: string;
  private readonly _regexp: RegExp | null;
}
