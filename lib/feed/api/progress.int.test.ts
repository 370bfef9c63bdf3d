import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../../tests/support/test-app.ts'
import { call, createLearnerFollowing } from '../../../tests/support/accounts.ts'
import { starterTopicId } from '../../content/starter-sql.ts'

/** `GET /me/personalization`, its reset and pins, `GET /me/progress` and the review exports, on PostgreSQL and PGlite. */
const hour = 3_600_000
const day = 24 * hour

useTestApp({ now: '2026-03-02T09:00:00Z' })

describe('GET /api/v1/me/personalization', () => {
  it('knows nothing about a new learner, then shows learned figures; a reset forgets tastes but keeps ratings and pins', async () => {
    test.clock.set(new Date('2026-03-02T09:00:00Z'))
    const { accessToken } = await createLearnerFollowing(test.ctx, 'negotiation')
    const fresh = await call(app, 'GET', '/api/v1/me/personalization', { token: accessToken })
    expect(fresh.status).toBe(200)
    expect(fresh.body).toMatchObject({ statements: [], topics: [], liked_units_in_profile: 0, pinned_formats: {}, difficulty_preference: 'balanced' })
    expect(fresh.body.format_weights.idle).toEqual({ text: 0.5, quiz: 0.5, audio: 0.5, visual: 0.5 })

    const units = (await call(app, 'GET', '/api/v1/feed/next?limit=8', { token: accessToken })).body.units as { id: string; type: string; format: string }[]
    const at = test.clock.now().toISOString()
    const events = units.flatMap((unit) => [
      { client_id: randomUUID(), timestamp: at, type: 'impression', unit_id: unit.id },
      { client_id: randomUUID(), timestamp: at, type: 'complete', unit_id: unit.id },
      { client_id: randomUUID(), timestamp: at, type: 'like', unit_id: unit.id },
    ])
    expect((await call(app, 'POST', '/api/v1/feed/events', { token: accessToken, body: { events } })).status).toBe(202)
    const quiz = units.find((unit) => unit.type === 'quiz')!
    const [key] = await test.ctx.sql<{ body: Record<string, unknown> }[]>`select body from units where id = ${quiz.id}`
    const answer = key!.body.kind === 'fill_blank' ? key!.body.answer : key!.body.correct
    expect((await call(app, 'POST', `/api/v1/quizzes/${quiz.id}/answers`, { token: accessToken, body: { answer, time_ms: 4000 } })).body.correct).toBe(true)
    expect((await call(app, 'PUT', '/api/v1/me/preferences', { token: accessToken, body: { pinned_formats: { driving: 'audio' } } })).status).toBe(200)

    const learned = await call(app, 'GET', '/api/v1/me/personalization', { token: accessToken })
    expect(learned.body.pinned_formats).toEqual({ driving: 'audio' })
    expect(learned.body.topics).toEqual([expect.objectContaining({ topic_id: starterTopicId('negotiation'), title: 'Negotiation', answers: 1, recent_accuracy: null })])
    expect(learned.body.topics[0].rating).toBeGreaterThan(1000)
    expect(learned.body.topics[0].engagement).toBeGreaterThan(0.5)
    expect(Object.values(learned.body.format_weights.idle).some((weight) => weight !== 0.5)).toBe(true)
    expect(learned.body.liked_units_in_profile).toBeGreaterThan(0)
    const texts = (learned.body.statements as { text: string }[]).map((statement) => statement.text)
    expect(texts).toContain('When driving, you pinned audio.')
    expect(texts.some((text) => text.startsWith('Negotiation: level'))).toBe(true)

    const reset = await call(app, 'POST', '/api/v1/me/personalization/reset', { token: accessToken })
    expect(reset.status).toBe(200)
    for (const mode of ['driving', 'commuting', 'working', 'idle']) expect(reset.body.format_weights[mode]).toEqual({ text: 0.5, quiz: 0.5, audio: 0.5, visual: 0.5 })
    expect(reset.body.liked_units_in_profile).toBe(0)
    expect(reset.body.pinned_formats).toEqual({ driving: 'audio' })
    expect(reset.body.topics[0]).toMatchObject({ answers: 1, rating: learned.body.topics[0].rating, engagement: 0.5 })
    expect((await call(app, 'GET', '/api/v1/me/personalization', { token: accessToken })).body).toEqual(reset.body)
    expect((await call(app, 'GET', '/api/v1/me/personalization')).status).toBe(401)
  })
})

