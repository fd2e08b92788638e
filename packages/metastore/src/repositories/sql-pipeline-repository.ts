import { AppError } from '@o2/errors';
import type { PipelineContent, PipelineRepository, StoredPipeline } from '../pipeline-store.js';
import { toBool, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlExecutor, SqlRow, SqlValue } from '../sql/sql-database.js';

const COLUMNS =
  'org, pipeline_id, name, enabled, source_type, stream_type, stream_name, version, data, created_at, updated_at';

function toPipeline(row: SqlRow): StoredPipeline {
  return {
    org: String(row['org']),
    pipelineId: String(row['pipeline_id']),
    name: String(row['name']),
    enabled: toBool(row['enabled']),
    sourceType: row['source_type'] === 'scheduled' ? 'scheduled' : 'realtime',
    streamType: String(row['stream_type']),
    streamName: String(row['stream_name']),
    version: toInt(row['version']),
    data: String(row['data']),
    createdAt: toInt(row['created_at']),
    updatedAt: toInt(row['updated_at']),
  };
}

/** The unique index a write broke, as O2's message. */
async function named<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'ALREADY_EXISTS') throw error;
    const text = `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}`;
    const message = /source|stream/i.test(text)
      ? 'A realtime pipeline with the same source stream already exists'
      : 'Pipeline with the same name already exists';
    throw new AppError('ALREADY_EXISTS', message, { cause: error });
  }
}

export class SqlPipelineRepository implements PipelineRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async create(
    p: Pick<StoredPipeline, 'org' | 'pipelineId'> & PipelineContent,
  ): Promise<StoredPipeline> {
    return this.db.transaction(async (tx) => {
      await this.checkUnique(tx, p.org, p.pipelineId, p);
      const rows = await named(
        tx.all(
          `INSERT INTO pipelines (${COLUMNS})
           VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9) RETURNING ${COLUMNS}`,
          [
            ...[p.org, p.pipelineId, p.name, p.enabled ? 1 : 0, p.sourceType],
            ...[p.streamType, p.streamName, p.data, this.now()],
          ],
        ),
      );
      return toPipeline(rows[0] as SqlRow);
    });
  }

  async get(org: string, pipelineId: string): Promise<StoredPipeline | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM pipelines WHERE org = $1 AND pipeline_id = $2`,
      [org, pipelineId],
    );
    return rows[0] === undefined ? undefined : toPipeline(rows[0]);
  }

  async list(
    org: string,
    filter: { sourceType?: StoredPipeline['sourceType'] } = {},
  ): Promise<StoredPipeline[]> {
    const params: SqlValue[] = [org];
    if (filter.sourceType !== undefined) params.push(filter.sourceType);
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM pipelines WHERE org = $1${
        filter.sourceType === undefined ? '' : ' AND source_type = $2'
      } ORDER BY name, pipeline_id`,
      params,
    );
    return rows.map(toPipeline);
  }

  listEnabledRealtime(): Promise<StoredPipeline[]> {
    return this.listEnabled('realtime');
  }

  listEnabledScheduled(): Promise<StoredPipeline[]> {
    return this.listEnabled('scheduled');
  }

  private async listEnabled(sourceType: StoredPipeline['sourceType']): Promise<StoredPipeline[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM pipelines WHERE source_type = $1 AND enabled = $2
       ORDER BY org, name`,
      [sourceType, 1],
    );
    return rows.map(toPipeline);
  }

  async update(
    org: string,
    pipelineId: string,
    c: PipelineContent,
    expectedVersion?: number,
  ): Promise<StoredPipeline> {
    return this.db.transaction(async (tx) => {
      const current = await tx.all(
        'SELECT version FROM pipelines WHERE org = $1 AND pipeline_id = $2',
        [org, pipelineId],
      );
      if (current[0] === undefined) throw AppError.notFound('Pipeline not found');
      if (expectedVersion !== undefined && toInt(current[0]['version']) !== expectedVersion)
        throw new AppError('CONFLICT', 'Pipeline was changed by someone else; reload and retry');
      await this.checkUnique(tx, org, pipelineId, c);
      const rows = await named(
        tx.all(
          `UPDATE pipelines SET name = $3, enabled = $4, source_type = $5, stream_type = $6,
             stream_name = $7, data = $8, version = version + 1, updated_at = $9
           WHERE org = $1 AND pipeline_id = $2 RETURNING ${COLUMNS}`,
          [
            ...[org, pipelineId, c.name, c.enabled ? 1 : 0, c.sourceType],
            ...[c.streamType, c.streamName, c.data, this.now()],
          ],
        ),
      );
      return toPipeline(rows[0] as SqlRow);
    });
  }

  async setEnabled(org: string, pipelineId: string, enabled: boolean): Promise<StoredPipeline> {
    const rows = await this.db.all(
      `UPDATE pipelines SET enabled = $3, updated_at = $4 WHERE org = $1 AND pipeline_id = $2
       RETURNING ${COLUMNS}`,
      [org, pipelineId, enabled ? 1 : 0, this.now()],
    );
    if (rows[0] === undefined) throw AppError.notFound('Pipeline not found');
    return toPipeline(rows[0]);
  }

  async delete(org: string, pipelineIds: readonly string[]): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const deleted: string[] = [];
      for (const id of pipelineIds) {
        const n = await tx.run('DELETE FROM pipelines WHERE org = $1 AND pipeline_id = $2', [
          org,
          id,
        ]);
        if (n > 0) deleted.push(id);
      }
      return deleted;
    });
  }

  /** Name and realtime source are unique per org: checked here for a clear message. */
  private async checkUnique(
    tx: SqlExecutor,
    org: string,
    pipelineId: string,
    c: PipelineContent,
  ): Promise<void> {
    const byName = await tx.all(
      'SELECT pipeline_id FROM pipelines WHERE org = $1 AND name = $2 AND pipeline_id <> $3',
      [org, c.name, pipelineId],
    );
    if (byName.length > 0)
      throw new AppError('ALREADY_EXISTS', 'Pipeline with the same name already exists');
    if (c.sourceType !== 'realtime') return;
    const bySource = await tx.all(
      `SELECT pipeline_id FROM pipelines WHERE org = $1 AND source_type = 'realtime'
         AND stream_type = $2 AND stream_name = $3 AND pipeline_id <> $4`,
      [org, c.streamType, c.streamName, pipelineId],
    );
    if (bySource.length > 0)
      throw new AppError(
        'ALREADY_EXISTS',
        'A realtime pipeline with the same source stream already exists',
      );
  }
}
