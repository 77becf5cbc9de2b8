import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { ISignal } from '@lumino/signaling';
import * as React from 'react';

/** What every hubml view needs: strings and commands. */
export interface IHubMLContext {
  trans: TranslationBundle;
  commands: CommandRegistry;
}

export const HubMLContext = React.createContext<IHubMLContext | null>(null);

/** The hubml context; views are only rendered inside a provider. */
export function useHubML(): IHubMLContext {
  const context = React.useContext(HubMLContext);
  if (!context) {
    throw new Error('hubml views need a HubMLContext provider');
  }
  return context;
}

/** How many times each signal a view used has been emitted (from its first use on). */
const emissions = new WeakMap<ISignal<unknown, unknown>, { count: number }>();

function emissionsOf(signal: ISignal<unknown, unknown>): { count: number } {
  let counter = emissions.get(signal);
  if (!counter) {
    const made = { count: 0 };
    signal.connect(() => {
      made.count++;
    });
    emissions.set(signal, made);
    counter = made;
  }
  return counter;
}

/**
 * Re-render whenever `signal` is emitted.
 *
 * React subscribes after it has rendered (in an effect), so an emission
 * between the render and the subscription would be missed, and the view would
 * show the old state until the next emission, which for an unchanged listing
 * never comes (the sidebar stayed on "Loading…" after a reload that way).
 * Each emission is counted from the first render on, and
 * `useSyncExternalStore` re-renders when the count moved before it subscribed.
 */
export function useSignal(signal: ISignal<unknown, unknown>): void {
  const counter = emissionsOf(signal);
  const subscribe = React.useCallback(
    (onChange: () => void) => {
      const slot = () => onChange();
      signal.connect(slot);
      return () => {
        signal.disconnect(slot);
      };
    },
    [signal]
  );
  React.useSyncExternalStore(subscribe, () => counter.count);
}

/** A small square button holding an icon. */
export function IconButton(props: {
  icon: LabIcon;
  label: string;
  onClick: (event: React.MouseEvent) => void;
  className?: string;
  disabled?: boolean;
}): JSX.Element {
  return (
    <button
      type="button"
      className={`jp-hubml-icon-button ${props.className ?? ''}`}
      title={props.label}
      aria-label={props.label}
      disabled={props.disabled}
      onClick={event => {
        event.stopPropagation();
        props.onClick(event);
      }}
    >
      <props.icon.react tag="span" />
    </button>
  );
}

/** A text button in JupyterLab's style. */
export function Button(props: {
  label: string;
  onClick: () => void;
  className?: string;
  accept?: boolean;
  disabled?: boolean;
  icon?: LabIcon;
  title?: string;
}): JSX.Element {
  const kind = props.accept ? 'jp-mod-styled jp-mod-accept' : 'jp-hubml-secondary';
  return (
    <button
      type="button"
      className={`jp-Button ${kind} jp-hubml-button ${props.className ?? ''}`}
      disabled={props.disabled}
      title={props.title}
      onClick={props.onClick}
    >
      {props.icon && <props.icon.react tag="span" className="jp-hubml-button-icon" />}
      {props.label}
    </button>
  );
}

/** The error of a failed fetch, as the server said it. */
export function ErrorNote(props: {
  title: string;
  message: string | null;
}): JSX.Element | null {
  if (!props.message) {
    return null;
  }
  return (
    <div className="jp-hubml-error" role="alert">
      <strong>{props.title}</strong>
      <span className="jp-hubml-error-message">{props.message}</span>
    </div>
  );
}

/** A grey line of text for empty lists and loading states. */
export function Muted(props: {
  children: React.ReactNode;
  className?: string;
}): JSX.Element {
  return (
    <p className={`jp-hubml-muted ${props.className ?? ''}`}>{props.children}</p>
  );
}

/** A rounded label. */
export function Chip(props: {
  children: React.ReactNode;
  className?: string;
  title?: string;
  data?: { [key: string]: string };
}): JSX.Element {
  const data = Object.fromEntries(
    Object.entries(props.data ?? {}).map(([k, v]) => [`data-${k}`, v])
  );
  return (
    <span
      className={`jp-hubml-chip ${props.className ?? ''}`}
      title={props.title}
      {...data}
    >
      {props.children}
    </span>
  );
}

/** 1234567 → "1,234,567" in the page's language. */
export function formatCount(value: number): string {
  return value.toLocaleString();
}

/** A number as a short string: integers whole, others to 4 significant digits. */
export function formatNumber(value: unknown): string {
  if (typeof value !== 'number') {
    return value === null || value === undefined ? '' : String(value);
  }
  if (Number.isInteger(value)) {
    return value.toLocaleString();
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) {
    return value.toExponential(3);
  }
  return Number(value.toPrecision(4)).toString();
}

/** Bytes as "12.3 MB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** An ISO date or epoch milliseconds as the person's local date and time. */
export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return String(value);
  }
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit'
  });
}

/** A time of today as "14:03:27", of another day as a short date and time. */
export function formatClock(
  value: string | number | null | undefined,
  now = new Date()
): string {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return String(value);
  }
  return date.toDateString() === now.toDateString()
    ? date.toLocaleTimeString()
    : formatTime(value);
}

/** The time between two instants as "42 s", "3 min 5 s" or "2 h 4 min". */
export function formatDuration(
  start: string | number | null | undefined,
  end: string | number | null | undefined,
  trans: TranslationBundle
): string {
  if (!start || !end) {
    return '';
  }
  const elapsed = new Date(end).getTime() - new Date(start).getTime();
  const seconds = Math.max(0, Math.round(elapsed / 1000));
  if (Number.isNaN(seconds)) {
    return '';
  }
  if (seconds < 60) {
    return trans.__('%1 s', seconds);
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return trans.__('%1 min %2 s', minutes, seconds % 60);
  }
  return trans.__('%1 h %2 min', Math.floor(minutes / 60), minutes % 60);
}

/** How long ago, e.g. "3 min ago", for lists. */
export function formatAgo(
  value: string | number | null | undefined,
  trans: TranslationBundle,
  now = Date.now()
): string {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  const time = new Date(value).getTime();
  if (Number.isNaN(time)) {
    return '';
  }
  const seconds = Math.max(0, Math.round((now - time) / 1000));
  if (seconds < 60) {
    return trans.__('just now');
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return trans._n('%1 min ago', '%1 min ago', minutes, minutes);
  }
  const hours = Math.round(minutes / 60);
  if (hours < 48) {
    return trans._n('%1 hour ago', '%1 hours ago', hours, hours);
  }
  return trans._n('%1 day ago', '%1 days ago', Math.round(hours / 24), Math.round(hours / 24));
}
