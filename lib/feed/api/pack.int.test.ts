import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../../tests/support/test-app.ts'
import { call, createLearnerFollowing } from '../../../tests/support/accounts.ts'
import { starterTopicId } from '../../content/starter-sql.ts'
import { ensureLibraryTopic } from '../../sources/library.ts'
import { estimateUnitMs } from '../duration.ts'

/** `GET /api/v1/feed/pack?topic_id=&minutes=` through the HTTP API, on PostgreSQL and PGlite. */
useTestApp({ now: '2026-03-02T09:00:00Z' })
beforeAll(async () => {
  // One topic with a minute of audio on every teaching unit: 15 and 30 minutes fit in its stock.
  await test.ctx.sql`
    update units set audio = jsonb_build_object('key', 'audio/' || id || '/a.mp3', 'duration_ms', 60000, 'transcript', 'spoken')
    where topic_id = ${starterTopicId('how-sleep-works')} and type <> 'quiz'`
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

async function pack(token: string, topicId: string, minutes: number) {
  return call(app, 'GET', `/api/v1/feed/pack?topic_id=${topicId}&minutes=${minutes}`, { token })
}

/** The estimate of a unit as the server sees it (the answer keys only it has count as words). */
async function estimatesOf(unitIds: string[]): Promise<number> {
  const rows = await test.ctx.sql<{ type: string; body: unknown; audio: { duration_ms?: number } | null }[]>`select type, body, audio from units where id = any(${unitIds}::uuid[])`
  return rows.reduce((sum, row) => sum + estimateUnitMs({ type: row.type, body: row.body, audioDurationMs: row.audio?.duration_ms ?? null }), 0)
}

describe('GET /api/v1/feed/pack', () => {
  it('fills the minutes with units of the topic, rendered as the feed renders them, and records nothing', async () => {
    const topicId = starterTopicId('how-sleep-works')
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'how-sleep-works', 'negotiation')
    const response = await pack(accessToken, topicId, 15)
    expect(response.status).toBe(200)
    const body = response.body as Json
    expect(body.topic).toEqual({ id: topicId, title: 'How sleep works' })
    expect(body.minutes).toBe(15)
    expect(body.duration_ms).toBeGreaterThanOrEqual(15 * 60_000)
    const units = body.units as Json[]
    expect(new Set(units.map((unit) => unit.id)).size).toBe(units.length)
    expect(body.duration_ms).toBe(await estimatesOf(units.map((unit) => unit.id)))
    // Minimal: without its last unit the pack would be short of the minutes.
    expect(body.duration_ms - (await estimatesOf([units.at(-1)!.id]))).toBeLessThan(15 * 60_000)
    for (const unit of units) {
      expect(unit).toMatchObject({ kind: 'unit', topic: { id: topicId, title: 'How sleep works' }, reason: { code: expect.any(String), text: expect.any(String) } })
      if (unit.type === 'quiz') {
        expect(unit.body).not.toHaveProperty('correct')
        expect(unit.body).not.toHaveProperty('answer')
      } else {
        expect(unit.audio).toMatchObject({ url: expect.stringContaining('a.mp3'), duration_ms: 60000 })
      }
    }
    expect(units.some((unit) => unit.type === 'quiz')).toBe(true)
    const [views] = await test.ctx.sql<{ count: number }[]>`select count(*) as count from unit_views where user_id = ${user.id}`
    expect(views!.count).toBe(0)
  })

  it('serves unseen units first, then seen ones, and never retired or hidden ones', async () => {
    const topicId = starterTopicId('negotiation')
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'negotiation')
    const seen = await test.ctx.sql<{ id: string }[]>`select id from units where topic_id = ${topicId} and status = 'active' order by id limit 5`
    const seenIds = seen.map((row) => row.id)
    for (const id of seenIds) await test.ctx.sql`insert into unit_views (user_id, unit_id, first_seen_at) values (${user.id}, ${id}, ${test.clock.now()})`
    const [retired, hidden] = (await test.ctx.sql<{ id: string }[]>`select id from units where topic_id = ${topicId} and status = 'active' order by id desc limit 2`).map((row) => row.id)
    await test.ctx.sql`update units set status = 'retired' where id = ${retired!}`
    await test.ctx.sql`update units set status = 'hidden' where id = ${hidden!}`
    const [stock] = await test.ctx.sql<{ count: number }[]>`select count(*) as count from units where topic_id = ${topicId} and status = 'active'`

    // The starter topic has far less than an hour of reading: the pack is all of it.
    const response = await pack(accessToken, topicId, 60)
    expect(response.status).toBe(200)
    const ids = (response.body.units as Json[]).map((unit) => unit.id as string)
    expect(ids).toHaveLength(stock!.count)
    expect(response.body.duration_ms).toBeLessThan(60 * 60_000)
    expect(ids).not.toContain(retired)
    expect(ids).not.toContain(hidden)
    expect(new Set(ids.slice(-seenIds.length))).toEqual(new Set(seenIds))
    expect((response.body.units as Json[]).slice(-seenIds.length).every((unit) => unit.reason.code === 'refresher')).toBe(true)
  })

  it('packs the learner’s own library, and hides other topics behind 404', async () => {
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'negotiation')
    const library = await ensureLibraryTopic(test.ctx, user.id)
    await test.ctx.sql`
      insert into units (topic_id, type, format, body, concept_keys, difficulty, rating, est_seconds, language, prompt, provider, model)
      values (${library.id}, 'insight', 'text', ${test.ctx.sql.json({ text: 'A note of mine.' })}, ${['notes']}, 3, 1000, 5, 'en', 'test@v1', 'test', 'test')`
    const own = await pack(accessToken, library.id, 15)
    expect(own.status).toBe(200)
    expect(own.body).toMatchObject({ topic: { id: library.id }, units: [{ body: { text: 'A note of mine.' }, topic: { id: library.id } }] })

    const other = await createLearnerFollowing(test.ctx, 'negotiation')
    for (const topicId of [library.id, starterTopicId('stoicism'), randomUUID()]) {
      const response = await pack(other.accessToken, topicId, 15)
      expect(response.status).toBe(404)
      expect(response.body.error.code).toBe('not_found')
    }
    await test.ctx.sql`delete from topic_follows where user_id = ${user.id}`
    expect((await pack(accessToken, starterTopicId('negotiation'), 15)).status).toBe(404)
  })

  it('validates its input and needs a learner', async () => {
    const topicId = starterTopicId('negotiation')
    const { accessToken } = await createLearnerFollowing(test.ctx, 'negotiation')
    for (const minutes of ['20', '0', 'abc', '15.5', '']) expect((await call(app, 'GET', `/api/v1/feed/pack?topic_id=${topicId}&minutes=${minutes}`, { token: accessToken })).status).toBe(422)
    expect((await call(app, 'GET', `/api/v1/feed/pack?topic_id=${topicId}`, { token: accessToken })).status).toBe(422)
    expect((await call(app, 'GET', '/api/v1/feed/pack?topic_id=nope&minutes=15', { token: accessToken })).status).toBe(422)
    expect((await pack(accessToken, topicId, 30)).status).toBe(200)
    expect((await call(app, 'GET', `/api/v1/feed/pack?topic_id=${topicId}&minutes=15`)).status).toBe(401)
  })
})
