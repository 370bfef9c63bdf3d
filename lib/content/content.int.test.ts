import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../tests/support/test-app.ts'
import { call, createSignedInUser } from '../../tests/support/accounts.ts'
import { messagesText, startOpenAiServer, type ChatRequestBody, type OpenAiServer } from '../../tests/support/openai-server.ts'
import type { Unit } from '../db/units.ts'
import { followTopic, insertTopic, type Topic } from '../db/topics.ts'
import { refillQueue, refillReservoir } from './reservoir.ts'
import { regenerateUnits } from './admin.ts'
import { blindAnswer, drainQueue, isStorable, pumiceBatch, storedDraft, volcanoBatch } from './testing.ts'

/**
 * The content engine against the scripted OpenAI-compatible server: topic creation with
 * topic-normalize, the refill worker and its quality gates, idempotency and concurrency, reports,
 * and the admin endpoints.
 */
let server: OpenAiServer
/** What the "model" writes next for a unit batch. */
let nextBatch: unknown = { units: volcanoBatch }

function answer(body: ChatRequestBody): string {
  const system = messagesText(body, 'system')
  const user = messagesText(body, 'user')
  if (system.includes('canonical topic')) {
    const request = /Request: (.*)/.exec(user)?.[1] ?? ''
    if (/bomb/i.test(request)) return JSON.stringify({ title: 'Bombs', slug: 'bombs', language: 'en', description: 'Making weapons.', suitable: false, reason: 'asks for help causing harm' })
    const subject = /volcano/i.test(request) ? 'Volcanoes' : /glacier/i.test(request) ? 'Glaciers' : 'Deserts'
    return JSON.stringify({ title: subject, slug: subject.toLowerCase(), language: 'en', description: `How ${subject.toLowerCase()} form and change.`, suitable: true })
  }
  if (system.includes('taking a quiz')) return JSON.stringify(blindAnswer(JSON.parse(user.slice(user.indexOf('Quiz:') + 5)) as never))
  if (user.includes('Rewrite')) return JSON.stringify({ units: pumiceBatch })
  return JSON.stringify(nextBatch)
}

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-test' })
})
afterAll(async () => {
  await server?.close()
})
useTestApp(() => ({ env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, AI_PROVIDER_ORDER: 'openai' } }))
beforeEach(() => {
  server.reset()
  server.onChat(answer)
  nextBatch = { units: volcanoBatch }
})

const topicUnits = (topicId: string) => test.ctx.sql<Unit[]>`select * from units where topic_id = ${topicId} order by created_at, id`
const batches = (topicId: string) => test.ctx.sql<{ batch_key: string; status: string; units_created: number; units_rejected: number; rejections: Record<string, number>; prompt: string; provider: string; model: string }[]>`
  select * from refill_batches where topic_id = ${topicId} order by created_at, batch_key`
const unitBatchCalls = () => server.requests.filter((request) => request.route === 'chat' && messagesText(request.body as ChatRequestBody, 'system').includes('micro-lessons')).length

async function sharedTopic(slug: string, followers = 1): Promise<Topic> {
  const { topic } = await insertTopic(test.ctx.sql, { slug, title: slug, language: 'en', description: `All about ${slug}.`, aliases: [], embedding: null, embeddingModel: null, status: 'generating', now: test.clock.now() })
  for (let index = 0; index < followers; index++) {
    const { user } = await createSignedInUser(test.ctx)
    await followTopic(test.ctx.sql, user.id, topic.id, test.clock.now())
  }
  return topic
}

let volcanoTopicId: string

