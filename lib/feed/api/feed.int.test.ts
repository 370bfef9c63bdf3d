import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../../tests/support/test-app.ts'
import { call, createLearnerFollowing, createSignedInUser } from '../../../tests/support/accounts.ts'
import { startSession } from '../../auth/sessions.ts'
import { starterTopicId } from '../../content/starter-sql.ts'
import { feedSection } from './personal-data.ts'

/**
 * Simulated learners through the HTTP API against the starter pack, with the test clock: the feed,
 * events, quiz answers and preferences, on PostgreSQL and on PGlite.
 */
const day = 86_400_000

useTestApp({ now: '2026-03-02T09:00:00Z' })

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Unit = Record<string, any>

async function next(token: string, query = 'limit=5'): Promise<Unit[]> {
  const response = await call(app, 'GET', `/api/v1/feed/next?${query}`, { token })
  expect(response.status).toBe(200)
  return response.body.units as Unit[]
}

/** The answer key, read from the database the way only the server can. */
async function keyOf(unitId: string): Promise<Record<string, unknown>> {
  const [row] = await test.ctx.sql<{ body: Record<string, unknown> }[]>`select body from units where id = ${unitId}`
  return row!.body
}

function wrongAnswer(body: Record<string, unknown>): number | boolean | string {
  if (body.kind === 'true_false') return !body.correct
  if (body.kind === 'fill_blank') return 'certainly not this'
  return ((body.correct as number) + 1) % (body.options as unknown[]).length
}

function rightAnswer(body: Record<string, unknown>): number | boolean | string {
  return body.kind === 'fill_blank' ? (body.answer as string) : (body.correct as number | boolean)
}

async function impressions(token: string, units: Unit[]) {
  const events = units.map((unit) => ({ client_id: randomUUID(), timestamp: test.clock.now().toISOString(), type: 'impression', unit_id: unit.id }))
  const response = await call(app, 'POST', '/api/v1/feed/events', { token, body: { events } })
  expect(response.status).toBe(202)
}

describe('GET /api/v1/feed/next', () => {
  it('serves a new learner a mix with reasons, quizzes without their answers, and never the same unit twice', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'negotiation')
    const first = await next(accessToken, 'limit=8')
    expect(first).toHaveLength(8)
    for (const unit of first) {
      expect(unit).toMatchObject({ kind: 'unit', id: expect.any(String), topic: { id: starterTopicId('negotiation'), title: 'Negotiation' }, reason: { code: expect.any(String), text: expect.any(String) } })
    }
    expect(first[0].reason).toEqual({ code: 'new_topic', text: 'New topic you followed' })
    const quizzes = first.filter((unit) => unit.type === 'quiz')
    expect(quizzes.length).toBeGreaterThanOrEqual(1)
    for (const quiz of quizzes) {
      expect(quiz.body).not.toHaveProperty('correct')
      expect(quiz.body).not.toHaveProperty('answer')
      expect(quiz.body).not.toHaveProperty('explanation')
    }
    const second = await next(accessToken, 'limit=8')
    const ids = new Set(first.map((unit) => unit.id))
    expect(second.some((unit) => ids.has(unit.id))).toBe(false)
  })

  it('says whether an empty page means no topic yet or caught up', async () => {
    const newcomer = await createSignedInUser(test.ctx)
    const none = await call(app, 'GET', '/api/v1/feed/next', { token: newcomer.accessToken })
    expect(none.body).toMatchObject({ units: [], has_topics: false, pending_audio: 0 })
    const { accessToken } = await createLearnerFollowing(test.ctx, 'public-speaking')
    const following = await call(app, 'GET', '/api/v1/feed/next', { token: accessToken })
    expect(following.body).toMatchObject({ has_topics: true, pending_audio: 0 })
    expect(following.body.units.length).toBeGreaterThan(0)
  })

  it('validates the query and needs a learner', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'negotiation')
    expect((await call(app, 'GET', '/api/v1/feed/next?limit=21', { token: accessToken })).status).toBe(422)
    expect((await call(app, 'GET', '/api/v1/feed/next?mode=flying', { token: accessToken })).status).toBe(422)
    expect((await call(app, 'GET', '/api/v1/feed/next')).status).toBe(401)
  })

  it('driving → only audio: units with audio ready (signed links) and spoken true/false', async () => {
    const topicId = starterTopicId('how-sleep-works')
    await test.ctx.sql`
      update units set audio = jsonb_build_object('key', 'audio/' || id || '/a.mp3', 'duration_ms', 30000, 'transcript', coalesce(audio_script, 'spoken'))
      where topic_id = ${topicId} and type <> 'quiz' and audio_script is not null`
    const { accessToken } = await createLearnerFollowing(test.ctx, 'how-sleep-works')
    const units = await next(accessToken, 'limit=10&mode=driving')
    expect(units.length).toBeGreaterThan(3)
    for (const unit of units) {
      expect(unit.format).toBe('audio')
      expect(unit.autoplay).toBe(true)
      if (unit.type === 'quiz') expect(unit.quiz_kind).toBe('true_false')
      else expect(unit.audio).toMatchObject({ url: expect.any(String), duration_ms: 30000 })
    }
  })
})

