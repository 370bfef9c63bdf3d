import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../../tests/support/test-app.ts'
import { call, createLearnerFollowing } from '../../../tests/support/accounts.ts'
import { ensureLibraryTopic } from '../../sources/library.ts'

/**
 * `GET /api/v1/me/saved` and `DELETE /api/v1/me/saved/{unitId}` through the HTTP API, saving with
 * the feed's `save` event, on PostgreSQL and PGlite.
 */
useTestApp({ now: '2026-03-02T09:00:00Z' })

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

async function feedUnits(token: string, limit: number): Promise<Json[]> {
  const response = await call(app, 'GET', `/api/v1/feed/next?limit=${limit}`, { token })
  expect(response.status).toBe(200)
  return response.body.units as Json[]
}

function saveEvent(unitId: string, at: Date, clientId: string = randomUUID()) {
  return { client_id: clientId, timestamp: at.toISOString(), type: 'save', unit_id: unitId }
}

async function sendEvents(token: string, events: Json[]): Promise<Json> {
  const response = await call(app, 'POST', '/api/v1/feed/events', { token, body: { events } })
  expect(response.status).toBe(202)
  return response.body
}

async function savedIds(token: string, query = ''): Promise<string[]> {
  const response = await call(app, 'GET', `/api/v1/me/saved${query}`, { token })
  expect(response.status).toBe(200)
  return (response.body.items as Json[]).map((item) => item.unit.id as string)
}

const secondsAgo = (seconds: number) => new Date(test.clock.now().getTime() - seconds * 1000)

