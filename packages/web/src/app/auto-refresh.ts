import { useEffect, useRef } from 'react';

/** O2's auto-refresh choices (seconds; 0 is off). */
export const REFRESH_CHOICES = [
  { value: '0', label: 'Auto refresh off' },
  { value: '5', label: 'Every 5 sec' },
  { value: '10', label: 'Every 10 sec' },
  { value: '30', label: 'Every 30 sec' },
  { value: '60', label: 'Every 1 min' },
  { value: '300', label: 'Every 5 min' },
];

/** Calls `tick` every `seconds` (not at all for 0); the latest `tick` is always the one called. */
export function useAutoRefresh(seconds: number, tick: () => void): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!(seconds > 0)) return;
    const timer = setInterval(() => latest.current(), seconds * 1000);
    return () => clearInterval(timer);
  }, [seconds]);
}
