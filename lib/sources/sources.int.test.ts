import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '../context.ts'
import { createApp } from '../platform/server.ts'
import { objectRoutes } from '../storage/fs.ts'
import { cronFunctions, httpFunctions, workerFunctions } from '../../functions/registry.ts'
import { runWorkerMessage } from '../queue/consumer.ts'
import { advanceSource, findSource } from '../db/sources.ts'
import { createTestContext, type TestContext } from '../../tests/support/context.ts'
import { call, createSignedInUser } from '../../tests/support/accounts.ts'
import { corpusDir } from '../../tests/support/corpus.ts'
import { continueSource, ensureLibraryStock, ingestSource, ingestSourceQueue } from './pipeline.ts'
import { originalKey } from './keys.ts'
import { uploadGraceSeconds } from './uploads.ts'
import { rateLimits } from '../auth/rate-limits.ts'

let test: TestContext
let app: ReturnType<typeof createApp>
let server: Server
let serverUrl: string

const article = `<!doctype html><html lang="en"><head><title>How tides work</title></head><body><article><h1>How tides work</h1>
${Array.from({ length: 12 }, (_, index) => `<p>The Moon pulls on the oceans of the Earth, and the water on the side facing it bulges outward by a small amount. Paragraph ${index + 1} explains that the Sun adds a weaker pull of its own, so spring tides happen when the two line up at new and full moon. Neap tides happen when they pull at right angles during the quarter moons.</p>`).join('\n')}
</article></body></html>`