describe('creating a topic with a provider, and the refill worker', () => {
  it('normalises the request with the LLM, creates the topic as generating and queues its first batch', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const response = await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt: 'Teach me about VOLCANOES please' } })
    expect(response.status).toBe(202)
    expect(response.body.topic).toMatchObject({ slug: 'volcanoes', title: 'Volcanoes', language: 'en', status: 'generating', followed: true })
    volcanoTopicId = response.body.topic.id
    const jobs = await test.ctx.sql<{ body: unknown; dedupe_key: string }[]>`select body, dedupe_key from jobs where queue = ${refillQueue}`
    expect(jobs).toEqual([{ body: { topicId: volcanoTopicId, batchKey: `${volcanoTopicId}:1` }, dedupe_key: `${volcanoTopicId}:1` }])
  })

  it('stores only the units that pass the gates, with the prompt, provider and model that wrote them', async () => {
    expect(await drainQueue(test.ctx, refillQueue)).toEqual({ ok: 1, failed: [] })
    const units = await topicUnits(volcanoTopicId)
    const kept = [0, 1, 2, 5, 7, 8].map((index) => volcanoBatch[index]!)
    expect(units).toHaveLength(kept.length)
    expect(units.map((unit) => unit.body)).toEqual(expect.arrayContaining(kept.map((draft) => draft.body)))
    for (const unit of units) {
      expect(unit).toMatchObject({ prompt: 'unit-batch@v1', provider: 'openai', model: 'gpt-4o', language: 'en', status: 'active', version: 1, embedding_model: 'openai:text-embedding-3-small' })
      expect(unit.embedding).toHaveLength(256)
      expect(unit.char_length).toBeGreaterThan(0)
      expect(unit.rating).toBe(1000 + (unit.difficulty - 3) * 150)
      expect(isStorable(unit)).toBe(true)
    }
    expect(units.map((unit) => [unit.type, unit.quiz_kind, unit.format].join(' ')).sort()).toEqual([
      'definition  text',
      'insight  text',
      'insight  text',
      'mistake  text',
      'quiz fill_blank quiz',
      'quiz mcq quiz',
    ])
    expect(await batches(volcanoTopicId)).toEqual([
      expect.objectContaining({
        batch_key: `${volcanoTopicId}:1`,
        status: 'done',
        units_created: 6,
        units_rejected: 3,
        rejections: { quiz_all_or_none_of_the_above: 1, near_duplicate: 1, blind_check_disagreed: 1 },
        prompt: 'unit-batch@v1',
        provider: 'openai',
        model: 'gpt-4o',
      }),
    ])
    const [topic] = await test.ctx.sql<{ status: string }[]>`select status from topics where id = ${volcanoTopicId}`
    expect(topic!.status).toBe('ready')
    // Rejections are logged with their reason codes.
    expect(test.logs.filter((line) => line.message === 'unit rejected').map((line) => line.code)).toEqual(expect.arrayContaining(['quiz_all_or_none_of_the_above', 'near_duplicate', 'blind_check_disagreed']))
  })

  it('is idempotent per batch key: the same message again generates nothing', async () => {
    const again = await refillReservoir(test.ctx, { topicId: volcanoTopicId, batchKey: `${volcanoTopicId}:1`, force: true })
    expect(again.outcome).toBe('done')
    await test.ctx.queue.send(refillQueue, { topicId: volcanoTopicId, batchKey: `${volcanoTopicId}:1`, force: true })
    expect(await drainQueue(test.ctx, refillQueue)).toEqual({ ok: 1, failed: [] })
    expect(unitBatchCalls()).toBe(0)
    expect(await batches(volcanoTopicId)).toHaveLength(1)
    expect(await topicUnits(volcanoTopicId)).toHaveLength(6)
  })

  it('blind-checks quizzes without their key', async () => {
    const topic = await sharedTopic('glaciers')
    nextBatch = { units: pumiceBatch }
    const outcome = await refillReservoir(test.ctx, { topicId: topic.id, batchKey: `${topic.id}:1` })
    expect(outcome).toMatchObject({ outcome: 'stored', units: 5, rejected: 0 })
    const checks = server.requests.filter((request) => request.route === 'chat' && messagesText(request.body as ChatRequestBody, 'system').includes('taking a quiz'))
    expect(checks).toHaveLength(1)
    const shown = messagesText(checks[0]!.body as ChatRequestBody, 'user')
    expect(shown).toContain('Which volcanic rock can float on water?')
    expect(shown).not.toMatch(/"correct"|explanation|gas bubbles/)
  })
})

describe('concurrency', () => {
  it('never generates twice when two refills of a topic run at once, even under different batch keys', async () => {
    const topic = await sharedTopic('deserts')
    // The first batch answers late, so the second refill runs while the first is generating.
    server.script('chat', { delayMs: 300, json: { units: volcanoBatch } })
    const outcomes = await Promise.all([
      refillReservoir(test.ctx, { topicId: topic.id, batchKey: `${topic.id}:1` }),
      refillReservoir(test.ctx, { topicId: topic.id, batchKey: `${topic.id}:other` }),
    ])
    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['in_progress', 'stored'])
    expect(unitBatchCalls()).toBe(1)
    expect(await batches(topic.id)).toHaveLength(1)
    expect(await topicUnits(topic.id)).toHaveLength(6)
  })

  it('lets two refills with the same key claim it once', async () => {
    const topic = await sharedTopic('tundra')
    server.script('chat', { delayMs: 200, json: { units: volcanoBatch } })
    const outcomes = await Promise.all([1, 2].map(() => refillReservoir(test.ctx, { topicId: topic.id, batchKey: `${topic.id}:1` })))
    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['in_progress', 'stored'])
    expect(await batches(topic.id)).toHaveLength(1)
  })
})

