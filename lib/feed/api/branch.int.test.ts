import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../../tests/support/test-app.ts'
import { call, createSignedInUser } from '../../../tests/support/accounts.ts'
import { refillQueue } from '../../content/reservoir.ts'

/** `POST /api/v1/units/:id/branch` and polling `GET /api/v1/branches/:id`, on PostgreSQL and PGlite. */
useTestApp({ now: '2026-03-02T09:00:00Z' })

async function insertUnit(topicId: string, type: string, conceptKeys: string[], difficulty: number, minutesAgo: number): Promise<string> {
  const [row] = await test.ctx.sql<{ id: string }[]>`
    insert into units (topic_id, type, format, body, concept_keys, difficulty, rating, est_seconds, language, prompt, provider, model, created_at)
    values (${topicId}, ${type}, 'text', ${test.ctx.sql.json({ text: `${type} on ${conceptKeys.join(', ')}` })}, ${conceptKeys}, ${difficulty},
      ${1000 + (difficulty - 3) * 150}, 20, 'en', 'test@v1', 'test', 'test', ${new Date(test.clock.now().getTime() - minutesAgo * 60_000)})
    returning id`
  return row!.id
}

describe('unit branches', () => {
  it('takes a related unit of the kind from the reservoir, else waits for a refill, and gives up after a while', async () => {
    const [topic] = await test.ctx.sql<{ id: string }[]>`insert into topics (slug, title, language) values ('branching', 'Branching', 'en') returning id`
    const topicId = topic!.id
    const source = await insertUnit(topicId, 'insight', ['a', 'b'], 3, 60)
    const exampleHard = await insertUnit(topicId, 'example', ['b'], 5, 50)
    const analogyLevel = await insertUnit(topicId, 'analogy', ['a'], 3, 40)
    await insertUnit(topicId, 'example', ['z'], 3, 30)
    const { accessToken, user } = await createSignedInUser(test.ctx)

    // Unseen first, then the closest difficulty: the level-3 analogy beats the level-5 example.
    const first = await call(app, 'POST', `/api/v1/units/${source}/branch`, { token: accessToken, body: { kind: 'example' } })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ kind: 'example', status: 'ready', unit: { id: analogyLevel, type: 'analogy', topic: { id: topicId, title: 'Branching' }, body: { text: 'analogy on a' }, audio: null } })
    await test.ctx.sql`insert into unit_views (user_id, unit_id) values (${user.id}, ${analogyLevel})`
    const second = await call(app, 'POST', `/api/v1/units/${source}/branch`, { token: accessToken, body: { kind: 'example' } })
    expect(second.body.unit.id).toBe(exampleHard)

    const story = await call(app, 'POST', `/api/v1/units/${source}/branch`, { token: accessToken, body: { kind: 'story' } })
    expect(story.body).toMatchObject({ kind: 'story', status: 'pending', unit: null })
    const queued = await test.ctx.queue.receive(refillQueue, { max: 10, visibilityTimeoutSeconds: 60 })
    expect(queued.map((message) => (message.body as { topicId: string }).topicId)).toEqual([topicId])
    expect((await call(app, 'GET', `/api/v1/branches/${story.body.id}`, { token: accessToken })).body.status).toBe('pending')
    const newStory = await insertUnit(topicId, 'story', ['a'], 2, 0)
    const polled = await call(app, 'GET', `/api/v1/branches/${story.body.id}`, { token: accessToken })
    expect(polled.body).toMatchObject({ id: story.body.id, status: 'ready', unit: { id: newStory, type: 'story' } })

    const audio = await call(app, 'POST', `/api/v1/units/${source}/branch`, { token: accessToken, body: { kind: 'audio' } })
    expect(audio.body.status).toBe('pending')
    test.clock.advance(10 * 60_000)
    expect((await call(app, 'GET', `/api/v1/branches/${audio.body.id}`, { token: accessToken })).body).toMatchObject({ status: 'unavailable', unit: null })

    const other = await createSignedInUser(test.ctx)
    expect((await call(app, 'GET', `/api/v1/branches/${story.body.id}`, { token: other.accessToken })).status).toBe(404)
    expect((await call(app, 'POST', `/api/v1/units/${randomUUID()}/branch`, { token: accessToken, body: { kind: 'story' } })).status).toBe(404)
    expect((await call(app, 'POST', `/api/v1/units/${source}/branch`, { token: accessToken, body: { kind: 'poem' } })).status).toBe(422)
  })
})
