import type { SearchQuery } from '@o2/domain';
import { SEARCH_ERROR, searchError } from './search-error.js';

export function checkTimeRange(request: Pick<SearchQuery, 'startTime' | 'endTime'>): void {
  const { startTime, endTime } = request;
  if (!Number.isSafeInteger(startTime) || !Number.isSafeInteger(endTime)) {
    throw searchError(SEARCH_ERROR.invalidSql, 'start_time and end_time must be integers (µs)');
  }
  if (endTime < startTime) {
    throw searchError(SEARCH_ERROR.invalidSql, 'end_time is before start_time');
  }
}
