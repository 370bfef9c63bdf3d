import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { app, test, useTestApp } from '../../../tests/support/test-app.ts'
import { call, createSignedInUser, registryApp } from '../../../tests/support/accounts.ts'
import { messagesText, startOpenAiServer, type ChatRequestBody, type OpenAiServer } from '../../../tests/support/openai-server.ts'
import type { Ai } from '../../ai/types.ts'
import { starterTopicId } from '../../content/starter-sql.ts'

/** `POST /api/v1/units/:id/ask` against a scripted OpenAI-compatible server, on PostgreSQL and PGlite. */
let server: OpenAiServer

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-test' })
})
afterAll(async () => {
  await server?.close()
})
useTestApp(() => ({ env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, AI_PROVIDER_ORDER: 'openai' } }))
beforeEach(() => server.reset())

async function quizAndLearner() {
  const session = await createSignedInUser(test.ctx)
  await test.ctx.sql`insert into topic_follows (user_id, topic_id) values (${session.user.id}, ${starterTopicId('negotiation')})`
  const [quiz] = await test.ctx.sql<{ id: string; body: Record<string, unknown> }[]>`
    select id, body from units where topic_id = ${starterTopicId('negotiation')} and quiz_kind = 'true_false' order by id limit 1`
  await test.ctx.sql`insert into unit_views (user_id, unit_id) values (${session.user.id}, ${quiz!.id})`
  return { ...session, quiz: quiz! }
}

describe('POST /api/v1/units/:id/ask', () => {
  it('answers from the unit without its answer key, keeps the conversation and sends earlier turns along', async () => {
    const { accessToken, quiz } = await quizAndLearner()
    const prompts: string[] = []
    let turn = 0
    server.onChat((body: ChatRequestBody) => {
      prompts.push(messagesText(body, 'user'))
      turn += 1
      return JSON.stringify({ answer: `Answer ${turn}.`, grounded: turn === 1, followUps: ['Why?'] })
    })
    const first = await call(app, 'POST', `/api/v1/units/${quiz.id}/ask`, { token: accessToken, body: { question: 'What is an anchor?' } })
    expect(first.status).toBe(200)
    expect(first.body.answer).toMatchObject({ question: 'What is an anchor?', answer: 'Answer 1.', grounded: true, follow_ups: ['Why?'] })
    expect(prompts[0]).toContain('Topics the learner follows: Negotiation')
    expect(prompts[0]).toContain(String(quiz.body.statement))
    expect(prompts[0]).not.toContain(String(quiz.body.explanation))
    expect(prompts[0]).toContain('Question: What is an anchor?')

    const second = await call(app, 'POST', `/api/v1/units/${quiz.id}/ask`, { token: accessToken, body: { question: 'And a counter-anchor?' } })
    expect(second.body.conversation.map((entry: { answer: string }) => entry.answer)).toEqual(['Answer 1.', 'Answer 2.'])
    expect(second.body.answer).toMatchObject({ answer: 'Answer 2.', grounded: false })
    expect(prompts[1]).toContain('Earlier question: What is an anchor?\nEarlier answer: Answer 1.\n\nAnd a counter-anchor?')

    const exported = await call(app, 'GET', '/api/v1/me/export', { token: accessToken })
    expect(exported.body.unit_questions.map((row: { question: string }) => row.question)).toEqual(['What is an anchor?', 'And a counter-anchor?'])
  })

  it('refuses unknown units and empty questions, and says plainly when no AI provider is configured', async () => {
    const { accessToken, quiz } = await quizAndLearner()
    expect((await call(app, 'POST', `/api/v1/units/${randomUUID()}/ask`, { token: accessToken, body: { question: 'Why?' } })).status).toBe(404)
    expect((await call(app, 'POST', `/api/v1/units/${quiz.id}/ask`, { token: accessToken, body: { question: '  ' } })).status).toBe(422)

    const offlineAi = Object.create(test.ctx.ai) as Ai
    Object.defineProperty(offlineAi, 'hasProvider', { value: false })
    const offline = registryApp({ ...test.ctx, ai: offlineAi })
    const refused = await call(offline, 'POST', `/api/v1/units/${quiz.id}/ask`, { token: accessToken, body: { question: 'Why?' } })
    expect(refused.status).toBe(422)
    expect(refused.body.error).toMatchObject({ code: 'needs_ai_provider', message: 'Asking questions needs an AI provider, and none is configured on this server.' })
    expect(server.requests.filter((request) => request.route === 'chat')).toHaveLength(0)
  })
})
