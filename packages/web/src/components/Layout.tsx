import { useEffect, useMemo, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useOrg, useOrgPath, useSwitchOrg } from '../app/org';
import { useSession } from '../app/session';
import { useShortcuts } from '../app/shortcuts';
import { useTheme } from '../app/theme';
import { Select } from './Select';
import { ShortcutsDialog } from './ShortcutsDialog';

/** O2's OSS menu order, less what O2TS does not have yet (each page adds itself here). */
const MENU = [
  { path: '/', label: 'Home', icon: '⌂' },
  { path: '/logs', label: 'Logs', icon: '☰' },
  { path: '/metrics', label: 'Metrics', icon: '∿' },
  { path: '/traces', label: 'Traces', icon: '⋔' },
  { path: '/pipeline', label: 'Pipelines', icon: '⇄' },
  { path: '/dashboards', label: 'Dashboards', icon: '▦' },
  { path: '/streams', label: 'Streams', icon: '≡' },
  { path: '/ingestion', label: 'Ingestion', icon: '⇪' },
  { path: '/alerts', label: 'Alerts', icon: '⚑' },
  { path: '/iam', label: 'IAM', icon: '◉' },
] as const;

/** Page names for the document title ("O2TS - <page>"). */
function pageName(pathname: string): string {
  const item = MENU.find((m) => m.path !== '/' && pathname.startsWith(m.path));
  return item?.label ?? (pathname === '/' ? 'Home' : 'Not found');
}

function UserMenu() {
  const { email, logout } = useSession();
  const { theme, toggle } = useTheme();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  return (
    <div className="user-menu">
      <button
        type="button"
        data-test="header-my-account-profile-icon"
        aria-haspopup="menu"
        aria-expanded={open}
        title={email}
        onClick={() => setOpen(!open)}
      >
        {(email ?? '?').slice(0, 2).toUpperCase()}
      </button>
      {open && (
        <div role="menu" className="user-menu-popover" data-state="open">
          <div className="user-menu-email" data-test="header-user-email">
            {email}
          </div>
          <button
            type="button"
            role="menuitemcheckbox"
            aria-checked={theme === 'dark'}
            data-state={theme === 'dark' ? 'on' : 'off'}
            data-test="menu-link-theme-toggle-item"
            onClick={() => {
              toggle();
              setOpen(false);
            }}
          >
            {theme === 'dark' ? 'Light mode' : 'Dark mode'}
          </button>
          <button
            type="button"
            role="menuitem"
            data-test="menu-link-logout-item"
            onClick={() => {
              void logout().then(() => navigate('/login', { replace: true }));
            }}
          >
            Sign Out
          </button>
        </div>
      )}
    </div>
  );
}

/** The signed-in frame: left nav, header with org selector and user menu, then the page. */
export function Layout() {
  const { orgs } = useSession();
  const org = useOrg();
  const orgPath = useOrgPath();
  const switchOrg = useSwitchOrg();
  const location = useLocation();
  const [cheatsheet, setCheatsheet] = useState(false);
  useShortcuts(useMemo(() => ({ '?': () => setCheatsheet(true) }), []));
  useEffect(() => {
    document.title = `O2TS - ${pageName(location.pathname)}`;
  }, [location.pathname]);

  return (
    <div className="layout">
      <nav className="nav" data-test="navbar-main-nav" aria-label="Main">
        <NavLink to={orgPath('/')} className="logo" data-test="header-logo">
          O2TS
        </NavLink>
        {MENU.map((item) => (
          <NavLink
            key={item.path}
            to={orgPath(item.path)}
            end={item.path === '/'}
            data-test={`menu-link-${item.path}-item`}
            className={({ isActive }) => (isActive ? 'nav-item active' : 'nav-item')}
          >
            <span aria-hidden="true" className="nav-icon">
              {item.icon}
            </span>
            <span className="nav-label">{item.label}</span>
          </NavLink>
        ))}
      </nav>
      <div className="main">
        <header className="header">
          <div className="header-spacer" />
          <Select
            dataTest="navbar-organizations-select"
            ariaLabel="Organization"
            value={org}
            searchable
            options={orgs.map((o) => ({ value: o.identifier, label: o.name }))}
            onChange={switchOrg}
          />
          <UserMenu />
        </header>
        <main className="page" key={org}>
          <Outlet />
        </main>
        {cheatsheet && <ShortcutsDialog onClose={() => setCheatsheet(false)} />}
      </div>
    </div>
  );
}
