import * as React from 'react';

import { FilterOp, IFilterCondition, IPreview } from '../api';
import { DatasetViewerModel, nextSort, PAGE_SIZES } from '../models/dataset-viewer';
import { Button, ErrorNote, formatCount, useHubML, useSignal } from './common';

/** A cell of the preview as text (null shows as an empty, marked cell). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Whether a pandas dtype holds numbers (its cells align right). */
export function isNumeric(dtype: string | undefined): boolean {
  return /^(u?int|float|Int|UInt|Float)\d*/.test(dtype ?? '');
}

/** Whether a pandas dtype holds booleans. */
function isBool(dtype: string | undefined): boolean {
  return /^bool/i.test(dtype ?? '');
}

/** The operators, in the order the filter menu lists them. */
const OPS: FilterOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains', 'isnull', 'notnull'];

/** What the user typed, as the value the server wants for a column of `dtype`. */
export function filterValue(dtype: string | undefined, text: string): string | number | boolean {
  if (isNumeric(dtype)) {
    const number = Number(text.trim());
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }
  if (isBool(dtype)) {
    const lower = text.trim().toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : text;
  }
  return text;
}

/**
 * One page of rows under a header that stays in view while the rows scroll.
 * Clicking a column's header sorts by it (ascending, descending, none).
 */
