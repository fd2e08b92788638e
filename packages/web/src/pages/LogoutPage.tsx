import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from '../app/session';

/** `/logout`: ends the session (`/config/logout`) and returns to the login page. */
export function LogoutPage() {
  const { logout } = useSession();
  const navigate = useNavigate();
  useEffect(() => {
    void logout().finally(() => void navigate('/login', { replace: true }));
  }, [logout, navigate]);
  return <div className="page-loading" aria-busy="true" />;
}
