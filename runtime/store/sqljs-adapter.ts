// Kysely's SQLite driver contract (the better-sqlite3 shape) over a sql.js database. Every successful write statement
// is reported to `onWrite` with its SQL and parameters, which is what the journal records.
import type initSqlJs from 'sql.js';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export type SqlJsDatabase = initSqlJs.Database;
export type SqlValue = initSqlJs.SqlValue;

export function toSqlValues(params: ReadonlyArray<unknown>): SqlValue[] {
  return params.map((p) => {
    if (p === undefined || p === null) return null;
    if (typeof p === 'boolean') return p ? 1 : 0;
    if (typeof p === 'bigint') return Number(p);
    if (typeof p === 'number' || typeof p === 'string' || p instanceof Uint8Array) return p;
    return JSON.stringify(p);
  });
}

export function sqlJsAdapter(db: SqlJsDatabase, onWrite: (sql: string, params: SqlValue[]) => void): SqliteDatabase {
  return {
    close: () => db.close(),
    prepare(sqlText: string): SqliteStatement {
      // Kysely prepares a statement and then runs it once (all() or run()); the statement is freed after that use.
      let stmt: initSqlJs.Statement | undefined = db.prepare(sqlText);
      const reader = stmt.getColumnNames().length > 0;
      const take = () => {
        const s = stmt ?? db.prepare(sqlText);
        stmt = undefined;
        return s;
      };
      const rowsOf = (params: ReadonlyArray<unknown>): Record<string, unknown>[] => {
        const s = take();
        try {
          s.bind(toSqlValues(params));
          const rows: Record<string, unknown>[] = [];
          while (s.step()) rows.push(s.getAsObject());
          return rows;
        } finally {
          s.free();
        }
      };
      return {
        reader,
        all: rowsOf,
        iterate: (params) => rowsOf(params)[Symbol.iterator](),
        run(params) {
          const values = toSqlValues(params);
          const s = take();
          try {
            s.bind(values);
            while (s.step()) {
              /* drain (RETURNING rows are not used) */
            }
          } finally {
            s.free();
          }
          const changes = db.getRowsModified();
          const last = db.exec('select last_insert_rowid()')[0]?.values[0]?.[0];
          onWrite(sqlText, values);
          return { changes, lastInsertRowid: typeof last === 'number' ? last : 0 };
        },
      };
    },
  };
}
