import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { RequireAuth } from './app/RequireAuth';
import { SessionProvider } from './app/session';
import { webBasename } from './app/paths';
import { Layout } from './components/Layout';
import { LoginPage } from './pages/LoginPage';
import { LogoutPage } from './pages/LogoutPage';

// Pages past the login are separate chunks, so the first page stays small.
const HomePage = lazy(() => import('./pages/HomePage'));
const StreamsPage = lazy(() => import('./pages/StreamsPage'));
const LogsPage = lazy(() => import('./pages/LogsPage'));
const TracesPage = lazy(() => import('./pages/TracesPage'));
const TraceDetailsPage = lazy(() => import('./pages/TraceDetailsPage'));
const MetricsPage = lazy(() => import('./pages/MetricsPage'));
const DashboardsPage = lazy(() => import('./pages/DashboardsPage'));
const DashboardViewPage = lazy(() => import('./pages/DashboardViewPage'));
const PanelEditorPage = lazy(() => import('./pages/PanelEditorPage'));
const IngestionPage = lazy(() => import('./pages/IngestionPage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const AlertsPage = lazy(() => import('./pages/AlertsPage'));
const PipelinePage = lazy(() => import('./pages/PipelinePage'));
const PipelineEditorPage = lazy(() => import('./pages/PipelineEditorPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

export function App() {
  return (
    <BrowserRouter basename={webBasename()}>
      <SessionProvider>
        <Suspense fallback={<div className="page-loading" aria-busy="true" />}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/logout" element={<LogoutPage />} />
            <Route
              element={
                <RequireAuth>
                  <Layout />
                </RequireAuth>
              }
            >
              <Route index element={<HomePage />} />
              <Route path="logs" element={<LogsPage />} />
              <Route path="traces" element={<TracesPage />} />
              <Route path="traces/trace-details" element={<TraceDetailsPage />} />
              <Route path="metrics" element={<MetricsPage />} />
              <Route path="dashboards" element={<DashboardsPage />} />
              <Route path="dashboards/view" element={<DashboardViewPage />} />
              <Route path="dashboards/add_panel" element={<PanelEditorPage />} />
              <Route path="streams" element={<StreamsPage />} />
              <Route path="ingestion/*" element={<IngestionPage />} />
              <Route path="alerts" element={<AlertsPage />} />
              <Route path="pipeline" element={<PipelinePage />} />
              <Route path="pipeline/pipelines/add" element={<PipelineEditorPage />} />
              <Route path="pipeline/pipelines/edit" element={<PipelineEditorPage />} />
              <Route path="pipeline/:tab" element={<PipelinePage />} />
              <Route path="iam" element={<UsersPage />} />
              <Route path="iam/users" element={<UsersPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </Suspense>
      </SessionProvider>
    </BrowserRouter>
  );
}
