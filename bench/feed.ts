/**
 * Feed benchmark (issue 6): seeded data at scale in a real PostgreSQL, then autocannon at 50
 * connections against feed/next, feed/events and quiz answers, next to two baselines measured in
 * the same run: a bare JSON endpoint and a one-trivial-query endpoint behind the same middleware.
 *
 *   npm run bench:feed [-- --learners 10000 --units 200000 --events 2000000 --seconds 10]
 *
 * The API runs in a child process (`--serve`) so the load generator does not share its event loop.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import postgres from 'postgres'
import autocannon, { type AutocannonResult } from 'autocannon'
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { startPostgresServer } from '../tests/support/postgres-server.ts'
import { migrate } from '../lib/db/migrate.ts'
import type { Sql } from '../lib/db/index.ts'
import { loadConfig } from '../lib/config.ts'
import { createRuntime } from '../lib/context.ts'
import { createApp } from '../lib/platform/server.ts'
import { http } from '../lib/platform/define.ts'
import { httpFunctions } from '../functions/registry.ts'
import { signAccessToken } from '../lib/auth/access-token.ts'
import { silentLogger } from '../lib/log.ts'
import { loadFeedInputs } from '../lib/db/feed.ts'
import { candidatesPerTopic, dueConsidered } from '../lib/feed/api/next.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`)
  return index >= 0 ? Number(args[index + 1]) : fallback
}

if (args.includes('--serve')) await serveApi()
else await main()

/** The child: every HTTP function plus the two baselines, on a loopback port. */
async function serveApi() {
  const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'error', DATABASE_POOL_MAX: '20' })
  const runtime = await createRuntime(config, { log: silentLogger })
  const baselines = [
    http('GET', '/api/v1/bench/bare', { auth: 'none', rateLimit: 'none' }, () => ({ ok: true })),
    http('GET', '/api/v1/bench/query', { auth: 'none', rateLimit: 'none' }, async ({ ctx }) => {
      const [row] = await ctx.sql<{ one: number }[]>`select 1 as one`
      return { ok: row!.one === 1 }
    }),
  ]
  const app = createApp(runtime.ctx, [...httpFunctions().map(([, fn]) => fn), ...baselines])
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await once(server, 'listening')
  console.log(`listening ${(server.address() as AddressInfo).port}`)
  process.on('SIGTERM', () => server.close(() => runtime.close().then(() => process.exit(0))))
}

