import { NavLink, useParams } from 'react-router';
import { useOrgPath } from '../app/org';
import NotFoundPage from './NotFoundPage';
import { EnrichmentTab } from './pipeline/EnrichmentTab';
import { FunctionsTab } from './pipeline/FunctionsTab';
import { PipelinesTab } from './pipeline/PipelinesTab';
import './pipeline/pipeline.css';

const TABS = [
  { path: 'functions', label: 'Functions', test: 'functions' },
  { path: 'enrichment-tables', label: 'Enrichment Tables', test: 'enrichmentTables' },
  { path: 'pipelines', label: 'Pipelines', test: 'streamPipelines' },
] as const;

/**
 * O2's Pipelines menu (UI-SPEC §10): `/pipeline/functions`, `/pipeline/enrichment-tables` and
 * `/pipeline/pipelines` as tabs of one page (the editors open from their tab).
 */
export default function PipelinePage() {
  const { tab = 'pipelines' } = useParams();
  const orgPath = useOrgPath();
  return (
    <div className="pipeline-page" data-test="pipeline-page">
      <div role="tablist" className="tabs">
        {TABS.map((t) => (
          <NavLink
            key={t.path}
            role="tab"
            to={orgPath(`/pipeline/${t.path}`)}
            aria-selected={t.path === tab}
            data-state={t.path === tab ? 'active' : 'inactive'}
            data-test={`pipeline-section-tab-${t.test}`}
          >
            {t.label}
          </NavLink>
        ))}
      </div>
      {tab === 'functions' && <FunctionsTab />}
      {tab === 'enrichment-tables' && <EnrichmentTab />}
      {tab === 'pipelines' && <PipelinesTab />}
      {!TABS.some((t) => t.path === tab) && <NotFoundPage />}
    </div>
  );
}
