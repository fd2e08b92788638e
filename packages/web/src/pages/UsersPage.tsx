import { useState } from 'react';
import type { OrgUser } from '@o2/api-schemas';
import { api } from '../api/endpoints';
import { absoluteTime } from '../app/format';
import { useOrg } from '../app/org';
import { useSession } from '../app/session';
import { useAsync } from '../app/useAsync';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataTable } from '../components/DataTable';
import type { Column } from '../components/DataTable';
import { Toast } from '../components/Toast';
import { AddUserDialog } from './users/AddUserDialog';
import { ASSIGNABLE_ROLES, canManageUsers, roleLabel } from './users/roles';

/** IAM → Users (admins only): list, add, change role (admin/member), remove. */
export default function UsersPage() {
  const org = useOrg();
  const { email: me } = useSession();
  const users = useAsync(() => api.users(org), [org]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | undefined>();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();

  const act = (work: Promise<unknown>, done: string) =>
    work.then(
      () => {
        setMessage({ ok: true, text: done });
        users.reload();
      },
      (error: unknown) =>
        setMessage({ ok: false, text: error instanceof Error ? error.message : String(error) }),
    );

  if (users.status === 'loading') return <div className="page-loading" aria-busy="true" />;
  if (users.status === 'error') return <Toast variant="error" message={users.error} />;
  const myRole = users.data.data.find((u) => u.email === me)?.role;
  if (!canManageUsers(myRole))
    return (
      <div className="users" data-test="iam-users-forbidden" role="alert">
        <h1 className="page-title">Users</h1>
        <p>Only organization admins can manage users.</p>
      </div>
    );

  const columns: Column<OrgUser>[] = [
    { key: 'email', label: 'Email', render: (u) => u.email, sortValue: (u) => u.email },
    {
      key: 'first_name',
      label: 'First name',
      render: (u) => u.first_name,
      sortValue: (u) => u.first_name,
    },
    {
      key: 'last_name',
      label: 'Last name',
      render: (u) => u.last_name,
      sortValue: (u) => u.last_name,
    },
    {
      key: 'role',
      label: 'Role',
      sortValue: (u) => u.role,
      render: (u) =>
        u.role === 'root' || u.email === me ? (
          roleLabel(u.role)
        ) : (
          <select
            className="o-native-select"
            aria-label={`Role of ${u.email}`}
            data-test="iam-user-role-select"
            value={u.role}
            onChange={(e) => void act(api.updateRole(org, u.email, e.target.value), 'Role updated')}
          >
            {ASSIGNABLE_ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        ),
    },
    {
      key: 'created_at',
      label: 'Created',
      render: (u) => absoluteTime(u.created_at),
      sortValue: (u) => u.created_at,
    },
    {
      key: 'actions',
      label: 'Actions',
      render: (u) =>
        u.role !== 'root' && u.email !== me ? (
          <button
            type="button"
            className="btn btn-small btn-danger"
            data-test="iam-user-delete-btn"
            onClick={() => setRemoving(u.email)}
          >
            Delete
          </button>
        ) : null,
    },
  ];

  return (
    <div className="users" data-test="iam-users-page">
      <div className="toolbar">
        <h1 className="page-title">Users</h1>
        <button
          type="button"
          className="btn btn-primary"
          data-test="iam-add-user-btn"
          onClick={() => setAdding(true)}
        >
          Add User
        </button>
      </div>
      {message !== undefined && (
        <Toast variant={message.ok ? 'success' : 'error'} message={message.text} />
      )}
      <DataTable
        dataTest="iam-users-table"
        rows={users.data.data}
        rowKey={(u) => u.email}
        initialSort={{ key: 'email', asc: true }}
        columns={columns}
      />
      {adding && (
        <AddUserDialog
          org={org}
          onCancel={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            setMessage({ ok: true, text: 'User added successfully' });
            users.reload();
          }}
        />
      )}
      {removing !== undefined && (
        <ConfirmDialog
          dataTest="iam-delete-user-dialog"
          title="Delete user"
          confirmLabel="OK"
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => {
            const email = removing;
            setRemoving(undefined);
            void act(api.removeUser(org, email), 'User deleted successfully');
          }}
        >
          Remove {removing} from {org}?
        </ConfirmDialog>
      )}
    </div>
  );
}
