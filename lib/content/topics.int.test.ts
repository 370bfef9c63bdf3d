import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../tests/support/test-app.ts'
import { call, createSignedInUser } from '../../tests/support/accounts.ts'
import { starterTopicId, starterUnitId } from './starter-sql.ts'
import { drainQueue, isStorable, loadStarterTopics } from './testing.ts'
import { generateBatch } from './generate.ts'
import { refillQueue, ensureStock, refillReservoir } from './reservoir.ts'
import { findTopic, insertTopic } from '../db/topics.ts'
import { contentSection } from './personal-data.ts'
import { loadStarterPack } from './starter-pack/index.ts'
import { corpusDir } from '../../tests/support/corpus.ts'

/** Topics with no AI provider: the starter pack, matching by words, needs_ai_provider, validation. */
useTestApp()

async function learner(locale = 'en') {
  const session = await createSignedInUser(test.ctx)
  await test.ctx.sql`update users set locale = ${locale} where id = ${session.user.id}`
  return session
}

const pendingRefills = async () => (await test.ctx.sql<{ body: { topicId: string; batchKey: string } }[]>`select body from jobs where queue = ${refillQueue} and status = 'ready'`).map((row) => row.body)

describe('the starter pack', () => {
  it('is in a freshly migrated database, ready, embedded, with at least 25 units per topic', async () => {
    const counts = async () =>
      test.ctx.sql<{ slug: string; status: string; dimensions: number; units: number }[]>`
        select t.slug, t.status, array_length(t.embedding, 1) as dimensions,
          (select count(*) from units u where u.topic_id = t.id and u.status = 'active' and array_length(u.embedding, 1) = 256) as units
        from topics t where t.id = any(${loadStarterPack().map(({ topic }) => starterTopicId(topic.slug))}::uuid[]) order by t.slug`
    const before = await counts()
    expect(before).toHaveLength(loadStarterPack().length)
    for (const topic of before) expect(topic, topic.slug).toMatchObject({ status: 'ready', dimensions: 256, units: expect.any(Number) })
    expect(Math.min(...before.map((topic) => topic.units))).toBeGreaterThanOrEqual(25)
    // Running the SQL again changes nothing.
    await loadStarterTopics(test.ctx)
    expect(await counts()).toEqual(before)
  })
})

describe('POST /api/v1/topics', () => {
  it('finds the starter topic for "teach me negotiation" and follows it, without a refill while its stock is full', async () => {
    const { accessToken } = await learner()
    const response = await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt: '  Teach me negotiation!  ' } })
    expect(response.status).toBe(202)
    expect(response.body).toEqual({
      topic: { id: starterTopicId('negotiation'), slug: 'negotiation', title: 'Negotiation', language: 'en', description: expect.any(String), status: 'ready', kind: 'shared', followed: true },
      matched: true,
    })
    expect(await pendingRefills()).toEqual([])
  })

  it('reuses a shared topic by meaning: other words for the same subject', async () => {
    for (const prompt of ['Negotiating skills', 'I want to learn about salary negotiation tips']) {
      const { accessToken } = await learner()
      const response = await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt } })
      expect(response.status, prompt).toBe(202)
      expect(response.body.topic.id, prompt).toBe(starterTopicId('negotiation'))
    }
    // The phrasing is remembered, so the next learner matches it exactly.
    const [topic] = await test.ctx.sql<{ aliases: string[] }[]>`select aliases from topics where id = ${starterTopicId('negotiation')}`
    expect(topic!.aliases).toContain('negotiating skills')
  })

  it('says plainly that a topic needs an AI provider, and gives the next learner asking alike the same topic', async () => {
    const first = await learner()
    const created = await call(app, 'POST', '/api/v1/topics', { token: first.accessToken, body: { prompt: 'I want to learn quantum physics' } })
    expect(created.status).toBe(202)
    expect(created.body.topic).toMatchObject({ slug: 'quantum-physics', title: 'Quantum physics', language: 'en', status: 'needs_ai_provider', followed: true })
    expect(created.body.matched).toBe(false)
    expect(created.body.message).toMatch(/No AI provider is configured/)
    expect(await pendingRefills()).toEqual([])

    const second = await learner()
    const again = await call(app, 'POST', '/api/v1/topics', { token: second.accessToken, body: { prompt: 'Quantum Physics?' } })
    expect(again.body.topic.id).toBe(created.body.topic.id)
    expect(again.body.matched).toBe(true)
  })

  it('keeps reservoirs per language: a German learner does not get the English topic', async () => {
    const { accessToken } = await learner('de-AT')
    const response = await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt: 'negotiation' } })
    expect(response.body.topic).toMatchObject({ language: 'de', status: 'needs_ai_provider' })
    expect(response.body.topic.id).not.toBe(starterTopicId('negotiation'))
  })

  it('answers 422 for prompts outside 3–200 characters after trimming', async () => {
    const { accessToken } = await learner()
    for (const body of [{ prompt: '  ab  ' }, { prompt: 'x'.repeat(201) }, {}, { prompt: 42 }]) {
      const response = await call(app, 'POST', '/api/v1/topics', { token: accessToken, body })
      expect(response.status, JSON.stringify(body)).toBe(422)
      expect(response.body.error.code).toBe('validation_failed')
    }
    expect((await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt: 'abc' } })).status).toBe(202)
  })
})

