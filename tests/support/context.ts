import { inject } from 'vitest'
import postgres from 'postgres'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { loadConfig, type Config } from '../../lib/config.ts'
import { connectPostgres, startPglite, type Database } from '../../lib/db/index.ts'
import { migrate } from '../../lib/db/migrate.ts'
import { createKv } from '../../lib/kv/index.ts'
import { createQueue } from '../../lib/queue/index.ts'
import { createStorage } from '../../lib/storage/index.ts'
import { createMailer } from '../../lib/mail/index.ts'
import { createAi } from '../../lib/ai/client.ts'
import { createManualClock } from '../../lib/clock.ts'
import { createLogger, type Logger } from '../../lib/log.ts'
import type { Ctx } from '../../lib/context.ts'

export interface TestContext {
  ctx: Ctx
  clock: ReturnType<typeof createManualClock>
  config: Config
  databaseKind: 'postgres' | 'pglite'
  /** The URL of this test's database (PostgreSQL only), for a child process to connect to. */
  databaseUrl?: string
  /** Log lines the context wrote, parsed. */
  logs: Record<string, unknown>[]
  close(): Promise<void>
}

export interface TestContextOptions {
  env?: Record<string, string>
  now?: string
}

/**
 * A fresh, migrated database for one test file: a clone of the migrated template on the shared
 * PostgreSQL server (TEST_DB=postgres) or an in-memory PGlite (TEST_DB=pglite), plus the embedded
 * adapters in a temporary data directory.
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'noleij-test-'))
  const { database, url } = await openTestDatabase()
  const config = loadConfig({
    NODE_ENV: 'test',
    NOLEIJ_DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    URL_SIGNING_SECRET: randomBytes(32).toString('hex'),
    SCRYPT_COST: '1024',
    ...options.env,
  })
  const clock = createManualClock(options.now ?? '2026-03-02T09:00:00Z')
  const logs: Record<string, unknown>[] = []
  const log: Logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) })
  const secrets = { jwtSecret: config.JWT_SECRET!, urlSigningSecret: config.URL_SIGNING_SECRET! }
  const kv = await createKv(config, () => clock.now().getTime())
  const queue = await createQueue(config, { sql: database.sql, kv })
  const storage = await createStorage(config, secrets, { now: () => clock.now() })
  const mail = await createMailer(config, log)
  // Retries back off without waiting in real time; tests that check the waits build their own createAi.
  const ai = createAi({ config, sql: database.sql, log, clock, sleep: async () => {} })
  const ctx: Ctx = { config, secrets, sql: database.sql, kv, queue, storage, mail, ai, clock, log }
  return {
    ctx,
    clock,
    config,
    logs,
    databaseKind: database.kind,
    databaseUrl: url,
    async close() {
      await queue.close()
      await kv.close()
      await database.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export async function openTestDatabase(): Promise<{ database: Database; url?: string }> {
  if (process.env.TEST_DB === 'pglite') {
    const database = await startPglite()
    await migrate(database.sql)
    return { database }
  }
  const serverUrl = inject('postgresUrl')
  if (!serverUrl) throw new Error('integration tests need the postgres project (TEST_DB=postgres) or TEST_DB=pglite')
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name} template noleij_template`)
  const url = serverUrl.replace(/\/[^/]*$/, `/${name}`)
  const sql = connectPostgres(url, 5)
  return {
    url,
    database: {
      sql,
      kind: 'postgres',
      async close() {
        await sql.end({ timeout: 5 })
        await admin.unsafe(`drop database if exists ${name} with (force)`)
        await admin.end()
      },
    },
  }
}
