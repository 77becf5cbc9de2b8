/**
 * The ids of every hubml command, in one place.
 */
export namespace CommandIDs {
  /** Show the hubml panel in the left sidebar. */
  export const showPanel = 'hubml:show-panel';

  /** Fetch the server status again. */
  export const refreshStatus = 'hubml:refresh-status';
}
