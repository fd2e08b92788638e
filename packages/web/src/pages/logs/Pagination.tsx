import { Select } from '../../components/Select';

/** O2's rows-per-page choices for the logs table. */
export const PAGE_SIZES = [10, 25, 50, 100];

interface Props {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}

/** Page numbers around the current one, first and last always reachable. */
export function pageNumbers(page: number, pages: number): number[] {
  const around = [1, pages, page - 2, page - 1, page, page + 1, page + 2];
  return [...new Set(around.filter((p) => p >= 1 && p <= pages))].sort((a, b) => a - b);
}

/** Rows per page and page numbers under the results; each page is a search of its own. */
export function Pagination({ page, pageSize, total, onPage, onPageSize }: Props) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pagination" aria-label="Pages" data-test="logs-search-result-pagination">
      <Select
        dataTest="logs-search-result-records-per-page"
        ariaLabel="Rows per page"
        value={String(pageSize)}
        options={PAGE_SIZES.map((s) => ({ value: String(s), label: `${s} rows` }))}
        onChange={(v) => onPageSize(Number(v))}
      />
      <button
        type="button"
        className="btn"
        data-test="logs-search-result-prev-page-btn"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        ‹
      </button>
      {pageNumbers(page, pages).map((p) => (
        <button
          key={p}
          type="button"
          className={p === page ? 'btn btn-primary' : 'btn'}
          aria-current={p === page ? 'page' : undefined}
          data-state={p === page ? 'active' : 'inactive'}
          data-test={`logs-search-result-page-${p}-btn`}
          onClick={() => onPage(p)}
        >
          {p}
        </button>
      ))}
      <button
        type="button"
        className="btn"
        data-test="logs-search-result-next-page-btn"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
      >
        ›
      </button>
    </nav>
  );
}
