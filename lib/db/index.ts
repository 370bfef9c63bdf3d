import postgres from 'postgres'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'

export type Sql = postgres.Sql<Record<string, never>>
/** A transaction handle; `Sql` and `TransactionSql` share the tagged-template API. */
export type TransactionSql = postgres.TransactionSql<Record<string, never>>
export type Queryable = Sql | TransactionSql

export interface Database {
  sql: Sql
  /** 'postgres' for a server from DATABASE_URL, 'pglite' for the embedded one. */
  kind: 'postgres' | 'pglite'
  close(): Promise<void>
}

const clientOptions: postgres.Options<Record<string, postgres.PostgresType>> = {
  onnotice: () => {},
  connection: { application_name: 'noleij' },
  // count(*) and other int8 values come back as numbers; ids are UUIDs, so nothing here exceeds 2^53.
  types: {
    bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
  },
  transform: { undefined: null },
}

export function connectPostgres(url: string, max: number): Sql {
  // JIT compilation pays off for long analytical queries, not for an API's millisecond statements:
  // the feed's statement is estimated above jit_above_cost and spent ~80 ms compiling to run in 15.
  const sql = postgres(url, { ...clientOptions, connection: { ...clientOptions.connection, jit: 'off' }, max })
  return sql as unknown as Sql
}

/**
 * DATABASE_URL → that server. Otherwise PGlite in `<data dir>/pg`, served over the wire protocol on a
 * loopback port so the same postgres.js client talks to both. PGlite is single-connection: `max: 1`,
 * and LISTEN/NOTIFY is not forwarded, so nothing may rely on it.
 */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  if (config.DATABASE_URL) {
    const sql = connectPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX)
    return { sql, kind: 'postgres', close: () => sql.end({ timeout: 5 }) }
  }
  const directory = path.join(config.dataDir, 'pg')
  await mkdir(directory, { recursive: true })
  const embedded = await startPglite(directory)
  log.info('embedded database started', { engine: 'pglite', directory })
  return embedded
}

/** Starts PGlite (in memory when `directory` is undefined) behind a loopback socket server. */
export async function startPglite(directory?: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  const pglite = directory ? await PGlite.create(directory) : await PGlite.create()
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 4 })
  await server.start()
  const [host, port] = server.getServerConn().split(':')
  const sql = postgres({
    ...clientOptions,
    host,
    port: Number(port),
    database: 'postgres',
    username: 'postgres',
    password: 'postgres',
    max: 1,
    // PGlite runs in this process; a long idle connection costs nothing and reconnecting does.
    idle_timeout: 0,
  }) as unknown as Sql
  return {
    sql,
    kind: 'pglite',
    async close() {
      await sql.end({ timeout: 5 })
      await server.stop()
      await pglite.close()
    },
  }
}
