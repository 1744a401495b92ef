// Kysely's SQLite driver contract (the better-sqlite3 shape) over node:sqlite's synchronous DatabaseSync. node:sqlite
// binds only null, numbers, bigints, strings and byte arrays, so other parameter types are converted first.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export function toSqlValues(params: ReadonlyArray<unknown>): SQLInputValue[] {
  return params.map((p) => {
    if (p === undefined || p === null) return null;
    if (typeof p === 'boolean') return p ? 1 : 0;
    if (typeof p === 'number' || typeof p === 'bigint' || typeof p === 'string' || p instanceof Uint8Array) return p;
    return JSON.stringify(p);
  });
}

export function nodeSqliteAdapter(db: DatabaseSync): SqliteDatabase {
  return {
    close: () => db.close(),
    prepare(sqlText: string): SqliteStatement {
      const stmt = db.prepare(sqlText);
      return {
        // A statement that returns columns (a SELECT, a PRAGMA, an INSERT ... RETURNING) is read with all().
        reader: stmt.columns().length > 0,
        all: (params) => stmt.all(...toSqlValues(params)),
        iterate: (params) => stmt.iterate(...toSqlValues(params)),
        run(params) {
          const { changes, lastInsertRowid } = stmt.run(...toSqlValues(params));
          return { changes, lastInsertRowid };
        },
      };
    },
  };
}
