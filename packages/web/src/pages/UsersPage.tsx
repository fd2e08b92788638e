import { api } from '../api/endpoints';
import { absoluteTime } from '../app/format';
import { useOrg } from '../app/org';
import { useAsync } from '../app/useAsync';
import { DataTable } from '../components/DataTable';
import { Toast } from '../components/Toast';

/** IAM → Users: the org's members with their roles. */
export default function UsersPage() {
  const org = useOrg();
  const users = useAsync(() => api.users(org), [org]);
  return (
    <div className="users" data-test="iam-users-page">
      <h1 className="page-title">Users</h1>
      {users.status === 'error' && <Toast variant="error" message={users.error} />}
      {users.status === 'ready' && (
        <DataTable
          dataTest="iam-users-table"
          rows={users.data.data}
          rowKey={(u) => u.email}
          initialSort={{ key: 'email', asc: true }}
          columns={[
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
            { key: 'role', label: 'Role', render: (u) => u.role, sortValue: (u) => u.role },
            {
              key: 'created_at',
              label: 'Created',
              render: (u) => absoluteTime(u.created_at),
              sortValue: (u) => u.created_at,
            },
          ]}
        />
      )}
    </div>
  );
}