describe('GET /api/v1/topics and unfollowing', () => {
  it('lists followed topics with status, stock and what is left unseen; unfollowing removes one', async () => {
    const { accessToken, user } = await learner()
    await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt: 'stoicism' } })
    test.clock.advance(1000)
    await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt: 'how sleep works' } })
    await test.ctx.sql`insert into unit_views (user_id, unit_id) values (${user.id}, ${starterUnitId('stoicism', 0)}), (${user.id}, ${starterUnitId('stoicism', 1)})`

    const listed = await call(app, 'GET', '/api/v1/topics', { token: accessToken })
    expect(listed.status).toBe(200)
    const [stoicism, sleep] = listed.body.topics
    expect(listed.body.topics.map((topic: { slug: string }) => topic.slug)).toEqual(['stoicism', 'how-sleep-works'])
    expect(stoicism.status).toBe('ready')
    expect(stoicism.stock).toBeGreaterThanOrEqual(25)
    expect(stoicism.unseen).toBe(stoicism.stock - 2)
    expect(sleep.unseen).toBe(sleep.stock)

    expect((await call(app, 'DELETE', `/api/v1/topics/${stoicism.id}/follow`, { token: accessToken })).status).toBe(204)
    expect((await call(app, 'GET', '/api/v1/topics', { token: accessToken })).body.topics.map((topic: { slug: string }) => topic.slug)).toEqual(['how-sleep-works'])
    expect((await call(app, 'DELETE', `/api/v1/topics/${stoicism.id}/follow`, { token: accessToken })).status).toBe(404)
  })
})

describe('reservoir levels without a provider', () => {
  it('queues a refill when an active follower has seen nearly everything, and the worker says the topic needs a provider', async () => {
    const { accessToken, user } = await learner()
    const created = await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt: 'public speaking' } })
    const topicId = created.body.topic.id as string
    expect(topicId).toBe(starterTopicId('public-speaking'))
    expect((await ensureStock(test.ctx, topicId)).queued).toBeUndefined()

    await test.ctx.sql`
      insert into unit_views (user_id, unit_id, first_seen_at)
      select ${user.id}, id, ${test.clock.now()} from units where topic_id = ${topicId} order by created_at, id offset 10`
    const check = await ensureStock(test.ctx, topicId)
    expect(check.level).toMatchObject({ followers: 1, activeFollowers: 1, unseenMin: 10 })
    expect(check.queued).toBe(`${topicId}:1`)
    // Asking again while the message waits queues nothing new.
    await ensureStock(test.ctx, topicId)
    expect((await pendingRefills()).filter((body) => body.topicId === topicId)).toEqual([{ topicId, batchKey: `${topicId}:1` }])

    // A starter topic's stock stays; the worker cannot add to it without a provider or source.
    expect(await drainQueue(test.ctx, refillQueue)).toEqual({ ok: 1, failed: [] })
    const [batch] = await test.ctx.sql<{ status: string; error: string }[]>`select status, error from refill_batches where topic_id = ${topicId}`
    expect(batch).toMatchObject({ status: 'skipped', error: expect.stringMatching(/No AI provider/) })
    expect((await findTopic(test.ctx.sql, topicId))!.status).toBe('ready')
  })

  it('counts only active followers: one who saw nothing for 14 days does not hold the level down', async () => {
    const active = await learner()
    const absent = await learner()
    const topicId = starterTopicId('how-the-internet-works')
    for (const session of [active, absent]) await call(app, 'POST', '/api/v1/topics', { token: session.accessToken, body: { prompt: 'how the internet works' } })
    const old = new Date(test.clock.now().getTime() - 20 * 24 * 3600 * 1000)
    await test.ctx.sql`insert into unit_views (user_id, unit_id, first_seen_at) values (${active.user.id}, ${starterUnitId('how-the-internet-works', 0)}, ${test.clock.now()})`
    await test.ctx.sql`
      insert into unit_views (user_id, unit_id, first_seen_at)
      select ${absent.user.id}, id, ${old} from units where topic_id = ${topicId}`
    const { level, queued } = await ensureStock(test.ctx, topicId)
    expect(level).toMatchObject({ followers: 2, activeFollowers: 1 })
    expect(level!.unseenMin).toBe(level!.stock - 1)
    expect(queued).toBeUndefined()
  })

  it('queues at once when the feed says its learner has little left, and not when they have plenty', async () => {
    const topicId = starterTopicId('memory-and-learning')
    expect(await ensureStock(test.ctx, topicId, { unseenByLearner: 25 })).toEqual({})
    expect(await ensureStock(test.ctx, topicId, { unseenByLearner: 3 })).toEqual({ queued: `${topicId}:1` })
    expect((await pendingRefills()).filter((body) => body.topicId === topicId)).toHaveLength(1)
  })

  it('does nothing for a refill message whose stock is already enough', async () => {
    const outcome = await refillReservoir(test.ctx, { topicId: starterTopicId('stoicism'), batchKey: `${starterTopicId('stoicism')}:1` })
    expect(outcome.outcome).toBe('not_needed')
  })
})

