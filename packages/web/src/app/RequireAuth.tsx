import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ORG_PARAM } from './org';
import { useSession } from './session';
import { session as tabStorage } from './storage';

/**
 * Guards the signed-in pages: a signed-out visit remembers where it was going (the URL, or its
 * `short_url` when it carries one) and goes to /login, which returns there after signing in.
 * A URL without `org_identifier` gets the default org added.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { email, defaultOrg, rememberOrg, orgs } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const params = new URLSearchParams(location.search);
  const org = params.get(ORG_PARAM);

  useEffect(() => {
    if (email === undefined) return;
    if (org === null || org === '') {
      params.set(ORG_PARAM, defaultOrg());
      void navigate(`${location.pathname}?${params.toString()}${location.hash}`, { replace: true });
    } else if (orgs.some((o) => o.identifier === org)) {
      rememberOrg(org);
    }
  });

  if (email === undefined) {
    const wanted = params.get('short_url') ?? `${location.pathname}${location.search}`;
    tabStorage.set('redirect', wanted);
    return <Navigate to="/login" replace />;
  }
  if (org === null || org === '') return null;
  return children;
}
