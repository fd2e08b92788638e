import { useState } from 'react';
import type { SpanRecord } from '@o2/api-schemas';
import { formatInZone } from '../../app/time-zone';
import { SPAN_KINDS, formatDuration, spanAttributes, spanEvents, spanLinks } from './span-tree';

type Tab = 'attributes' | 'error' | 'events' | 'links';

interface Props {
  span: SpanRecord;
  timezone: string;
  onClose: () => void;
  /** An attribute value as a filter back on the traces search (include or exclude). */
  onFilter: (field: string, value: unknown, negate: boolean) => void;
  /** Opens the logs of this span (trace id and span id). */
  onViewLogs: () => void;
  /** Opens a linked trace. */
  onOpenLink: (traceId: string, spanId: string) => void;
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The span detail sidebar (UI-SPEC §8.2): header (operation, service, duration, start, span id,
 * status) and the tabs Attributes (with include/exclude back to the search), Error (status and
 * exception events), Events and Links.
 */
export function SpanSidebar({ span, timezone, onClose, onFilter, onViewLogs, onOpenLink }: Props) {
  const error = span.span_status === 'ERROR';
  const [tab, setTab] = useState<Tab>(error ? 'error' : 'attributes');
  const events = spanEvents(span);
  const links = spanLinks(span);
  const exceptions = events.filter((e) => e.name === 'exception');
  const tabs: Array<[Tab, string, number | undefined]> = [
    ['attributes', 'Attributes', undefined],
    ['error', 'Error', error ? Math.max(1, exceptions.length) : undefined],
    ['events', 'Events', events.length],
    ['links', 'Links', links.length],
  ];

  return (
    <aside className="span-sidebar" data-test="trace-details-sidebar" aria-label="Span details">
      <header className="span-sidebar-header">
        <h3 data-test="trace-details-sidebar-header-operation-name">{span.operation_name}</h3>
        <button
          type="button"
          className="btn btn-icon"
          aria-label="Close"
          data-test="trace-details-sidebar-close-btn"
          onClick={onClose}
        >
          ✕
        </button>
      </header>
      <dl className="span-facts">
        <dt>Service</dt>
        <dd data-test="trace-details-sidebar-header-service-name">{span.service_name}</dd>
        <dt>Duration</dt>
        <dd data-test="trace-details-sidebar-header-duration">{formatDuration(span.duration)}</dd>
        <dt>Start time</dt>
        <dd>{formatInZone(span._timestamp, timezone)}</dd>
        <dt>Span id</dt>
        <dd>
          <code data-test="trace-details-sidebar-header-span-id">{span.span_id}</code>
          <button
            type="button"
            className="btn-icon"
            title="Copy span id"
            data-test="trace-details-sidebar-copy-span-id-btn"
            onClick={() => void navigator.clipboard.writeText(span.span_id)}
          >
            Copy
          </button>
        </dd>
        <dt>Kind</dt>
        <dd>{SPAN_KINDS[span.span_kind] ?? span.span_kind}</dd>
        <dt>Status</dt>
        <dd>
          <span
            className={`badge ${error ? 'badge-error' : 'badge-ok'}`}
            data-test="trace-details-sidebar-header-status"
          >
            {span.span_status}
          </span>
        </dd>
      </dl>
      <button
        type="button"
        className="btn"
        data-test="trace-details-sidebar-header-toolbar-view-logs-btn"
        onClick={onViewLogs}
      >
        View Logs
      </button>
      <div role="tablist" className="tabs" data-test="trace-details-sidebar-tabs">
        {tabs.map(([name, label, count]) => (
          <button
            key={name}
            type="button"
            role="tab"
            className="btn"
            aria-selected={tab === name}
            data-state={tab === name ? 'active' : 'inactive'}
            data-test={`trace-details-sidebar-tabs-${name}`}
            onClick={() => setTab(name)}
          >
            {label}
            {count !== undefined && count > 0 && <span className="tab-count">{count}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="span-tab-panel">
        {tab === 'attributes' && (
          <table className="o2-table" data-test="trace-details-sidebar-attributes-table">
            <tbody>
              {spanAttributes(span).map(([field, value], i) => (
                <tr key={field} data-test={`o2-table-row-${i}`} data-field={field}>
                  <th>{field}</th>
                  <td className="log-source">{show(value)}</td>
                  <td className="nowrap">
                    <button
                      type="button"
                      className="btn-icon"
                      title="Include in the search"
                      data-test="trace-details-sidebar-attr-filter-action-="
                      onClick={() => onFilter(field, value, false)}
                    >
                      =
                    </button>
                    <button
                      type="button"
                      className="btn-icon"
                      title="Exclude from the search"
                      data-test="trace-details-sidebar-attr-filter-action-!="
                      onClick={() => onFilter(field, value, true)}
                    >
                      ≠
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {tab === 'error' &&
          (error ? (
            <div className="span-error" data-test="trace-details-sidebar-error">
              <p>
                Status <strong>ERROR</strong>
                {span['status_code'] !== undefined && <> (code {show(span['status_code'])})</>}
              </p>
              <p data-test="trace-details-sidebar-error-message">
                {show(span['status_message'] ?? '')}
              </p>
              {exceptions.map((e, i) => (
                <div key={i} className="exception">
                  <strong>
                    {show(e.attributes['exception_type'] ?? e.attributes['exception.type'])}
                  </strong>
                  <p>
                    {show(e.attributes['exception_message'] ?? e.attributes['exception.message'])}
                  </p>
                  <pre className="json-view">
                    {show(
                      e.attributes['exception_stacktrace'] ??
                        e.attributes['exception.stacktrace'] ??
                        '',
                    )}
                  </pre>
                </div>
              ))}
            </div>
          ) : (
            <p data-test="trace-details-sidebar-no-exceptions">No errors in this span</p>
          ))}
        {tab === 'events' &&
          (events.length === 0 ? (
            <p data-test="trace-details-sidebar-no-events">No events present for this span</p>
          ) : (
            <table className="o2-table" data-test="trace-details-sidebar-events-table">
              <thead>
                <tr>
                  <th>Timestamp</th>
                  <th>Name</th>
                  <th>Attributes</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e, i) => (
                  <tr key={i} data-test={`o2-table-row-${i}`}>
                    <td className="nowrap">{formatInZone(e.timeNs / 1000, timezone)}</td>
                    <td data-test="trace-details-sidebar-event-name">{e.name}</td>
                    <td className="log-source">{JSON.stringify(e.attributes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        {tab === 'links' &&
          (links.length === 0 ? (
            <p data-test="trace-details-sidebar-no-links">No links present for this span</p>
          ) : (
            <table className="o2-table" data-test="trace-details-sidebar-links-table">
              <thead>
                <tr>
                  <th>Trace id</th>
                  <th>Span id</th>
                  <th>Attributes</th>
                </tr>
              </thead>
              <tbody>
                {links.map((l, i) => (
                  <tr
                    key={i}
                    data-test={`trace-event-detail-link-${i}`}
                    className="log-row-open"
                    onClick={() => onOpenLink(l.traceId, l.spanId)}
                  >
                    <td>
                      <code>{l.traceId}</code>
                    </td>
                    <td>
                      <code>{l.spanId}</code>
                    </td>
                    <td className="log-source">{JSON.stringify(l.attributes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </div>
    </aside>
  );
}
