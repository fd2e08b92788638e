/** The auto-refresh choices of the logs and traces toolbars (`refresh=<seconds>` in the URL). */
export const REFRESH_OPTIONS = [
  { value: '0', label: 'Auto refresh off' },
  { value: '5', label: 'Every 5 sec' },
  { value: '10', label: 'Every 10 sec' },
  { value: '30', label: 'Every 30 sec' },
  { value: '60', label: 'Every 1 min' },
];
