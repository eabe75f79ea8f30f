// A Kysely dialect over one PGlite instance (Kysely 0.28, the last release line that supports Node
// 20, has none of its own). PGlite is one connection: connect.ts runs every piece of work on it one
// after the other (`exclusive`), so a transaction is plain BEGIN/COMMIT/ROLLBACK on that connection,
// as Kysely's SQLite driver does; the SQL is PostgreSQL's.
import type { PGliteInterface } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

type Queryable = Pick<PGliteInterface, 'query'>;

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: Queryable) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { affectedRows, rows } = await this.pglite.query<R>(compiled.sql, [
      ...compiled.parameters,
    ]);
    return {
      ...(affectedRows === undefined ? {} : { numAffectedRows: BigInt(affectedRows) }),
      rows,
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results');
  }
}

type Compile = QueryCompiler['compileQuery'];

class PgliteDriver implements Driver {
  private readonly connection: PgliteConnection;

  constructor(private readonly pglite: Queryable & Partial<Pick<PGliteInterface, 'close'>>) {
    this.connection = new PgliteConnection(pglite);
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async releaseConnection(): Promise<void> {}
  /** As Kysely's PostgresDriver: the isolation level and access mode asked for, if any. */
  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    const isolation =
      settings.isolationLevel === undefined ? '' : ` isolation level ${settings.isolationLevel}`;
    const access = settings.accessMode === undefined ? '' : ` ${settings.accessMode}`;
    await connection.executeQuery(
      CompiledQuery.raw(
        isolation + access === '' ? 'begin' : `start transaction${isolation}${access}`,
      ),
    );
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async savepoint(connection: DatabaseConnection, name: string, _compile: Compile): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoted(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoted(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoted(name)}`));
  }
  async destroy(): Promise<void> {
    await this.pglite.close?.();
  }
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

export class PgliteDialect implements Dialect {
  constructor(private readonly pglite: Queryable & Partial<Pick<PGliteInterface, 'close'>>) {}

  createDriver(): Driver {
    return new PgliteDriver(this.pglite);
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