describe('POST /api/v1/feed/events', () => {
  it('acknowledges after commit, folds once, and ignores a retried batch', async () => {
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'stoicism')
    const units = await next(accessToken, 'limit=3')
    const at = (seconds: number) => new Date(test.clock.now().getTime() - 60_000 + seconds * 1000).toISOString()
    const events = [
      ...units.map((unit, index) => ({ client_id: randomUUID(), timestamp: at(index), type: 'impression', unit_id: unit.id })),
      { client_id: randomUUID(), timestamp: at(10), type: 'like', unit_id: units[0]!.id },
      { client_id: randomUUID(), timestamp: at(20), type: 'dwell', unit_id: units[1]!.id, ms: 4000 },
      { client_id: randomUUID(), timestamp: at(30), type: 'skip', unit_id: units[2]!.id, ms: 300 },
      { client_id: randomUUID(), timestamp: at(31), type: 'like', unit_id: randomUUID() },
    ]
    const first = await call(app, 'POST', '/api/v1/feed/events', { token: accessToken, body: { events } })
    expect(first.status).toBe(202)
    expect(first.body).toEqual({ accepted: 6, duplicates: 0, ignored: 1 })
    const again = await call(app, 'POST', '/api/v1/feed/events', { token: accessToken, body: { events: [...events].reverse() } })
    expect(again.body).toEqual({ accepted: 0, duplicates: 6, ignored: 1 })

    const [stats] = await test.ctx.sql<{ impressions: number; likes: number }[]>`select impressions, likes from unit_stats where unit_id = ${units[0]!.id}`
    expect(stats).toEqual({ impressions: 1, likes: 1 })
    const [row] = await test.ctx.sql<{ state: { recent: { skipStreak: number; served: unknown[] } } }[]>`select state from learner_states where user_id = ${user.id}`
    expect(row!.state.recent.skipStreak).toBe(1)
    expect(row!.state.recent.served).toHaveLength(3)
  })

  it('refuses malformed events', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'stoicism')
    const bad = await call(app, 'POST', '/api/v1/feed/events', { token: accessToken, body: { events: [{ client_id: 'x', timestamp: 'now', type: 'dwell', unit_id: randomUUID() }] } })
    expect(bad.status).toBe(422)
  })
})

