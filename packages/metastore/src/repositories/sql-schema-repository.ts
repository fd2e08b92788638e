import { AppError } from '@o2/errors';
import type {
  SchemaField,
  SchemaRepository,
  SchemaVersion,
  StreamRef,
  StreamType,
} from '../meta-store.js';
import { fromJson, onlyRow, recode, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';
import { describeStream } from './sql-stream-repository.js';

const COLUMNS = 'org, stream_type, stream_name, version, start_ts, fields, created_at';
const WHERE_STREAM = 'org = $1 AND stream_type = $2 AND stream_name = $3';

function toSchemaVersion(row: SqlRow): SchemaVersion {
  return {
    org: String(row['org']),
    type: String(row['stream_type']) as StreamType,
    name: String(row['stream_name']),
    version: toInt(row['version']),
    startTs: toInt(row['start_ts']),
    fields: fromJson<SchemaField[]>(row['fields']),
    createdAt: toInt(row['created_at']),
  };
}

export class SqlSchemaRepository implements SchemaRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async latest(ref: StreamRef): Promise<SchemaVersion | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM stream_schemas WHERE ${WHERE_STREAM} ORDER BY version DESC LIMIT 1`,
      [ref.org, ref.type, ref.name],
    );
    return rows[0] === undefined ? undefined : toSchemaVersion(rows[0]);
  }

  async history(ref: StreamRef): Promise<SchemaVersion[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM stream_schemas WHERE ${WHERE_STREAM} ORDER BY version`,
      [ref.org, ref.type, ref.name],
    );
    return rows.map(toSchemaVersion);
  }

  async put(
    ref: StreamRef,
    expectedVersion: number,
    startTs: number,
    fields: SchemaField[],
  ): Promise<SchemaVersion> {
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw AppError.invalidArgument(
        `expected schema version must be >= 0, got ${expectedVersion}`,
      );
    }
    if (!Number.isSafeInteger(startTs)) {
      throw AppError.invalidArgument(`schema start timestamp must be an integer, got ${startTs}`);
    }
    const conflict = (cause?: AppError): AppError =>
      new AppError(
        'CONFLICT',
        `schema of ${describeStream(ref)} is no longer at version ${expectedVersion}`,
        { cause },
      );
    // Versions are contiguous and unique per stream, so the next one is always expected + 1:
    // of two writers that both saw `expectedVersion`, the second insert hits the unique key and
    // becomes CONFLICT. The unique key, not the read, is what makes this safe under a race.
    const rows = await recode(
      this.db.transaction(async (tx) => {
        const current = await tx.all(
          `SELECT COALESCE(MAX(version), 0) AS version FROM stream_schemas WHERE ${WHERE_STREAM}`,
          [ref.org, ref.type, ref.name],
        );
        if (toInt(current[0]?.['version'] ?? 0) !== expectedVersion) throw conflict();
        return tx.all(
          `INSERT INTO stream_schemas (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
           RETURNING ${COLUMNS}`,
          [
            ref.org,
            ref.type,
            ref.name,
            expectedVersion + 1,
            startTs,
            JSON.stringify(fields),
            this.now(),
          ],
        );
      }),
      'ALREADY_EXISTS',
      conflict,
    );
    return toSchemaVersion(onlyRow(rows));
  }
}
