import { AppError } from '@o2/errors';
import type {
  AnnotationRepository,
  TimedAnnotation,
  TimedAnnotationInput,
} from '../dashboard-store.js';
import { fromJson, onlyRow, recode, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';

const COLUMNS =
  'org, dashboard_id, annotation_id, start_time, end_time, title, text, tags, panels, created_at';
const WHERE_ID = 'org = $1 AND dashboard_id = $2 AND annotation_id = $3';

function toAnnotation(row: SqlRow): TimedAnnotation {
  const end = row['end_time'];
  const text = row['text'];
  return {
    org: String(row['org']),
    dashboardId: String(row['dashboard_id']),
    annotationId: String(row['annotation_id']),
    startTime: toInt(row['start_time']),
    endTime: end === null || end === undefined ? null : toInt(end),
    title: String(row['title']),
    text: typeof text === 'string' ? text : null,
    tags: fromJson<string[]>(row['tags']),
    panels: fromJson<string[]>(row['panels']),
    createdAt: toInt(row['created_at']),
  };
}

export class SqlAnnotationRepository implements AnnotationRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async create(annotations: readonly TimedAnnotationInput[]): Promise<TimedAnnotation[]> {
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const out: TimedAnnotation[] = [];
      for (const a of annotations) {
        const rows = await recode(
          tx.all(
            `INSERT INTO timed_annotations (${COLUMNS})
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
            [
              a.org,
              a.dashboardId,
              a.annotationId,
              a.startTime,
              a.endTime,
              a.title,
              a.text,
              JSON.stringify(a.tags),
              JSON.stringify(a.panels),
              now,
            ],
          ),
          'NOT_FOUND',
          (cause) => new AppError('NOT_FOUND', 'Dashboard not found', { cause }),
        );
        out.push(toAnnotation(onlyRow(rows)));
      }
      return out;
    });
  }

  async list(
    org: string,
    dashboardId: string,
    range: { startTime: number; endTime: number; panels?: readonly string[] },
  ): Promise<TimedAnnotation[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM timed_annotations
       WHERE org = $1 AND dashboard_id = $2 AND start_time <= $4
         AND COALESCE(end_time, start_time) >= $3
       ORDER BY start_time, annotation_id`,
      [org, dashboardId, range.startTime, range.endTime],
    );
    const all = rows.map(toAnnotation);
    const wanted = range.panels;
    if (wanted === undefined || wanted.length === 0) return all;
    return all.filter((a) => a.panels.some((p) => wanted.includes(p)));
  }

  async update(
    org: string,
    dashboardId: string,
    annotationId: string,
    patch: Pick<TimedAnnotation, 'startTime' | 'endTime' | 'title' | 'text' | 'tags' | 'panels'>,
  ): Promise<TimedAnnotation> {
    const rows = await this.db.all(
      `UPDATE timed_annotations SET start_time = $4, end_time = $5, title = $6, text = $7,
         tags = $8, panels = $9
       WHERE ${WHERE_ID} RETURNING ${COLUMNS}`,
      [
        org,
        dashboardId,
        annotationId,
        patch.startTime,
        patch.endTime,
        patch.title,
        patch.text,
        JSON.stringify(patch.tags),
        JSON.stringify(patch.panels),
      ],
    );
    if (rows[0] === undefined) throw AppError.notFound('Annotation not found');
    return toAnnotation(rows[0]);
  }

  async delete(
    org: string,
    dashboardId: string,
    annotationIds: readonly string[],
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      let n = 0;
      for (const id of annotationIds)
        n += await tx.run(`DELETE FROM timed_annotations WHERE ${WHERE_ID}`, [
          org,
          dashboardId,
          id,
        ]);
      return n;
    });
  }

  async removePanels(
    org: string,
    dashboardId: string,
    annotationId: string,
    panels: readonly string[],
  ): Promise<TimedAnnotation> {
    // Compare-and-set on the stored list, so two concurrent removals both take effect (a plain
    // read-modify-write would let one overwrite the other on Postgres).
    for (let attempt = 0; ; attempt++) {
      const rows = await this.db.all(`SELECT ${COLUMNS} FROM timed_annotations WHERE ${WHERE_ID}`, [
        org,
        dashboardId,
        annotationId,
      ]);
      if (rows[0] === undefined) throw AppError.notFound('Annotation not found');
      const current = toAnnotation(rows[0]);
      const kept = current.panels.filter((p) => !panels.includes(p));
      const changed = await this.db.run(
        `UPDATE timed_annotations SET panels = $4 WHERE ${WHERE_ID} AND panels = $5`,
        [org, dashboardId, annotationId, JSON.stringify(kept), String(rows[0]['panels'])],
      );
      if (changed > 0) return { ...current, panels: kept };
      if (attempt >= 10) throw new AppError('CONFLICT', 'Annotation is changing; try again');
    }
  }
}