describe('POST /api/v1/quizzes/:id/answers', () => {
  it('answers with the key and explanation, scores one attempt per exposure, and moves the ratings', async () => {
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'personal-finance-basics')
    const quiz = (await next(accessToken, 'limit=8')).find((unit) => unit.type === 'quiz')!
    const key = await keyOf(quiz.id)
    const [before] = await test.ctx.sql<{ rating: number }[]>`select rating from units where id = ${quiz.id}`

    const wrong = await call(app, 'POST', `/api/v1/quizzes/${quiz.id}/answers`, { token: accessToken, body: { answer: wrongAnswer(key), time_ms: 5000 } })
    expect(wrong.status).toBe(200)
    expect(wrong.body).toEqual({ correct: false, correct_answer: rightAnswer(key), explanation: key.explanation, scored: true })
    const retry = await call(app, 'POST', `/api/v1/quizzes/${quiz.id}/answers`, { token: accessToken, body: { answer: rightAnswer(key), time_ms: 3000, attempt: 2 } })
    expect(retry.body).toMatchObject({ correct: true, scored: false })

    const [after] = await test.ctx.sql<{ rating: number }[]>`select rating from units where id = ${quiz.id}`
    expect(after!.rating).toBeGreaterThan(before!.rating)
    const cards = await test.ctx.sql<{ state: string; lapses: number; due: Date }[]>`select state, lapses, due from concept_cards where user_id = ${user.id}`
    expect(cards.length).toBeGreaterThanOrEqual(1)
    expect(cards[0]!.due.getTime()).toBe(test.clock.now().getTime() + day)
    const attempts = await test.ctx.sql<{ scored: boolean; grade: string | null }[]>`select scored, grade from quiz_attempts where user_id = ${user.id} order by created_at, scored desc`
    expect(attempts).toEqual([
      { scored: true, grade: 'Again' },
      { scored: false, grade: null },
    ])
  })

  it('refuses an answer of the wrong kind, and unknown quizzes', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'personal-finance-basics')
    const [quiz] = await test.ctx.sql<{ id: string }[]>`select id from units where topic_id = ${starterTopicId('personal-finance-basics')} and quiz_kind = 'true_false' limit 1`
    expect((await call(app, 'POST', `/api/v1/quizzes/${quiz!.id}/answers`, { token: accessToken, body: { answer: 2, time_ms: 100 } })).status).toBe(422)
    expect((await call(app, 'POST', `/api/v1/quizzes/${randomUUID()}/answers`, { token: accessToken, body: { answer: true, time_ms: 100 } })).status).toBe(404)
    expect((await call(app, 'POST', `/api/v1/quizzes/not-a-uuid/answers`, { token: accessToken, body: { answer: true, time_ms: 100 } })).status).toBe(422)
  })
})

describe('simulated learners', () => {
  it('repeated wrong answers → a re-teach of the missed concept comes next', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'cognitive-biases')
    let reteach: Unit | undefined
    for (let round = 0; round < 6 && !reteach; round += 1) {
      const units = await next(accessToken, 'limit=4')
      reteach = units.find((unit) => unit.reason.code === 'reteach')
      await impressions(accessToken, units)
      for (const quiz of units.filter((unit) => unit.type === 'quiz')) {
        await call(app, 'POST', `/api/v1/quizzes/${quiz.id}/answers`, { token: accessToken, body: { answer: wrongAnswer(await keyOf(quiz.id)), time_ms: 4000 } })
      }
      test.clock.advance(60_000)
    }
    expect(reteach).toBeDefined()
    expect(reteach!.type).not.toBe('quiz')
    expect(reteach!.reason.text).toBe('Re-teach: you missed this concept')
  })

  it('reviews come back when due, not before', async () => {
    const session = await createLearnerFollowing(test.ctx, 'memory-and-learning')
    const { accessToken } = session
    const start = test.clock.now().getTime()
    let answered: string | undefined
    for (let round = 0; round < 4 && !answered; round += 1) {
      const units = await next(accessToken, 'limit=4')
      await impressions(accessToken, units)
      const quiz = units.find((unit) => unit.type === 'quiz')
      if (quiz) {
        const response = await call(app, 'POST', `/api/v1/quizzes/${quiz.id}/answers`, { token: accessToken, body: { answer: rightAnswer(await keyOf(quiz.id)), time_ms: 9000 } })
        // 9 s: Good for every kind (a fill_blank typed under 8 s with no history would be Easy, 8 days).
        expect(response.body).toMatchObject({ correct: true, scored: true })
        answered = quiz.id
      }
    }
    expect(answered).toBeDefined()
    // Days later the first access token has expired: sign in again at the new time.
    const reviewsWithin = async (limit: number) => {
      const { access_token } = await startSession(test.ctx, session.user, { ip: '198.51.100.7', userAgent: 'vitest', rememberMe: false })
      return (await next(access_token, `limit=${limit}`)).filter((unit) => unit.role === 'review')
    }
    test.clock.set(new Date(start + day))
    expect(await reviewsWithin(8)).toEqual([])
    test.clock.set(new Date(start + 3 * day + 3_600_000))
    const reviews = await reviewsWithin(8)
    expect(reviews).toHaveLength(1)
    expect(reviews[0]!.reason).toEqual({ code: 'review_due', text: 'Due for review: you last saw this 3 days ago' })
    test.clock.set(new Date(start))
  })
})

