import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Organization, ServerConfig } from '@o2/api-schemas';
import { ApiError, onUnauthorized } from '../api/client';
import { api } from '../api/endpoints';
import { local } from './storage';

export interface Session {
  config: ServerConfig;
  /** The signed-in user's e-mail, or undefined when signed out. */
  email: string | undefined;
  orgs: Organization[];
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** The org a page opens in when the URL names none: the last used, else `default`, else the first. */
  defaultOrg: () => string;
  rememberOrg: (org: string) => void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside <SessionProvider>');
  return session;
}

interface State {
  config: ServerConfig;
  email: string | undefined;
  orgs: Organization[];
}

/**
 * Boots from `/config`, then from the remembered user: a remembered user's org list is fetched
 * with the session cookie (a 401 means the session is gone). A fresh browser makes no API call
 * that could fail.
 */
async function boot(): Promise<State> {
  const config = await api.config();
  const email = local.get('user');
  if (email === undefined) return { config, email: undefined, orgs: [] };
  try {
    const { data } = await api.organizations();
    return { config, email, orgs: data };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      local.remove('user');
      return { config, email: undefined, orgs: [] };
    }
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State | undefined>();
  const [bootError, setBootError] = useState<string | undefined>();

  useEffect(() => {
    boot().then(setState, (error: unknown) => setBootError(String(error)));
    onUnauthorized(() => {
      local.remove('user');
      setState((s) => (s === undefined ? s : { ...s, email: undefined, orgs: [] }));
    });
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    await api.login(email, password);
    const { data } = await api.organizations();
    local.set('user', email);
    setState((s) => (s === undefined ? s : { ...s, email, orgs: data }));
  }, []);

  const logout = useCallback(async () => {
    await api.logout();
    local.remove('user');
    setState((s) => (s === undefined ? s : { ...s, email: undefined, orgs: [] }));
  }, []);

  const value = useMemo<Session | undefined>(() => {
    if (state === undefined) return undefined;
    return {
      ...state,
      login,
      logout,
      defaultOrg: () => {
        const ids = state.orgs.map((o) => o.identifier);
        const last = local.get('org');
        if (last !== undefined && ids.includes(last)) return last;
        // Root sees every org, `_meta` included: prefer `default`, then any data org.
        if (ids.includes('default')) return 'default';
        return ids.find((id) => id !== state.config.meta_org) ?? ids[0] ?? 'default';
      },
      rememberOrg: (org) => local.set('org', org),
    };
  }, [state, login, logout]);

  if (bootError !== undefined)
    return (
      <div className="boot-error" role="alert" data-test="boot-error">
        Could not load the server configuration: {bootError}
      </div>
    );
  if (value === undefined) return <div className="boot-loading" aria-busy="true" />;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