describe('GET /api/v1/me/progress and the review exports', () => {
  it('counts seen units, mastered concepts, accuracy per local day and next reviews; exports the cards', async () => {
    const now = new Date('2026-03-04T12:00:00Z')
    test.clock.set(now)
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'negotiation')
    await test.ctx.sql`update users set timezone = 'America/New_York' where id = ${user.id}`
    const topicId = starterTopicId('negotiation')
    const [quiz] = await test.ctx.sql<{ id: string; body: Record<string, unknown>; concept_keys: string[] }[]>`
      select id, body, concept_keys from units where topic_id = ${topicId} and quiz_kind = 'true_false' order by id limit 1`
    const concept = quiz!.concept_keys[0]!
    const seen = await test.ctx.sql<{ id: string }[]>`select id from units where topic_id = ${topicId} and type <> 'quiz' order by id limit 3`
    for (const unit of seen) await test.ctx.sql`insert into unit_views (user_id, unit_id) values (${user.id}, ${unit.id})`

    const card = (conceptKey: string, state: string, stability: number, due: Date, lastQuiz: string | null) => test.ctx.sql`
      insert into concept_cards (user_id, topic_id, concept_key, state, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses, last_review, last_quiz_unit_id)
      values (${user.id}, ${topicId}, ${conceptKey}, ${state}, ${due}, ${stability}, 5, ${Math.round(stability)}, 0, 2, 0, ${now}, ${lastQuiz})`
    await card(concept, 'Review', 30, new Date(now.getTime() + 30 * day), quiz!.id)
    await card('zz-no-quiz-recent', 'Review', 10, new Date(now.getTime() + 10 * day), null)
    await card('zz-no-quiz-learning', 'Learning', 1, new Date(now.getTime() - hour), null)

    // New York is UTC−5 in early March: 02:00Z on the 3rd is still the 2nd there.
    const attempt = (at: string, correct: boolean, scored = true) => test.ctx.sql`
      insert into quiz_attempts (user_id, unit_id, answer, correct, time_ms, scored, created_at)
      values (${user.id}, ${quiz!.id}, ${test.ctx.sql.json(true)}, ${correct}, 3000, ${scored}, ${at})`
    await attempt('2026-03-02T09:00:00Z', true)
    await attempt('2026-03-03T02:00:00Z', false)
    await attempt('2026-03-03T02:01:00Z', true, false)
    await attempt('2026-03-03T15:00:00Z', true)

    const progress = await call(app, 'GET', '/api/v1/me/progress', { token: accessToken })
    expect(progress.status).toBe(200)
    expect(progress.body).toEqual({
      mastered_stability_days: 21,
      topics: [
        {
          topic_id: topicId,
          title: 'Negotiation',
          units_seen: 3,
          concepts: 3,
          mastered_concepts: 1,
          reviews_due_now: 1,
          next_review_at: '2026-03-04T11:00:00.000Z',
          accuracy: [
            { date: '2026-03-02', answered: 2, correct: 1, accuracy: 0.5 },
            { date: '2026-03-03', answered: 1, correct: 1, accuracy: 1 },
          ],
        },
      ],
      next_reviews: [
        { topic_id: topicId, concept_key: 'zz-no-quiz-learning', due_at: '2026-03-04T11:00:00.000Z', state: 'Learning' },
        { topic_id: topicId, concept_key: 'zz-no-quiz-recent', due_at: '2026-03-14T12:00:00.000Z', state: 'Review' },
        { topic_id: topicId, concept_key: concept, due_at: '2026-04-03T12:00:00.000Z', state: 'Review' },
      ],
    })

    const json = await call(app, 'GET', '/api/v1/me/reviews.json', { token: accessToken })
    expect(json.status).toBe(200)
    const front = `True or false: ${String(quiz!.body.statement)}`
    const back = `${quiz!.body.correct ? 'True' : 'False'} — ${String(quiz!.body.explanation)}`
    expect(json.body.cards).toHaveLength(3)
    expect(json.body.cards[0]).toEqual({
      topic_id: topicId,
      topic: 'Negotiation',
      concept_key: concept,
      front,
      back,
      tags: ['noleij', 'negotiation', concept],
      state: 'Review',
      due_at: '2026-04-03T12:00:00.000Z',
      stability: 30,
      difficulty: 5,
      reps: 2,
      lapses: 0,
      last_review_at: '2026-03-04T12:00:00.000Z',
    })
    expect(json.body.cards[1]).toMatchObject({ concept_key: 'zz-no-quiz-learning', front: null, back: null })

    const csv = await app.request('/api/v1/me/reviews.csv', { headers: { authorization: `Bearer ${accessToken}` } })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="noleij-reviews.csv"')
    const quote = (value: string) => (/[;"\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)
    expect(await csv.text()).toBe(
      ['#separator:semicolon', '#html:false', '#columns:front;back;tags', '#tags column:3', `${quote(front)};${quote(back)};noleij negotiation ${concept}`, ''].join('\n'),
    )
  })

  it('needs a learner', async () => {
    expect((await call(app, 'GET', '/api/v1/me/progress')).status).toBe(401)
    expect((await app.request('/api/v1/me/reviews.csv')).status).toBe(401)
  })
})