describe('personal data', () => {
  it('exports what the learner follows, reported and saw, and deletes it with the account', async () => {
    const { accessToken, user } = await learner()
    await call(app, 'POST', '/api/v1/topics', { token: accessToken, body: { prompt: 'stoicism' } })
    const unitId = starterUnitId('stoicism', 3)
    await call(app, 'POST', `/api/v1/units/${unitId}/report`, { token: accessToken, body: { reason: 'unclear' } })
    await test.ctx.sql`insert into unit_views (user_id, unit_id) values (${user.id}, ${unitId})`
    const exported = (await contentSection.export!(test.ctx, user.id)) as Record<string, { length: number }[]>
    expect(exported).toMatchObject({
      followed_topics: [{ slug: 'stoicism' }],
      library_topics: [],
      reports: [{ unit_id: unitId, reason: 'unclear', resolved_at: null }],
      seen_units: [{ unit_id: unitId }],
    })
    await test.ctx.sql`delete from users where id = ${user.id}`
    for (const table of ['topic_follows', 'unit_reports', 'unit_views'] as const) {
      expect(await test.ctx.sql`select 1 from ${test.ctx.sql(table)} where user_id = ${user.id}`, table).toHaveLength(0)
    }
    // The shared topic and its units stay for everyone else.
    expect(await findTopic(test.ctx.sql, starterTopicId('stoicism'))).toBeDefined()
  })
})

describe('offline generation from a source', () => {
  it('writes cited units from text with the offline generator, and something new the second time', async () => {
    const { user } = await learner()
    const { topic } = await insertTopic(test.ctx.sql, { slug: 'mammoth', title: 'Mammoth', language: 'en', description: '', aliases: [], embedding: null, embeddingModel: null, status: 'ready', kind: 'library', ownerUserId: user.id, now: test.clock.now() })
    const source = { title: 'Mammoth README', text: readFileSync(`${corpusDir}/text/mammoth-README.md`, 'utf8'), sourceId: '00000000-0000-4000-8000-0000000000bb' }
    const first = await generateBatch(test.ctx, { topic, source, count: 8, caller: { userId: user.id, purpose: 'library' } })
    expect(first).toMatchObject({ outcome: 'stored', provenance: { prompt: 'offline@extractive-v1', provider: 'offline', model: 'extractive-v1' } })
    expect(first.units).toHaveLength(8)
    for (const unit of first.units) {
      expect(unit).toMatchObject({ provider: 'offline', model: 'extractive-v1', embedding_model: 'offline-hashed-bow-256', citation: { sourceId: source.sourceId } })
      expect(isStorable(unit)).toBe(true)
    }
    const second = await generateBatch(test.ctx, { topic, source, count: 8, caller: { userId: user.id, purpose: 'library' } })
    expect(second.units.length).toBeGreaterThanOrEqual(6)
    const quoted = new Set(first.units.map((unit) => (unit.citation as { excerpt: string }).excerpt))
    expect(second.units.filter((unit) => quoted.has((unit.citation as { excerpt: string }).excerpt))).toEqual([])
  })

  it('has nothing to write for a shared topic with neither provider nor source', async () => {
    const topic = (await findTopic(test.ctx.sql, starterTopicId('stoicism')))!
    const result = await generateBatch(test.ctx, { topic, count: 5, caller: { purpose: 'refill' } })
    expect(result).toMatchObject({ outcome: 'needs_ai_provider', units: [], message: expect.stringMatching(/No AI provider/) })
  })

  it('cannot regenerate without a provider and says so', async () => {
    const admin = await createSignedInUser(test.ctx, { role: 'admin' })
    const response = await call(app, 'POST', `/api/v1/admin/units/${starterUnitId('stoicism', 0)}/regenerate`, { token: admin.accessToken })
    expect(response.status).toBe(503)
    expect(response.body.error.message).toMatch(/needs an AI provider/)
  })
})