describe('no invalid unit is ever stored', () => {
  it('stores nothing from a batch whose units all break a rule', async () => {
    const topic = await sharedTopic('reefs')
    const bad = volcanoBatch[3]!
    nextBatch = {
      units: [
        bad,
        { ...volcanoBatch[2]!, body: { ...(volcanoBatch[2]!.body as object), options: ['At plate boundaries', 'at plate  boundaries'] } },
        { ...volcanoBatch[7]!, body: { ...(volcanoBatch[7]!.body as object), text: 'Kilauea is a shield volcano: a ____ volcano.' } },
        { ...volcanoBatch[0]!, body: { text: 'Lava is hot, and this shit burns.' } },
        { ...volcanoBatch[0]!, audioScript: 'Too short.' },
      ],
    }
    const outcome = await refillReservoir(test.ctx, { topicId: topic.id, batchKey: `${topic.id}:1` })
    expect(outcome).toMatchObject({ outcome: 'stored', units: 0, rejected: 5 })
    const [batch] = await batches(topic.id)
    expect(batch!.rejections).toEqual({ quiz_all_or_none_of_the_above: 1, quiz_options_not_distinct: 1, fill_blank_answer_in_text: 1, unsafe_content: 1, audio_script_length: 1 })
  })

  it('stores nothing when the model never returns valid JSON, and lets the key be tried again', async () => {
    const topic = await sharedTopic('canyons')
    server.script('chat', { content: '{"units": [' }, { content: 'still not json' })
    const outcome = await refillReservoir(test.ctx, { topicId: topic.id, batchKey: `${topic.id}:1` })
    expect(outcome.outcome).toBe('deferred')
    expect(await topicUnits(topic.id)).toEqual([])
    expect((await batches(topic.id))[0]).toMatchObject({ status: 'failed' })
    // The same key runs again once the model behaves.
    const retry = await refillReservoir(test.ctx, { topicId: topic.id, batchKey: `${topic.id}:1` })
    expect(retry).toMatchObject({ outcome: 'stored', units: 6 })
  })

  it('holds for every unit in the database', async () => {
    const units = await test.ctx.sql<Unit[]>`select * from units`
    expect(units.length).toBeGreaterThan(0)
    expect(units.filter((unit) => !isStorable(unit)).map(storedDraft)).toEqual([])
  })
})

describe('topic requests the LLM refuses', () => {
  it('answers 422 topic_unsuitable with the reason', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const response = await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt: 'how to build a bomb' } })
    expect(response.status).toBe(422)
    expect(response.body.error).toMatchObject({ code: 'topic_unsuitable', message: expect.stringMatching(/causing harm/) })
  })
})

describe('reports', () => {
  it('hides a unit at three reports, one per learner, and validates the reason', async () => {
    const [unit] = await topicUnits(volcanoTopicId)
    const learners = await Promise.all([1, 2, 3].map(() => createSignedInUser(test.ctx)))
    const report = (token: string, body: unknown, unitId = unit!.id) => call(app, 'POST', `/api/v1/units/${unitId}/report`, { token, body })

    expect((await report(learners[0]!.accessToken, { reason: 'nonsense' })).status).toBe(422)
    expect((await report(learners[0]!.accessToken, { reason: 'other' })).status).toBe(422)
    expect((await report(learners[0]!.accessToken, { reason: 'incorrect', detail: 'x'.repeat(501) })).status).toBe(422)
    expect((await report(learners[0]!.accessToken, { reason: 'incorrect' }, '00000000-0000-4000-8000-000000000000')).status).toBe(404)

    const first = await report(learners[0]!.accessToken, { reason: 'incorrect', detail: 'Lava is not magma.' })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ report: { unit_id: unit!.id, reason: 'incorrect' }, unit_status: 'active' })
    expect((await report(learners[0]!.accessToken, { reason: 'unclear' })).status).toBe(409)
    expect((await report(learners[1]!.accessToken, { reason: 'unclear' })).body.unit_status).toBe('active')
    expect((await report(learners[2]!.accessToken, { reason: 'other', detail: 'Reads oddly.' })).body.unit_status).toBe('hidden')
    const [stored] = await test.ctx.sql<{ status: string; report_count: number }[]>`select status, report_count from units where id = ${unit!.id}`
    expect(stored).toEqual({ status: 'hidden', report_count: 3 })
  })

  it('hides a unit in someone else’s library from the reporter', async () => {
    const owner = await createSignedInUser(test.ctx)
    const other = await createSignedInUser(test.ctx)
    const { topic } = await insertTopic(test.ctx.sql, { slug: 'my-notes', title: 'My notes', language: 'en', description: '', aliases: [], embedding: null, embeddingModel: null, status: 'ready', kind: 'library', ownerUserId: owner.user.id, now: test.clock.now() })
    const [unit] = await test.ctx.sql<{ id: string }[]>`
      insert into units (topic_id, type, format, body, concept_keys, difficulty, rating, est_seconds, language, prompt, provider, model)
      values (${topic.id}, 'insight', 'text', ${test.ctx.sql.json({ text: 'Private note.' })}, '{notes}', 1, 700, 4, 'en', 'offline@extractive-v1', 'offline', 'extractive-v1')
      returning id`
    expect((await call(app, 'POST', `/api/v1/units/${unit!.id}/report`, { token: other.accessToken, body: { reason: 'unclear' } })).status).toBe(404)
    expect((await call(app, 'POST', `/api/v1/units/${unit!.id}/report`, { token: owner.accessToken, body: { reason: 'unclear' } })).status).toBe(201)
  })
})

