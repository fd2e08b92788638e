import { AppError } from '@o2/errors';
import { isFunctionTransType } from '@o2/domain';
import type { FunctionDefinition, FunctionStreamOrder, StoredFunction } from '@o2/domain';
import type { FunctionRepository } from '../function-store.js';
import { onlyRow, toInt } from '../sql/sql-database.js';
import type { SqlDatabase, SqlRow } from '../sql/sql-database.js';

const COLUMNS = 'org, name, source, params, num_args, trans_type, streams, created_at, updated_at';

function toFunction(row: SqlRow): StoredFunction {
  const transType = toInt(row['trans_type']);
  if (!isFunctionTransType(transType)) {
    throw AppError.internal(`stored function has an unknown trans_type ${transType}`);
  }
  const fn: StoredFunction = {
    org: String(row['org']),
    name: String(row['name']),
    function: String(row['source']),
    params: String(row['params']),
    numArgs: toInt(row['num_args']),
    transType,
    createdAt: toInt(row['created_at']),
    updatedAt: toInt(row['updated_at']),
  };
  const streams = row['streams'];
  if (typeof streams === 'string') {
    fn.streams = JSON.parse(streams) as FunctionStreamOrder[];
  }
  return fn;
}

function streamsText(fn: FunctionDefinition): string | null {
  return fn.streams === undefined ? null : JSON.stringify(fn.streams);
}

export class SqlFunctionRepository implements FunctionRepository {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async list(org: string): Promise<StoredFunction[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM functions WHERE org = $1 ORDER BY name`,
      [org],
    );
    return rows.map(toFunction);
  }

  async get(org: string, name: string): Promise<StoredFunction | undefined> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM functions WHERE org = $1 AND name = $2`,
      [org, name],
    );
    return rows[0] === undefined ? undefined : toFunction(rows[0]);
  }

  async create(org: string, fn: FunctionDefinition): Promise<StoredFunction> {
    try {
      const rows = await this.db.all(
        `INSERT INTO functions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         RETURNING ${COLUMNS}`,
        [
          org,
          fn.name,
          fn.function,
          fn.params,
          fn.numArgs,
          fn.transType,
          streamsText(fn),
          this.now(),
        ],
      );
      return toFunction(onlyRow(rows));
    } catch (error) {
      if (error instanceof AppError && error.code === 'ALREADY_EXISTS') {
        throw new AppError('ALREADY_EXISTS', `Function ${fn.name} already exists`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async update(org: string, fn: FunctionDefinition): Promise<StoredFunction> {
    const rows = await this.db.all(
      `UPDATE functions SET source = $3, params = $4, num_args = $5, trans_type = $6, streams = $7,
         updated_at = $8
       WHERE org = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [org, fn.name, fn.function, fn.params, fn.numArgs, fn.transType, streamsText(fn), this.now()],
    );
    if (rows[0] === undefined) throw AppError.notFound(`Function ${fn.name} not found`);
    return toFunction(rows[0]);
  }

  async delete(org: string, name: string): Promise<boolean> {
    return (
      (await this.db.run('DELETE FROM functions WHERE org = $1 AND name = $2', [org, name])) > 0
    );
  }
}