async function main() {
  const learners = option('learners', 10_000)
  const unitTarget = option('units', 200_000)
  const eventTarget = option('events', 2_000_000)
  const seconds = option('seconds', 10)
  const connections = 50

  const pg = await startPostgresServer()
  const sql = postgres(pg.url(), { max: 4, onnotice: () => {} })
  let child: ReturnType<typeof spawn> | undefined
  try {
    await migrate(sql as unknown as Sql)
    const seeded = await seed(sql, { learners, unitTarget, eventTarget })
    console.log(`seeded ${JSON.stringify(seeded)}`)
    if (args.includes('--plans-only')) {
      const [first] = await sql<{ id: string }[]>`select id from users order by id limit 1`
      await printPlans(pg.url(), first!.id)
      return
    }

    const secret = 'b'.repeat(48)
    child = spawn(process.execPath, ['bench/feed.ts', '--serve'], {
      env: { ...process.env, DATABASE_URL: pg.url(), JWT_SECRET: secret, URL_SIGNING_SECRET: secret, NOLEIJ_DATA_DIR: '/tmp/noleij-bench', CRON_ENABLED: 'false' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
    const base = `http://127.0.0.1:${line.split(' ')[1]}`

    const config = loadConfig({ JWT_SECRET: secret, URL_SIGNING_SECRET: secret })
    const tokenContext = { secrets: { jwtSecret: secret, urlSigningSecret: secret }, config, clock: { now: () => new Date() } }
    const users = await sql<{ id: string; quiz: string }[]>`
      select u.id, (select q.id from topic_follows f join units q on q.topic_id = f.topic_id
                    where f.user_id = u.id and q.type = 'quiz' and q.quiz_kind = 'mcq' limit 1) as quiz
      from users u order by u.id`
    const tokens = await Promise.all(users.map((user) => signAccessToken(tokenContext, { id: user.id, role: 'learner', sessionId: randomUUID() })))
    // Every request takes the next learner, so no learner comes near the per-user rate limit.
    let next = 0
    const rotate = () => next++ % users.length
    const auth = (index: number) => ({ authorization: `Bearer ${tokens[index]}`, 'content-type': 'application/json' })

    const run = async (name: string, request: Parameters<typeof autocannon>[0]['requests']) => {
      await autocannon({ url: base, connections, duration: 2, requests: request }) // warm-up
      const result = await autocannon({ url: base, connections, duration: seconds, requests: request })
      return summarize(name, result)
    }
    const results = [
      await run('bare JSON (baseline)', [{ method: 'GET', path: '/api/v1/bench/bare' }]),
      await run('one trivial query (baseline)', [{ method: 'GET', path: '/api/v1/bench/query' }]),
      await run('GET /feed/next?limit=5', [{ method: 'GET', setupRequest: (request) => ({ ...request, path: '/api/v1/feed/next?limit=5', headers: auth(rotate()) }) }]),
      await run('POST /feed/events (5 events)', [
        {
          method: 'POST',
          setupRequest: (request) => {
            const index = rotate()
            const unit = users[index]!.quiz
            const now = new Date().toISOString()
            const events = Array.from({ length: 5 }, (_, i) => ({ client_id: randomUUID(), timestamp: now, type: i % 2 ? 'dwell' : 'impression', unit_id: unit, ms: 4000 }))
            return { ...request, path: '/api/v1/feed/events', headers: auth(index), body: JSON.stringify({ events }) }
          },
        },
      ]),
      await run('POST /quizzes/:id/answers', [
        {
          method: 'POST',
          setupRequest: (request) => {
            const index = rotate()
            return { ...request, path: `/api/v1/quizzes/${users[index]!.quiz}/answers`, headers: auth(index), body: JSON.stringify({ answer: 0, time_ms: 5000 }) }
          },
        },
      ]),
    ]
    report(results)
    await printPlans(pg.url(), users[0]!.id)
  } finally {
    child?.kill('SIGTERM')
    if (child && child.exitCode === null) await once(child, 'exit')
    await sql.end()
    await pg.stop()
  }
}

interface Row {
  name: string
  rps: number
  p50: number
  p99: number
  ok: number
  other: number
}

function summarize(name: string, result: AutocannonResult): Row {
  const ok = Object.entries(result.statusCodeStats).filter(([code]) => Number(code) < 300).reduce((sum, [, stat]) => sum + stat.count, 0)
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, ok, other: result.non2xx + result.errors + result.timeouts }
}

function report(rows: Row[]) {
  const query = rows[1]!.rps
  const bare = rows[0]!.rps
  console.log('\n| endpoint | req/s | p50 ms | p99 ms | 2xx | non-2xx/errors | vs bare | vs one query |')
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
  for (const row of rows) {
    const pct = (value: number) => `${Math.round((row.rps / value) * 100)} %`
    console.log(`| ${row.name} | ${Math.round(row.rps)} | ${row.p50} | ${row.p99} | ${row.ok} | ${row.other} | ${pct(bare)} | ${pct(query)} |`)
  }
}

/** EXPLAIN ANALYZE of the exact statement feed/next runs (captured through postgres.js `debug`). */
async function printPlans(url: string, userId: string) {
  let captured: { query: string; parameters: unknown[] } | undefined
  const client = postgres(url, { max: 1, onnotice: () => {}, connection: { jit: 'off' }, debug: (_connection, query, parameters) => {
      if (query.includes('with me as')) captured = { query, parameters }
    } })
  try {
    await loadFeedInputs(client as unknown as Sql, { userId, now: new Date(), perTopic: candidatesPerTopic, dueLimit: dueConsidered })
    const plan = await client.unsafe(`explain (analyze, buffers, timing off, costs off) ${captured!.query}`, captured!.parameters as never[])
    console.log('\nPlan of the statement that loads everything feed/next ranks (one learner):')
    for (const row of plan) console.log(`  ${(row as Record<string, string>)['QUERY PLAN']}`)
  } finally {
    await client.end()
  }
}

/**
 * Learners follow three topics each and have a centroid of likes; topics are filled with copies of
 * the starter units; events are impressions and dwells spread over the last 30 days.
 */
async function seed(sql: postgres.Sql, target: { learners: number; unitTarget: number; eventTarget: number }) {
  const [{ starter }] = await sql<{ starter: number }[]>`select count(*)::int as starter from units`
  const copies = Math.max(1, Math.ceil((target.unitTarget - starter) / starter))
  await sql`
    insert into topics (slug, title, language, description, aliases, status, kind)
    select 'bench-' || g, 'Bench topic ' || g, 'en', 'A seeded topic.', '{}', 'ready', 'shared'
    from generate_series(1, ${copies}) g`
  await sql`
    insert into units (topic_id, type, quiz_kind, format, body, concept_keys, difficulty, rating, tags, est_seconds, char_length,
                       embedding, embedding_model, language, audio_script, prompt, provider, model)
    select t.id, s.type, s.quiz_kind, s.format, s.body, s.concept_keys, s.difficulty, s.rating, s.tags, s.est_seconds, s.char_length,
           s.embedding, s.embedding_model, s.language, s.audio_script, s.prompt, s.provider, s.model
    from topics t cross join (select * from units where prompt = 'starter-pack@v1') s
    where t.slug like 'bench-%'`
  await sql`
    insert into users (email, name, password_hash)
    select 'learner' || g || '@bench.example', 'Learner ' || g, 'scrypt$1024$8$1$x$x' from generate_series(1, ${target.learners}) g`
  await sql`
    insert into topic_follows (user_id, topic_id)
    select u.id, t.id from (select id, row_number() over (order by id) as n from users) u
    join (select id, row_number() over (order by id) - 1 as n, count(*) over () as total from topics) t
      on t.n in (u.n % t.total, (u.n * 7 + 3) % t.total, (u.n * 13 + 5) % t.total)
    on conflict do nothing`
  const perLearner = Math.ceil(target.eventTarget / target.learners)
  await sql`
    insert into feed_events (user_id, client_id, type, unit_id, occurred_at, ms)
    select f.user_id, 'seed-' || g, case when g % 2 = 0 then 'impression' else 'dwell' end, u.id,
           now() - (g || ' minutes')::interval, case when g % 2 = 0 then null else 3000 end
    from (select distinct on (user_id) user_id, topic_id from topic_follows order by user_id) f
    cross join lateral (select id from units where topic_id = f.topic_id limit 1) u
    cross join generate_series(1, ${perLearner}) g`
  // Learners have liked something, so the feed compares candidates with a centroid of their likes.
  await sql`
    insert into learner_states (user_id, state)
    select f.user_id, jsonb_build_object('centroid', jsonb_build_object('vector', to_jsonb(u.embedding), 'count', 5))
    from (select distinct on (user_id) user_id, topic_id from topic_follows order by user_id) f
    cross join lateral (select embedding from units where topic_id = f.topic_id and embedding is not null limit 1) u`
  await sql`
    insert into unit_views (user_id, unit_id)
    select f.user_id, u.id from topic_follows f
    cross join lateral (select id from units where topic_id = f.topic_id order by created_at limit 10) u
    on conflict do nothing`
  await sql`analyze`
  const [counts] = await sql<{ learners: number; units: number; events: number; views: number }[]>`
    select (select count(*)::int from users) as learners, (select count(*)::int from units) as units,
           (select count(*)::int from feed_events) as events, (select count(*)::int from unit_views) as views`
  return counts
}
