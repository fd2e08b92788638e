import { Link } from 'react-router';
import { useOrgPath } from '../app/org';

export default function NotFoundPage() {
  const orgPath = useOrgPath();
  return (
    <section className="not-found" data-test="page-not-found">
      <h1>Page not found</h1>
      <Link to={orgPath('/')}>Go home</Link>
    </section>
  );
}
