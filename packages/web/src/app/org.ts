import { useCallback } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';

export const ORG_PARAM = 'org_identifier';

/** The org this page works in: `?org_identifier=` (every route carries it, as in O2). */
export function useOrg(): string {
  const [params] = useSearchParams();
  return params.get(ORG_PARAM) ?? '';
}

/** A path within the app with the current org attached, for links and navigation. */
export function useOrgPath(): (path: string, extra?: Record<string, string>) => string {
  const org = useOrg();
  return useCallback(
    (path, extra = {}) => {
      const params = new URLSearchParams({ ...extra, [ORG_PARAM]: org });
      return `${path}?${params.toString()}`;
    },
    [org],
  );
}

/** Switches org by rewriting `org_identifier` on the current URL (the page re-keys on it). */
export function useSwitchOrg(): (org: string) => void {
  const navigate = useNavigate();
  const location = useLocation();
  return useCallback(
    (org) => {
      const params = new URLSearchParams(location.search);
      params.set(ORG_PARAM, org);
      void navigate(`${location.pathname}?${params.toString()}`);
    },
    [navigate, location],
  );
}
