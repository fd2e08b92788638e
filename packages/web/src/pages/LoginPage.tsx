import { useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { useSession } from '../app/session';
import { session as tabStorage } from '../app/storage';
import { TextInput } from '../components/TextInput';
import { Toast } from '../components/Toast';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function emailError(email: string): string | undefined {
  if (email.trim() === '') return 'Email is required';
  return EMAIL.test(email.trim()) ? undefined : 'Please enter a valid email';
}

/** The URL to open after signing in: the one the guard saved, else home. */
function takeRedirect(): string {
  const wanted = tabStorage.get('redirect');
  tabStorage.remove('redirect');
  return wanted !== undefined && wanted.startsWith('/') && !wanted.startsWith('/login')
    ? wanted
    : '/';
}

/** O2's login form: e-mail + password, `POST /auth/login`, cookie session. */
export function LoginPage() {
  const { login, email: signedIn, config } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  if (signedIn !== undefined && !busy) return <Navigate to="/" replace />;

  const errors = touched
    ? { email: emailError(email), password: password === '' ? 'Password is required' : undefined }
    : { email: undefined, password: undefined };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (emailError(email) !== undefined || password === '') return;
    setBusy(true);
    setFailure(undefined);
    login(email.trim(), password).then(
      () => void navigate(takeRedirect(), { replace: true }),
      (error: unknown) => {
        setBusy(false);
        setFailure(
          error instanceof ApiError && error.status === 401
            ? 'Invalid credentials'
            : `Login failed: ${String(error instanceof Error ? error.message : error)}`,
        );
      },
    );
  };

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} noValidate aria-label="Login">
        <h1 className="login-title">{config.custom_logo_text || 'O2TS'}</h1>
        <p className="login-subtitle">Welcome to O2TS</p>
        <TextInput
          dataTest="login-user-id"
          label="User Email *"
          placeholder="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={setEmail}
          error={errors.email}
        />
        <TextInput
          dataTest="login-password"
          label="Password *"
          placeholder="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={errors.password}
        />
        <button
          type="submit"
          className="btn btn-primary"
          data-test="login-sign-in"
          data-cy="login-sign-in"
          disabled={busy}
        >
          Login
        </button>
        {failure !== undefined && <Toast variant="error" message={failure} />}
      </form>
    </div>
  );
}