describe('GET and PUT /api/v1/me/preferences', () => {
  it('stores the preferences and the feed follows them', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'public-speaking')
    const defaults = await call(app, 'GET', '/api/v1/me/preferences', { token: accessToken })
    expect(defaults.status).toBe(200)
    expect(defaults.body).toEqual({ context_mode: 'idle', difficulty: 'balanced', formats: [], pinned_formats: {}, voice: null, daily_goal: 10, break_minutes: 25, timezone: 'UTC' })
    expect((await call(app, 'GET', '/api/v1/me/preferences')).status).toBe(401)
    const response = await call(app, 'PUT', '/api/v1/me/preferences', { token: accessToken, body: { context_mode: 'working', break_minutes: 15, pinned_formats: { idle: 'visual' } } })
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ context_mode: 'working', difficulty: 'balanced', formats: [], pinned_formats: { idle: 'visual' }, voice: null, daily_goal: 10, break_minutes: 15, timezone: 'UTC' })
    const again = await call(app, 'PUT', '/api/v1/me/preferences', { token: accessToken, body: { voice: 'alloy', pinned_formats: { idle: null } } })
    expect(again.body).toMatchObject({ context_mode: 'working', voice: 'alloy', pinned_formats: {} })
    expect((await call(app, 'GET', '/api/v1/me/preferences', { token: accessToken })).body).toEqual(again.body)
    expect((await call(app, 'PUT', '/api/v1/me/preferences', { token: accessToken, body: { context_mode: 'flying' } })).status).toBe(422)

    const units = await next(accessToken, 'limit=6')
    const lengths = await test.ctx.sql<{ char_length: number }[]>`select char_length from units where id = any(${units.map((unit) => unit.id)}::uuid[])`
    expect(lengths.length).toBe(units.length)
    for (const { char_length } of lengths) expect(char_length).toBeLessThanOrEqual(200)
    expect(units.every((unit) => unit.autoplay === false && unit.format !== 'audio')).toBe(true)
  })
})

describe('personal data', () => {
  it('exports what the feed keeps about the learner', async () => {
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'negotiation')
    const units = await next(accessToken, 'limit=4')
    await impressions(accessToken, units)
    const quiz = units.find((unit) => unit.type === 'quiz')!
    await call(app, 'POST', `/api/v1/quizzes/${quiz.id}/answers`, { token: accessToken, body: { answer: rightAnswer(await keyOf(quiz.id)), time_ms: 9000 } })
    await call(app, 'PUT', '/api/v1/me/preferences', { token: accessToken, body: { daily_goal: 12 } })
    const exported = await feedSection.export!(test.ctx, user.id)
    expect(exported).toMatchObject({
      preferences: { daily_goal: 12 },
      state: { topics: { [starterTopicId('negotiation')]: { answers: 1 } } },
      cards: [expect.objectContaining({ topic_id: starterTopicId('negotiation'), state: 'Review' })],
      events: expect.arrayContaining([expect.objectContaining({ type: 'impression', unit_id: quiz.id })]),
      quiz_attempts: [expect.objectContaining({ unit_id: quiz.id, correct: true, scored: true })],
    })
    expect(JSON.stringify(exported)).not.toContain(user.id)
  })
})
