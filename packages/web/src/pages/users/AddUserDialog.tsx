import { useState } from 'react';
import { api } from '../../api/endpoints';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextInput } from '../../components/TextInput';
import { Toast } from '../../components/Toast';
import { ASSIGNABLE_ROLES } from './roles';

interface Props {
  org: string;
  onDone: () => void;
  onCancel: () => void;
}

/** Add user: e-mail, names, password and role → `POST /api/{org}/users`. */
export function AddUserDialog({ org, onDone, onCancel }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [role, setRole] = useState<string>('user');
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const save = () => {
    setBusy(true);
    setFailure(undefined);
    api
      .addUser(org, { email, password, role, first_name: firstName, last_name: lastName })
      .then(onDone, (error: unknown) => {
        setBusy(false);
        setFailure(error instanceof Error ? error.message : String(error));
      });
  };

  return (
    <ConfirmDialog
      dataTest="iam-add-user-dialog"
      title="Add User"
      confirmLabel="Save"
      busy={busy}
      onConfirm={save}
      onCancel={onCancel}
    >
      <TextInput dataTest="user-email-field" label="Email *" value={email} onChange={setEmail} />
      <TextInput
        dataTest="user-first-name-field"
        label="First name"
        value={firstName}
        onChange={setFirstName}
      />
      <TextInput
        dataTest="user-last-name-field"
        label="Last name"
        value={lastName}
        onChange={setLastName}
      />
      <TextInput
        dataTest="user-password-field"
        label="Password *"
        type="password"
        value={password}
        onChange={setPassword}
      />
      <label className="o-input">
        <span className="o-input-label">Role</span>
        <select
          className="o-native-select"
          data-test="user-role-field"
          value={role}
          onChange={(e) => setRole(e.target.value)}
        >
          {ASSIGNABLE_ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      {failure !== undefined && <Toast variant="error" message={failure} />}
    </ConfirmDialog>
  );
}