beforeAll(async () => {
  test = await createTestContext({ env: { INGEST_ALLOW_LOOPBACK: 'true' } })
  app = createApp(test.ctx, httpFunctions().map(([, fn]) => fn), { before: (hono) => objectRoutes(hono, test.ctx.storage, { now: () => test.clock.now() }) })
  server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(request.url === '/tides' ? article : '<html><body><p>Nothing here.</p></body></html>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  await test?.close()
})

const [, ingestWorker] = workerFunctions().find(([, fn]) => fn.queue === ingestSourceQueue)!

/** Runs the ingest-source worker over every queued message, as the consumer would. */
async function drain(ctx: Ctx = test.ctx): Promise<void> {
  for (;;) {
    const messages = await ctx.queue.receive(ingestSourceQueue, { max: 5, visibilityTimeoutSeconds: 300 })
    if (messages.length === 0) return
    for (const message of messages) {
      const result = await runWorkerMessage(ctx, ingestWorker, message)
      expect(result).toEqual({ ok: true })
      await ctx.queue.ack(message)
    }
  }
}

async function upload(token: string, file: string) {
  const form = new FormData()
  form.set('file', new File([readFileSync(path.join(corpusDir, file))], path.basename(file)))
  const response = await app.request('/api/v1/sources', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

async function unitsOf(sourceId: string) {
  return test.ctx.sql<{ id: string; citation: Record<string, unknown> }[]>`select id, citation from units where citation ->> 'sourceId' = ${sourceId}`
}

const rank = ['queued', 'extracting', 'chunking', 'generating', 'ready']

/** The progress the pipeline wrote for a source, from its debug log lines, must never go back. */
function expectMonotonicProgress(sourceId: string) {
  const steps = test.logs.filter((line) => line.message === 'source progress' && line.sourceId === sourceId)
  expect(steps.length).toBeGreaterThan(2)
  for (let index = 1; index < steps.length; index++) {
    const before = steps[index - 1]!
    const after = steps[index]!
    const order = rank.indexOf(after.stage as string) - rank.indexOf(before.stage as string)
    expect(order > 0 || (order === 0 && (after.done as number) >= (before.done as number)), JSON.stringify([before, after])).toBe(true)
  }
}

describe('sources from the shared corpus', () => {
  const cases: [string, { status: 'ready'; pages?: boolean } | { status: 'failed'; code: string }][] = [
    ['pdf/tracemonkey.pdf', { status: 'ready', pages: true }],
    ['docx/endnotes.docx', { status: 'ready' }],
    ['text/mammoth-README.md', { status: 'ready' }],
    ['html/ietf-1/source.html', { status: 'ready' }],
    ['pdf/issue21579.pdf', { status: 'failed', code: 'encrypted_pdf' }],
    ['pdf/issue7229.pdf', { status: 'failed', code: 'no_text_layer' }],
    ['crafted/crafted-png-renamed.pdf', { status: 'failed', code: 'unsupported_type' }],
    ['docx/empty.docx', { status: 'failed', code: 'empty_document' }],
    ['crafted/crafted-truncated-pdkids.pdf', { status: 'failed', code: 'corrupt_file' }],
    ['crafted/crafted-zero-byte.pdf', { status: 'failed', code: 'empty_document' }],
  ]

  it.each(cases)('%s', async (file, expected) => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const created = await upload(accessToken, file)
    expect(created.status).toBe(202)
    expect(created.body.status).toBe('queued')
    await drain()
    const { status, body } = await call(app, 'GET', `/api/v1/sources/${created.body.source_id}`, { token: accessToken })
    expect(status).toBe(200)
    expect(body.status).toBe(expected.status)
    if (expected.status === 'failed') {
      expect(body.error.code).toBe(expected.code)
      expect(body.error.message.length).toBeGreaterThan(0)
      expect(body.units).toBe(0)
      return
    }
    expect(body.error).toBeNull()
    expect(body.progress.stage).toBe('ready')
    expect(body.units).toBeGreaterThan(0)
    expectMonotonicProgress(created.body.source_id)
    const units = await unitsOf(created.body.source_id)
    expect(units.length).toBe(body.units)
    for (const unit of units) {
      expect(unit.citation).toMatchObject({ sourceId: created.body.source_id, title: body.title })
      expect(String(unit.citation.excerpt).length).toBeGreaterThan(0)
      if (expected.pages) expect(unit.citation.page).toBeGreaterThanOrEqual(1)
    }
  })
})

describe('the sources API', () => {
  it('reuses the earlier source when the same learner sends identical content', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const first = await upload(accessToken, 'docx/single-paragraph.docx')
    await drain()
    const again = await upload(accessToken, 'docx/single-paragraph.docx')
    expect(again).toEqual({ status: 202, body: { source_id: first.body.source_id, status: 'ready', reused: true } })
    const list = await call(app, 'GET', '/api/v1/sources', { token: accessToken })
    expect(list.body.sources.map((source: { id: string }) => source.id)).toEqual([first.body.source_id])
  })

  it('fetches a link over loopback when allowed, and refuses it with url_not_allowed when not', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const allowed = await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { url: `${serverUrl}/tides` } })
    expect(allowed.status).toBe(202)
    await drain()
    const ready = await call(app, 'GET', `/api/v1/sources/${allowed.body.source_id}`, { token: accessToken })
    expect(ready.body).toMatchObject({ status: 'ready', kind: 'url', title: 'How tides work' })
    expect(ready.body.units).toBeGreaterThan(0)
    const source = await findSource(test.ctx.sql, allowed.body.source_id)
    expect(source!.object_key).toBe(originalKey(source!.user_id, source!.id))
    expect(await test.ctx.storage.get(source!.object_key!)).not.toBeNull()

    const refused = await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { url: `${serverUrl}/other` } })
    await drain({ ...test.ctx, config: { ...test.ctx.config, INGEST_ALLOW_LOOPBACK: false } })
    const failed = await call(app, 'GET', `/api/v1/sources/${refused.body.source_id}`, { token: accessToken })
    expect(failed.body).toMatchObject({ status: 'failed', error: { code: 'url_not_allowed' } })
  })

  it('takes pasted text and large files through a signed upload', async () => {
    const { accessToken, user } = await createSignedInUser(test.ctx)
    const pasted = await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { title: 'My notes', text: article.replace(/<[^>]+>/g, ' ') } })
    expect(pasted.status).toBe(202)

    const signed = await call(app, 'POST', '/api/v1/sources/upload-url', { token: accessToken, body: { filename: 'paper.pdf', content_type: 'application/pdf', size: 1016315 } })
    expect(signed.status).toBe(200)
    expect(signed.body.object_key.startsWith(`users/${user.id}/uploads/`)).toBe(true)
    const put = await app.request(signed.body.upload_url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: readFileSync(path.join(corpusDir, 'docx/footnotes.docx')) })
    expect(put.status).toBe(200)
    const fromUpload = await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { object_key: signed.body.object_key } })
    expect(fromUpload.status).toBe(202)
    await drain()
    for (const id of [pasted.body.source_id, fromUpload.body.source_id]) {
      const { body } = await call(app, 'GET', `/api/v1/sources/${id}`, { token: accessToken })
      expect(body.status, JSON.stringify(body)).toBe('ready')
      expect(body.units).toBeGreaterThan(0)
    }
  })

  it('counts a large file against the AI rate limit once: for its upload URL, not again when registered', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const limit = rateLimits.ai.limit
    for (let index = 0; index < limit; index += 1) {
      const signed = await call(app, 'POST', '/api/v1/sources/upload-url', { token: accessToken, body: { filename: `note-${index}.txt`, content_type: 'text/plain', size: 16 } })
      expect(signed.status).toBe(200)
      const put = await app.request(signed.body.upload_url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: `Upload number ${index}.` })
      expect(put.status).toBe(200)
      expect((await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { object_key: signed.body.object_key } })).status).toBe(202)
    }
    // The bucket is spent by the upload URLs alone: the next upload URL and a pasted text are refused.
    expect((await call(app, 'POST', '/api/v1/sources/upload-url', { token: accessToken, body: { size: 16 } })).status).toBe(429)
    const pasted = await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { title: 'One more', text: 'A sixth note.' } })
    expect(pasted.status).toBe(429)
    expect(pasted.body.error.code).toBe('rate_limited')
  })

  it('sweeps an upload never registered an hour after its URL expired, and keeps registered ones', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const upload = async (text: string) => {
      const signed = await call(app, 'POST', '/api/v1/sources/upload-url', { token: accessToken, body: { filename: 'note.txt', content_type: 'text/plain', size: text.length } })
      expect((await app.request(signed.body.upload_url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: text })).status).toBe(200)
      return { key: signed.body.object_key as string, expiresAt: Date.parse(signed.body.expires_at) }
    }
    const kept = await upload('A note the learner adds to the library.')
    const abandoned = await upload('A note the learner never adds.')
    expect((await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { object_key: kept.key } })).status).toBe(202)
    const [sweep] = cronFunctions().filter(([name]) => name === 'sweep-uploads').map(([, fn]) => fn)
    const sweepAt = async (at: number) => {
      test.clock.set(new Date(at))
      await sweep!.handler({ ctx: test.ctx, firedAt: new Date(at) })
    }

    const start = test.clock.now().getTime()
    try {
      // Within the grace hour the upload may still be registered: nothing goes.
      await sweepAt(abandoned.expiresAt + uploadGraceSeconds * 1000 - 1000)
      expect(await test.ctx.storage.head(abandoned.key)).not.toBeNull()
      await sweepAt(abandoned.expiresAt + uploadGraceSeconds * 1000 + 1000)
      expect(await test.ctx.storage.head(abandoned.key)).toBeNull()
      expect(await test.ctx.storage.head(kept.key)).not.toBeNull()
      expect(await test.ctx.sql`select 1 from upload_tickets where object_key = any(${[kept.key, abandoned.key]}::text[])`).toHaveLength(0)
    } finally {
      test.clock.set(new Date(start))
    }
    expect((await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { object_key: abandoned.key } })).status).toBe(404)
  })

  it('hides a learner’s sources and uploads from everyone else (404), and deletes with units and objects', async () => {
    const owner = await createSignedInUser(test.ctx)
    const other = await createSignedInUser(test.ctx)
    const created = await upload(owner.accessToken, 'text/mammoth-README.md')
    await drain()
    const id = created.body.source_id
    expect((await unitsOf(id)).length).toBeGreaterThan(0)

    expect((await call(app, 'GET', `/api/v1/sources/${id}`, { token: other.accessToken })).status).toBe(404)
    expect((await call(app, 'DELETE', `/api/v1/sources/${id}`, { token: other.accessToken })).status).toBe(404)
    expect((await call(app, 'GET', '/api/v1/sources', { token: other.accessToken })).body.sources).toEqual([])
    const signed = await call(app, 'POST', '/api/v1/sources/upload-url', { token: owner.accessToken, body: { size: 10 } })
    const stolen = await call(app, 'POST', '/api/v1/sources', { token: other.accessToken, body: { object_key: signed.body.object_key } })
    expect(stolen.status).toBe(404)

    expect((await call(app, 'DELETE', `/api/v1/sources/${id}`, { token: owner.accessToken })).status).toBe(204)
    expect((await call(app, 'GET', `/api/v1/sources/${id}`, { token: owner.accessToken })).status).toBe(404)
    expect(await unitsOf(id)).toEqual([])
    expect(await test.ctx.sql`select 1 from source_chunks where source_id = ${id}`).toHaveLength(0)
    expect(await test.ctx.storage.get(originalKey(owner.user.id, id))).toBeNull()
  })

  it('lists what a source became, page by page in the order made, rendered as the feed renders it', async () => {
    const owner = await createSignedInUser(test.ctx)
    const other = await createSignedInUser(test.ctx)
    const created = await upload(owner.accessToken, 'text/mammoth-README.md')
    await drain()
    const id = created.body.source_id
    const made = await test.ctx.sql<{ id: string }[]>`select id from units where citation ->> 'sourceId' = ${id} order by created_at, id`
    expect(made.length).toBeGreaterThan(3)
    const [impressed] = made
    const events = [{ client_id: randomUUID(), timestamp: test.clock.now().toISOString(), type: 'impression', unit_id: impressed!.id }]
    expect((await call(app, 'POST', '/api/v1/feed/events', { token: owner.accessToken, body: { events } })).status).toBe(202)

    type Item = { unit: { id: string; type: string; body: Record<string, unknown>; citation: Record<string, unknown>; reason: unknown }; seen_at: string | null }
    const listed: Item[] = []
    let cursor: string | null = null
    do {
      const page: { status: number; body: { items: Item[]; next_cursor: string | null } } = await call(app, 'GET', `/api/v1/sources/${id}/units?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: owner.accessToken })
      expect(page.status).toBe(200)
      expect(page.body.items.length).toBeLessThanOrEqual(3)
      listed.push(...page.body.items)
      cursor = page.body.next_cursor
    } while (cursor)
    expect(listed.map((item) => item.unit.id)).toEqual(made.map((unit) => unit.id))
    const { title } = (await call(app, 'GET', `/api/v1/sources/${id}`, { token: owner.accessToken })).body
    for (const { unit, seen_at } of listed) {
      expect(unit.citation).toMatchObject({ title })
      expect(unit.reason).toEqual({ code: 'library', text: `Your library: ${title}` })
      if (unit.type === 'quiz') expect(Object.keys(unit.body)).not.toContain('correct')
      expect(seen_at === null).toBe(unit.id !== impressed!.id)
    }

    // Listing is browsing: nothing was marked seen by it.
    expect(await test.ctx.sql`select 1 from unit_views where user_id = ${owner.user.id}`).toHaveLength(1)
    expect((await call(app, 'GET', `/api/v1/sources/${id}/units`, { token: other.accessToken })).status).toBe(404)
    const tampered = await call(app, 'GET', `/api/v1/sources/${id}/units?cursor=${encodeURIComponent("' or 1=1 --")}`, { token: owner.accessToken })
    expect(tampered.status).toBe(422)
    expect(tampered.body.error.code).toBe('validation_failed')
    expect((await call(app, 'GET', `/api/v1/sources/${id}/units?limit=51`, { token: owner.accessToken })).status).toBe(422)
    expect((await call(app, 'GET', `/api/v1/sources/${id}/units`)).status).toBe(401)
  })

  it('answers bad requests with 4xx, never 500', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    expect((await call(app, 'POST', '/api/v1/sources', { token: accessToken })).status).toBe(415)
    expect((await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { nothing: true } })).status).toBe(422)
    expect((await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: '{not json' })).status).toBe(400)
    expect((await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { url: 'file:///etc/passwd' } })).status).toBe(422)
    expect((await call(app, 'POST', '/api/v1/sources/upload-url', { token: accessToken, body: { size: 26 * 1024 * 1024 } })).status).toBe(413)
  })
})

describe('the pipeline', () => {
  it('generates the first units now and the rest when asked, never moving progress back', async () => {
    const { accessToken, user } = await createSignedInUser(test.ctx)
    const text = readFileSync(path.join(corpusDir, 'text/mammoth-README.md'), 'utf8')
    const created = await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { title: 'Mammoth', text: `${text}\n\nA second copy.` } })
    const id = created.body.source_id
    // Deliver by hand with a small first batch so that chunks remain for later.
    const [message] = await test.ctx.queue.receive(ingestSourceQueue, { max: 1, visibilityTimeoutSeconds: 60 })
    await ingestSource(test.ctx, { sourceId: id }, { limits: { initialUnits: 3 } })
    await test.ctx.queue.ack(message!)
    const first = await call(app, 'GET', `/api/v1/sources/${id}`, { token: accessToken })
    expect(first.body.status).toBe('ready')
    expect(first.body.progress.done).toBeLessThan(first.body.progress.total)

    const more = await continueSource(test.ctx, id, { limits: { continueUnits: 5 } })
    expect(more.units).toBeGreaterThan(0)
    const second = await call(app, 'GET', `/api/v1/sources/${id}`, { token: accessToken })
    expect(second.body.units).toBe(first.body.units + more.units)
    expect(second.body.progress.done).toBeGreaterThan(first.body.progress.done)
    expectMonotonicProgress(id)

    // The feed noticing the library running low queues the next chunks through the worker.
    const feed = await call(app, 'GET', '/api/v1/feed/next?limit=3', { token: accessToken })
    expect(feed.status).toBe(200)
    const [queued] = await test.ctx.sql<{ count: number }[]>`select count(*)::int as count from jobs where queue = ${ingestSourceQueue} and status = 'ready'`
    expect(queued!.count).toBe(1)
    expect(await ensureLibraryStock(test.ctx, user.id)).toBe(true)
    await drain()
    const third = await call(app, 'GET', `/api/v1/sources/${id}`, { token: accessToken })
    expect(third.body.units).toBeGreaterThan(second.body.units)
    expectMonotonicProgress(id)

    // A stale or repeated delivery cannot move a source back.
    expect(await advanceSource(test.ctx.sql, id, { stage: 'generating', done: 0, total: 1 }, test.clock.now())).toBe(false)
    await ingestSource(test.ctx, { sourceId: id })
    expect((await call(app, 'GET', `/api/v1/sources/${id}`, { token: accessToken })).body.progress).toEqual(third.body.progress)
  })

  it('fails a stage that runs out of time with timeout', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const created = await upload(accessToken, 'pdf/tracemonkey.pdf')
    const [message] = await test.ctx.queue.receive(ingestSourceQueue, { max: 1, visibilityTimeoutSeconds: 60 })
    await ingestSource(test.ctx, { sourceId: created.body.source_id }, { limits: { extractMs: 1 } })
    await test.ctx.queue.ack(message!)
    const { body } = await call(app, 'GET', `/api/v1/sources/${created.body.source_id}`, { token: accessToken })
    expect(body).toMatchObject({ status: 'failed', error: { code: 'timeout' }, units: 0 })
  })
})

describe('every document of the shared corpus', () => {
  const codes = new Set(['encrypted_pdf', 'no_text_layer', 'corrupt_file', 'unsupported_type', 'empty_document', 'too_large', 'garbled_text'])
  const files = [
    ...['pdf', 'docx', 'text', 'crafted'].flatMap((folder) => readdirSync(path.join(corpusDir, folder)).map((name) => `${folder}/${name}`)),
    ...readdirSync(path.join(corpusDir, 'html')).map((name) => `html/${name}/source.html`),
    'blns.txt',
    'blns.json',
  ]

  it('ends ready with cited units or failed with a specific code, never a 5xx', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const outcomes: Record<string, string> = {}
    for (const file of files) {
      test.clock.advance(12_500) // uploads count against the learner's AI rate limit (5 a minute)
      const created = await upload(accessToken, file)
      expect(created.status, file).toBe(202)
      await drain()
      const source = await call(app, 'GET', `/api/v1/sources/${created.body.source_id}`, { token: accessToken })
      expect(source.status, file).toBe(200)
      const { status, error } = source.body as { status: string; error: { code: string } | null }
      outcomes[file] = status === 'failed' ? error!.code : status
      if (status === 'failed') expect(codes.has(error!.code), `${file}: ${error!.code}`).toBe(true)
      else expect(status, file).toBe('ready')
    }
    // Spot checks of specific outcomes; the extraction table in lib/ingest/corpus.test.ts has them all.
    expect(outcomes['pdf/issue7229.pdf']).toBe('no_text_layer')
    expect(outcomes['pdf/issue6010_1.pdf']).toBe('encrypted_pdf')
    expect(outcomes['crafted/crafted-png-renamed.pdf']).toBe('unsupported_type')
    expect(outcomes['pdf/tracemonkey.pdf']).toBe('ready')
  }, 300_000)
})