describe('saved units', () => {
  it('lists saves newest first, rendered as the feed renders them, a page at a time', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'negotiation')
    const served = await feedUnits(accessToken, 8)
    const quiz = served.find((unit) => unit.type === 'quiz')!
    const texts = served.filter((unit) => unit.type !== 'quiz').slice(0, 2)
    const chosen = [texts[0]!, quiz, texts[1]!]
    await sendEvents(accessToken, chosen.map((unit, index) => saveEvent(unit.id, secondsAgo(30 - index * 10))))

    const first = await call(app, 'GET', '/api/v1/me/saved?limit=2', { token: accessToken })
    expect(first.status).toBe(200)
    expect(first.body.items).toHaveLength(2)
    expect(first.body.items.map((item: Json) => item.unit.id)).toEqual([texts[1]!.id, quiz.id])
    expect(first.body.items[0].saved_at).toBe(secondsAgo(10).toISOString())
    expect(typeof first.body.next_cursor).toBe('string')

    const savedQuiz = first.body.items[1].unit as Json
    expect(savedQuiz).toMatchObject({ kind: 'unit', type: 'quiz', role: 'quiz', autoplay: false, reason: { code: 'saved', text: 'You saved this' } })
    for (const field of ['id', 'quiz_kind', 'topic', 'difficulty', 'body', 'audio', 'citation']) expect(savedQuiz[field], field).toEqual(quiz[field])
    expect(savedQuiz.body).not.toHaveProperty('correct')
    expect(savedQuiz.body).not.toHaveProperty('answer')
    expect(savedQuiz.body).not.toHaveProperty('explanation')

    const second = await call(app, 'GET', `/api/v1/me/saved?limit=2&cursor=${first.body.next_cursor}`, { token: accessToken })
    expect(second.body.items.map((item: Json) => item.unit.id)).toEqual([texts[0]!.id])
    expect(second.body.next_cursor).toBeNull()
    expect(await savedIds(accessToken)).toEqual([texts[1]!.id, quiz.id, texts[0]!.id])
  })

  it('signs the audio of a saved unit that has some', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'how-sleep-works')
    const [unit] = (await feedUnits(accessToken, 5)).filter((candidate) => candidate.type !== 'quiz')
    await test.ctx.sql`update units set audio = jsonb_build_object('key', 'audio/' || id || '/a.mp3', 'duration_ms', 30000, 'transcript', 'spoken') where id = ${unit!.id}`
    await sendEvents(accessToken, [saveEvent(unit!.id, secondsAgo(1))])
    const response = await call(app, 'GET', '/api/v1/me/saved', { token: accessToken })
    expect(response.body.items[0].unit.audio).toMatchObject({ url: expect.stringContaining('a.mp3'), duration_ms: 30000, transcript: 'spoken' })
  })

  it('shows learners only their own saves', async () => {
    const owner = await createLearnerFollowing(test.ctx, 'stoicism')
    const [unit] = await feedUnits(owner.accessToken, 1)
    await sendEvents(owner.accessToken, [saveEvent(unit!.id, secondsAgo(1))])
    const other = await createLearnerFollowing(test.ctx, 'stoicism')
    expect(await savedIds(other.accessToken)).toEqual([])
    expect((await call(app, 'DELETE', `/api/v1/me/saved/${unit!.id}`, { token: other.accessToken })).status).toBe(204)
    expect(await savedIds(owner.accessToken)).toEqual([unit!.id])
  })

  it('unsaves idempotently, and neither the old event sent again nor a late save made before brings it back', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'negotiation')
    const [unit] = await feedUnits(accessToken, 1)
    const save = saveEvent(unit!.id, secondsAgo(60))
    expect(await sendEvents(accessToken, [save])).toEqual({ accepted: 1, duplicates: 0, ignored: 0 })
    expect(await savedIds(accessToken)).toEqual([unit!.id])

    expect((await call(app, 'DELETE', `/api/v1/me/saved/${unit!.id}`, { token: accessToken })).status).toBe(204)
    expect(await savedIds(accessToken)).toEqual([])
    expect((await call(app, 'DELETE', `/api/v1/me/saved/${unit!.id}`, { token: accessToken })).status).toBe(204)
    expect((await call(app, 'DELETE', `/api/v1/me/saved/${randomUUID()}`, { token: accessToken })).status).toBe(204)

    test.clock.advance(5_000)
    expect(await sendEvents(accessToken, [save])).toEqual({ accepted: 0, duplicates: 1, ignored: 0 })
    // Batched on the device before the unsave, delivered after it.
    await sendEvents(accessToken, [saveEvent(unit!.id, secondsAgo(30))])
    expect(await savedIds(accessToken)).toEqual([])

    // Saved again afterwards: back, with the new time.
    await sendEvents(accessToken, [saveEvent(unit!.id, secondsAgo(1))])
    const response = await call(app, 'GET', '/api/v1/me/saved', { token: accessToken })
    expect(response.body.items.map((item: Json) => [item.unit.id, item.saved_at])).toEqual([[unit!.id, secondsAgo(1).toISOString()]])
  })

  it('keeps an unsave that arrives before the save it undoes', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'negotiation')
    const [unit] = await feedUnits(accessToken, 1)
    const savedAt = secondsAgo(2)
    expect((await call(app, 'DELETE', `/api/v1/me/saved/${unit!.id}`, { token: accessToken })).status).toBe(204)
    await sendEvents(accessToken, [saveEvent(unit!.id, savedAt)])
    expect(await savedIds(accessToken)).toEqual([])
  })

  it('drops units that were retired, hidden or deleted with their source', async () => {
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'memory-and-learning')
    const [retired, hidden, kept] = (await feedUnits(accessToken, 3)).map((unit) => unit.id as string)
    const library = await ensureLibraryTopic(test.ctx, user.id)
    const sourceId = randomUUID()
    await test.ctx.sql`
      insert into sources (id, user_id, title, kind, content_hash, status, topic_id)
      values (${sourceId}, ${user.id}, 'My notes', 'text', ${randomUUID()}, 'ready', ${library.id})`
    const [fromSource] = await test.ctx.sql<{ id: string }[]>`
      insert into units (topic_id, type, format, body, concept_keys, difficulty, rating, est_seconds, language, prompt, provider, model, citation)
      values (${library.id}, 'insight', 'text', ${test.ctx.sql.json({ text: 'From my notes.' })}, ${['notes']}, 3, 1000, 5, 'en', 'test@v1', 'test', 'test',
        ${test.ctx.sql.json({ sourceId, title: 'My notes', excerpt: 'From my notes.' })})
      returning id`
    await sendEvents(accessToken, [retired!, hidden!, kept!, fromSource!.id].map((unitId, index) => saveEvent(unitId, secondsAgo(10 - index))))
    expect(await savedIds(accessToken)).toEqual([fromSource!.id, kept, hidden, retired])

    await test.ctx.sql`update units set status = 'retired' where id = ${retired!}`
    await test.ctx.sql`update units set status = 'hidden' where id = ${hidden!}`
    expect((await call(app, 'DELETE', `/api/v1/sources/${sourceId}`, { token: accessToken })).status).toBe(204)
    expect(await savedIds(accessToken)).toEqual([kept])
  })

  it('is in the export and goes with the account', async () => {
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'stoicism')
    const [first, second] = await feedUnits(accessToken, 2)
    await sendEvents(accessToken, [saveEvent(first!.id, secondsAgo(5)), saveEvent(second!.id, secondsAgo(4))])
    await call(app, 'DELETE', `/api/v1/me/saved/${second!.id}`, { token: accessToken })
    const exported = await call(app, 'GET', '/api/v1/me/export', { token: accessToken })
    expect(exported.status).toBe(200)
    expect(exported.body.saved_units).toEqual([
      { unit_id: first!.id, saved_at: secondsAgo(5).toISOString(), removed_at: null },
      { unit_id: second!.id, saved_at: secondsAgo(4).toISOString(), removed_at: test.clock.now().toISOString() },
    ])

    expect((await call(app, 'DELETE', '/api/v1/me', { token: accessToken })).status).toBe(204)
    const [left] = await test.ctx.sql<{ count: number }[]>`select count(*) as count from saved_units where user_id = ${user.id}`
    expect(left!.count).toBe(0)
  })

  it('backfills saves sent before the table existed (the migration’s statement)', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'how-the-internet-works')
    const [first, second] = await feedUnits(accessToken, 2)
    await sendEvents(accessToken, [saveEvent(first!.id, secondsAgo(9)), saveEvent(first!.id, secondsAgo(3)), saveEvent(second!.id, secondsAgo(6))])
    // As before the migration: no table rows at all, only the events.
    await test.ctx.sql`delete from saved_units`
    expect(await savedIds(accessToken)).toEqual([])

    const migration = await readFile(new URL('../../../sql/0009_saved_units.sql', import.meta.url), 'utf8')
    const backfill = migration.slice(migration.indexOf('insert into saved_units'))
    await test.ctx.sql.begin((tx) => tx.unsafe(backfill))
    const response = await call(app, 'GET', '/api/v1/me/saved', { token: accessToken })
    expect(response.body.items.map((item: Json) => [item.unit.id, item.saved_at])).toEqual([
      [first!.id, secondsAgo(3).toISOString()],
      [second!.id, secondsAgo(6).toISOString()],
    ])
  })

  it('validates its input and needs a learner', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'stoicism')
    expect((await call(app, 'GET', '/api/v1/me/saved?cursor=garbage', { token: accessToken })).status).toBe(422)
    const forged = Buffer.from(JSON.stringify(['yesterday', 'not-a-uuid'])).toString('base64url')
    expect((await call(app, 'GET', `/api/v1/me/saved?cursor=${forged}`, { token: accessToken })).status).toBe(422)
    expect((await call(app, 'GET', '/api/v1/me/saved?limit=51', { token: accessToken })).status).toBe(422)
    expect((await call(app, 'GET', '/api/v1/me/saved?limit=0', { token: accessToken })).status).toBe(422)
    expect((await call(app, 'DELETE', '/api/v1/me/saved/not-a-uuid', { token: accessToken })).status).toBe(422)
    expect((await call(app, 'GET', '/api/v1/me/saved')).status).toBe(401)
    expect((await call(app, 'DELETE', `/api/v1/me/saved/${randomUUID()}`)).status).toBe(401)
  })
})