export function PreviewTable(props: {
  page: IPreview;
  model?: DatasetViewerModel;
}): JSX.Element {
  const { trans } = useHubML();
  const { page, model } = props;
  const numeric = page.columns.map((_, i) => isNumeric(page.dtypes[i]));
  const sort = model?.sort ?? null;
  const marked = model?.markedRow ?? null;
  const markedRef = React.useRef<HTMLTableRowElement>(null);
  const scrollRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    if (markedRef.current) {
      markedRef.current.scrollIntoView?.({ block: 'center' });
    } else if (scrollRef.current) {
      scrollRef.current.scrollTop = 0; // another page or query starts at its first row
    }
  }, [marked, page]);
  return (
    <div className="jp-hubml-table-scroll jp-hubml-preview-scroll" ref={scrollRef}>
      <table className="jp-hubml-table jp-hubml-preview-table">
        <thead>
          <tr>
            <th className="jp-hubml-rownum">#</th>
            {page.columns.map((name, i) => {
              const sorted = sort?.column === name ? sort.order : null;
              return (
                <th
                  key={name}
                  data-column={name}
                  aria-sort={
                    sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                  }
                  className={model ? 'jp-hubml-sortable' : undefined}
                  title={model ? trans.__('Sort by %1', name) : undefined}
                  onClick={model ? () => model.setSort(nextSort(sort, name)) : undefined}
                >
                  <span className="jp-hubml-col-name">
                    {name}
                    {sorted && (
                      <span className="jp-hubml-sort-mark" aria-hidden="true">
                        {sorted === 'asc' ? ' ▲' : ' ▼'}
                      </span>
                    )}
                  </span>
                  <span className="jp-hubml-col-dtype">{page.dtypes[i]}</span>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {page.rows.map((row, r) => {
            const number = page.offset + r + 1;
            const stored = page.positions?.[r];
            return (
              <tr
                key={number}
                ref={number === marked ? markedRef : undefined}
                className={number === marked ? 'jp-hubml-marked-row' : undefined}
                data-row={number}
              >
                <td
                  className="jp-hubml-rownum"
                  title={
                    stored !== undefined ? trans.__('row %1 in the stored order', stored + 1) : undefined
                  }
                >
                  {number}
                </td>
                {row.map((value, c) => (
                  <td
                    key={c}
                    className={
                      [
                        numeric[c] || typeof value === 'number' ? 'jp-hubml-num' : '',
                        value === null || value === undefined ? 'jp-hubml-null' : ''
                      ]
                        .join(' ')
                        .trim() || undefined
                    }
                  >
                    {cellText(value)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A number input that acts on Enter or when it loses focus. */
function JumpInput(props: {
  label: string;
  className: string;
  value: number | '';
  max: number;
  onJump: (value: number) => void;
}): JSX.Element {
  const [text, setText] = React.useState(String(props.value));
  React.useEffect(() => setText(String(props.value)), [props.value]);
  const jump = () => {
    const value = Number(text);
    if (text.trim() !== '' && Number.isFinite(value)) {
      props.onJump(value);
    } else {
      setText(String(props.value));
    }
  };
  return (
    <label className={`jp-hubml-jump ${props.className}`}>
      {props.label}
      <input
        type="number"
        min={1}
        max={props.max}
        value={text}
        aria-label={props.label}
        onChange={event => setText(event.target.value)}
        onKeyDown={event => {
          if (event.key === 'Enter') {
            jump();
          }
        }}
        onBlur={jump}
      />
    </label>
  );
}

/** First, previous, a page number, next, last; go to a row; the page size. */
export function Pager(props: { model: DatasetViewerModel }): JSX.Element {
  const { trans } = useHubML();
  const { model } = props;
  const total = model.total;
  const first = total === 0 ? 0 : model.offset + 1;
  const last = Math.min(model.offset + model.limit, total);
  return (
    <div className="jp-hubml-pager">
      <Button
        label={trans.__('First')}
        className="jp-hubml-first"
        disabled={!model.hasPrevious}
        onClick={() => model.first()}
      />
      <Button
        label={trans.__('Previous')}
        className="jp-hubml-prev"
        disabled={!model.hasPrevious}
        onClick={() => model.previous()}
      />
      <JumpInput
        label={trans.__('Page')}
        className="jp-hubml-page-number"
        value={model.pageNumber}
        max={model.pageCount}
        onJump={page => model.goToPage(page)}
      />
      <span className="jp-hubml-page-count">{trans.__('of %1', formatCount(model.pageCount))}</span>
      <Button
        label={trans.__('Next')}
        className="jp-hubml-next"
        disabled={!model.hasNext}
        onClick={() => model.next()}
      />
      <Button
        label={trans.__('Last')}
        className="jp-hubml-last"
        disabled={!model.hasNext}
        onClick={() => model.last()}
      />
      <span className="jp-hubml-pager-text" aria-live="polite">
        {trans.__('Rows %1–%2 of %3', formatCount(first), formatCount(last), formatCount(total))}
      </span>
      <JumpInput
        label={trans.__('Go to row')}
        className="jp-hubml-row-number"
        value={model.markedRow ?? ''}
        max={Math.max(total, 1)}
        onJump={row => model.goToRow(row)}
      />
      <label className="jp-hubml-page-size">
        {trans.__('Rows per page')}
        <select value={model.limit} onChange={event => model.setLimit(Number(event.target.value))}>
          {PAGE_SIZES.map(size => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** The filter's conditions as chips, and a row to add one (column, operator, value). */
export function FilterBar(props: { model: DatasetViewerModel; columns: string[]; dtypes: string[] }): JSX.Element {
  const { trans } = useHubML();
  const { model, columns, dtypes } = props;
  useSignal(model.changed);
  const [column, setColumn] = React.useState(columns[0] ?? '');
  const [op, setOp] = React.useState<FilterOp>('eq');
  const [text, setText] = React.useState('');
  const labels: { [op in FilterOp]: string } = {
    eq: '=',
    ne: '≠',
    lt: '<',
    le: '≤',
    gt: '>',
    ge: '≥',
    contains: trans.__('contains'),
    isnull: trans.__('is missing'),
    notnull: trans.__('is not missing')
  };
  const needsValue = op !== 'isnull' && op !== 'notnull';
  const add = () => {
    const chosen = columns.includes(column) ? column : columns[0];
    if (!chosen) {
      return;
    }
    const condition: IFilterCondition = { column: chosen, op };
    if (needsValue) {
      condition.value = filterValue(dtypes[columns.indexOf(chosen)], text);
    }
    model.setFilter([...model.filter, condition]);
    setText('');
  };
  return (
    <>
    <ErrorNote title={trans.__('The filter or sort was not applied.')} message={model.queryError} />
    <div className="jp-hubml-filter-bar">
      {model.filter.map((f, i) => (
        <span key={i} className="jp-hubml-filter-chip" data-column={f.column}>
          {`${f.column} ${labels[f.op]}${f.value === undefined ? '' : ` ${String(f.value)}`}`}
          <button
            type="button"
            className="jp-hubml-filter-remove"
            aria-label={trans.__('Remove this condition')}
            title={trans.__('Remove this condition')}
            onClick={() => model.setFilter(model.filter.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </span>
      ))}
      <select
        className="jp-hubml-filter-column"
        aria-label={trans.__('Filter column')}
        value={column}
        onChange={event => setColumn(event.target.value)}
      >
        {columns.map(name => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <select
        className="jp-hubml-filter-op"
        aria-label={trans.__('Filter operator')}
        value={op}
        onChange={event => setOp(event.target.value as FilterOp)}
      >
        {OPS.map(o => (
          <option key={o} value={o}>
            {labels[o]}
          </option>
        ))}
      </select>
      {needsValue && (
        <input
          className="jp-hubml-filter-value"
          aria-label={trans.__('Filter value')}
          placeholder={trans.__('value')}
          value={text}
          onChange={event => setText(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Enter') {
              add();
            }
          }}
        />
      )}
      <Button label={trans.__('Add filter')} className="jp-hubml-filter-add" onClick={add} />
      {model.filter.length > 0 && (
        <Button
          label={trans.__('Clear filters')}
          className="jp-hubml-filter-clear"
          onClick={() => model.setFilter([])}
        />
      )}
    </div>
    </>
  );
}