describe('admin', () => {
  let admin: Awaited<ReturnType<typeof createSignedInUser>>
  beforeAll(async () => {
    admin = await createSignedInUser(test.ctx, { role: 'admin' })
  })
  const audited = async (action: string) => test.ctx.sql<{ actor_id: string; target: string; details: Record<string, unknown> }[]>`select actor_id, target, details from audit_log where action = ${action} order by id`

  it('lists reservoirs with stock, what followers have left, how units are received and open reports', async () => {
    const units = await topicUnits(volcanoTopicId)
    await test.ctx.sql`insert into unit_stats (unit_id, impressions, likes, dislikes, quiz_attempts, quiz_correct) values (${units[1]!.id}, 40, 3, 1, 0, 0), (${units[2]!.id}, 30, 0, 0, 10, 7)`
    const response = await call(app, 'GET', '/api/v1/admin/reservoirs?limit=200', { token: admin.accessToken })
    expect(response.status).toBe(200)
    const volcano = response.body.items.find((item: { topic: { id: string } }) => item.topic.id === volcanoTopicId)
    expect(volcano).toMatchObject({
      topic: { slug: 'volcanoes', status: 'ready' },
      followers: 1,
      stock: 5,
      hidden: 1,
      unseen_min: 5,
      served: 70,
      like_rate: 0.75,
      quiz_accuracy: 0.7,
      open_reports: 3,
    })
    // The stock split by format adds up to the stock; the refill target comes with the page.
    expect(Object.values(volcano.stock_by_format as Record<string, number>).reduce((sum, count) => sum + count, 0)).toBe(5)
    expect(response.body.refill_threshold).toBe(test.ctx.config.CONTENT_REFILL_THRESHOLD)
    const page = await call(app, 'GET', '/api/v1/admin/reservoirs?limit=1', { token: admin.accessToken })
    expect(page.body.items).toHaveLength(1)
    const next = await call(app, 'GET', `/api/v1/admin/reservoirs?limit=1&cursor=${page.body.next_cursor}`, { token: admin.accessToken })
    expect(next.body.items[0].topic.id).not.toBe(page.body.items[0].topic.id)
    expect((await call(app, 'GET', '/api/v1/admin/reservoirs?cursor=nope', { token: admin.accessToken })).status).toBe(422)
  })

  it('pages through reported units, longest waiting first', async () => {
    const response = await call(app, 'GET', '/api/v1/admin/reports?status=hidden', { token: admin.accessToken })
    expect(response.status).toBe(200)
    expect(response.body.items).toHaveLength(1)
    expect(response.body.items[0]).toMatchObject({ unit: { topic_id: volcanoTopicId, status: 'hidden', version: 1 }, open_reports: 3, reasons: { incorrect: 1, unclear: 1, other: 1 }, details: ['Lava is not magma.', 'Reads oddly.'] })
    const all = await call(app, 'GET', '/api/v1/admin/reports?limit=1', { token: admin.accessToken })
    expect(all.body.items).toHaveLength(1)
    const second = await call(app, 'GET', `/api/v1/admin/reports?limit=1&cursor=${all.body.next_cursor}`, { token: admin.accessToken })
    expect(second.body.items).toHaveLength(1)
    expect(second.body.next_cursor).toBeNull()
    expect(second.body.items[0].unit.id).not.toBe(all.body.items[0].unit.id)
  })

  it('restores a hidden unit, closing its reports, and retires another; both audited', async () => {
    const [hidden] = await test.ctx.sql<{ id: string }[]>`select id from units where topic_id = ${volcanoTopicId} and status = 'hidden'`
    const restored = await call(app, 'POST', `/api/v1/admin/units/${hidden!.id}/restore`, { token: admin.accessToken })
    expect(restored.status).toBe(200)
    expect(restored.body.unit).toMatchObject({ id: hidden!.id, status: 'active', report_count: 0 })
    const open = await test.ctx.sql`select 1 from unit_reports where unit_id = ${hidden!.id} and resolved_at is null`
    expect(open).toHaveLength(0)
    const [resolved] = await test.ctx.sql<{ resolution: string; resolved_by: string }[]>`select resolution, resolved_by from unit_reports where unit_id = ${hidden!.id} limit 1`
    expect(resolved).toEqual({ resolution: 'restored', resolved_by: admin.user.id })

    const units = await topicUnits(volcanoTopicId)
    const retired = await call(app, 'POST', `/api/v1/admin/units/${units[1]!.id}/retire`, { token: admin.accessToken })
    expect(retired.body.unit.status).toBe('retired')
    expect(await audited('unit_restore')).toEqual([expect.objectContaining({ actor_id: admin.user.id, target: hidden!.id })])
    expect(await audited('unit_retire')).toEqual([expect.objectContaining({ actor_id: admin.user.id, target: units[1]!.id })])
    expect((await call(app, 'POST', '/api/v1/admin/units/00000000-0000-4000-8000-000000000000/retire', { token: admin.accessToken })).status).toBe(404)
  })

  it('regenerates a unit into a new version and keeps the old one', async () => {
    const units = await topicUnits(volcanoTopicId)
    const quiz = units.find((unit) => unit.quiz_kind === 'mcq')!
    const response = await call(app, 'POST', `/api/v1/admin/units/${quiz.id}/regenerate`, { token: admin.accessToken })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ previous_version: 1, unit: { id: quiz.id, version: 2, type: 'quiz', quiz_kind: 'mcq', prompt: 'unit-batch@v1', provider: 'openai', model: 'gpt-4o' } })
    expect(response.body.unit.body.question).toBe('Which volcanic rock can float on water?')
    const versions = await test.ctx.sql<{ version: number; body: { question: string }; replaced_by: string }[]>`select version, body, replaced_by from unit_versions where unit_id = ${quiz.id}`
    expect(versions).toEqual([{ version: 1, body: expect.objectContaining({ question: 'Where do most volcanoes form?' }), replaced_by: admin.user.id }])
    expect(await audited('unit_regenerate')).toEqual([expect.objectContaining({ actor_id: admin.user.id, target: quiz.id, details: expect.objectContaining({ version: 2 }) })])
  })

  it('regenerates a topic’s hidden and reported units as a job', async () => {
    const units = await topicUnits(volcanoTopicId)
    const target = units.find((unit) => unit.type === 'definition')!
    await test.ctx.sql`update units set status = 'hidden' where id = ${target.id}`
    const report = await regenerateUnits(test.ctx, { topicId: volcanoTopicId })
    expect(report.regenerated.map((entry) => entry.unit_id)).toEqual([target.id])
    const [after] = await test.ctx.sql<{ status: string; version: number }[]>`select status, version from units where id = ${target.id}`
    expect(after).toEqual({ status: 'active', version: 2 })
  })

  it('queues a forced refill for a topic, audited', async () => {
    const response = await call(app, 'POST', `/api/v1/admin/topics/${volcanoTopicId}/refill`, { token: admin.accessToken })
    expect(response.status).toBe(202)
    expect(response.body).toMatchObject({ topic_id: volcanoTopicId, queued: true, batch_key: expect.stringContaining(`${volcanoTopicId}:admin:`) })
    const [job] = await test.ctx.sql<{ body: Record<string, unknown> }[]>`select body from jobs where queue = ${refillQueue} and status = 'ready'`
    expect(job!.body).toEqual({ topicId: volcanoTopicId, batchKey: response.body.batch_key, force: true })
    expect(await audited('topic_refill')).toEqual([expect.objectContaining({ target: volcanoTopicId })])
    expect((await call(app, 'POST', '/api/v1/admin/topics/00000000-0000-4000-8000-000000000000/refill', { token: admin.accessToken })).status).toBe(404)
  })

  it('refuses learners', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    expect((await call(app, 'GET', '/api/v1/admin/reservoirs', { token: accessToken })).status).toBe(403)
  })
})
