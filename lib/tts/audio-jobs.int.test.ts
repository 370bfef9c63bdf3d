import { afterAll, describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../tests/support/test-app.ts'
import { call, createSignedInUser } from '../../tests/support/accounts.ts'
import { workerFunctions } from '../../functions/registry.ts'
import type { Ctx } from '../context.ts'
import { runWorkerMessage } from '../queue/consumer.ts'
import { insertTopic, type Topic } from '../db/topics.ts'
import { generateBatch, regenerateUnit } from '../content/generate.ts'
import { refillQueue } from '../content/reservoir.ts'
import { ingestSourceQueue } from '../sources/pipeline.ts'
import { synthesizeAudioQueue, ttsFor } from './synthesize-unit.ts'
import { waitingAudioJobs } from '../../tests/support/audio-jobs.ts'

/**
 * Units get their synthesize-audio job as they are created — by the content engine, by
 * regeneration, from a learner's source, and for a "turn this into audio" branch — one job per unit
 * that can be spoken and none for the others, on PostgreSQL and PGlite.
 */
useTestApp({ now: '2026-03-02T09:00:00Z', env: { TTS_OFFLINE_ENGINE: 'espeak-ng' } })
afterAll(async () => {
  if (test) await ttsFor(test.ctx).close()
})

/** Long sentences on distinct subjects, so the offline generator writes insights with audio scripts (75+ words) and quizzes. */
const subjects = [
  ['glaciers', 'Glaciers form where more snow falls in winter than melts in summer, and over many years the layers of old snow are pressed into dense blue ice that slowly flows downhill under its own enormous weight while carving deep valleys.'],
  ['tides', 'The Moon pulls on the oceans of the Earth, so the water on the side facing it bulges outward, and the Sun adds a weaker pull of its own that makes spring tides when both line up at new and full moon.'],
  ['volcanoes', 'Volcanoes erupt when molten rock rises through cracks in the crust, and the gas dissolved in that magma expands so violently near the surface that it can shatter the rock into ash clouds reaching far into the sky.'],
  ['coral reefs', 'Coral reefs are built by tiny animals that live together with algae inside their tissues, and when the water grows too warm the algae leave, the coral turns white, and the whole reef can starve within a few weeks.'],
  ['deserts', 'Deserts are defined by how little rain they receive rather than by heat, which is why the frozen interior of Antarctica counts as the largest desert on the planet even though it is covered by thick ice.'],
  ['rainforests', 'Tropical rainforests recycle much of their own rain, because the trees pull water from the soil and breathe it out through their leaves, where it rises, cools, condenses into clouds and falls again over the same forest.'],
] as const
const sourceText = subjects
  .map(([name, lead]) => `${lead} Scientists who study ${name} measure these changes every season with satellites, sensors and careful field notes, and they compare the numbers with records kept by earlier researchers for more than a hundred years. ${lead.replace(/^(\w+)/, 'In short, $1')}`)
  .join('\n\n')

interface StoredUnit {
  id: string
  type: string
  audio_script: string | null
}

/** Speakable by the rule in lib/tts/unit-script.ts, restated: an audio script, or a scenario's lines. */
const speakable = (unit: StoredUnit) => unit.audio_script !== null || unit.type === 'scenario'

async function sharedTopic(slug: string): Promise<Topic> {
  const { topic } = await insertTopic(test.ctx.sql, { slug, title: slug, language: 'en', description: `All about ${slug}.`, aliases: [], embedding: null, embeddingModel: null, status: 'ready', now: test.clock.now() })
  return topic
}

async function insertUnit(topicId: string, type: string, audioScript: string | null, conceptKeys = ['shared-concept']): Promise<string> {
  const [row] = await test.ctx.sql<{ id: string }[]>`
    insert into units (topic_id, type, quiz_kind, format, body, concept_keys, difficulty, rating, est_seconds, language, audio_script, prompt, provider, model)
    values (${topicId}, ${type}, ${type === 'quiz' ? 'true_false' : null}, ${type === 'quiz' ? 'quiz' : 'text'},
      ${test.ctx.sql.json(type === 'quiz' ? { kind: 'true_false', statement: 'Ice flows.', correct: true } : { text: `A ${type}.` })},
      ${conceptKeys}, 3, 1000, 20, 'en', ${audioScript}, 'test@v1', 'test', 'test')
    returning id`
  return row!.id
}

/** Runs the synthesize-audio worker for one unit's queued job, as the consumer would. */
async function runAudioJob(unitId: string): Promise<void> {
  const [, worker] = workerFunctions().find(([, fn]) => fn.queue === synthesizeAudioQueue)!
  const messages = await test.ctx.queue.receive(synthesizeAudioQueue, { max: 100, visibilityTimeoutSeconds: 1 })
  const message = messages.find((candidate) => (candidate.body as { unitId: string }).unitId === unitId)
  expect(message, `a job for ${unitId}`).toBeDefined()
  expect(await runWorkerMessage(test.ctx, worker, message!)).toEqual({ ok: true })
  await test.ctx.queue.ack(message!)
  // The others go back to waiting.
  for (const other of messages) if (other !== message) await test.ctx.queue.retry(other, { delaySeconds: 0, error: 'not this test' })
}

describe('synthesize-audio jobs for new units', () => {
  let generated: StoredUnit[] = []

  it('the content engine queues one job per stored unit that can be spoken, none for the rest', async () => {
    const before = await waitingAudioJobs(test.ctx)
    const topic = await sharedTopic('earth-science')
    const result = await generateBatch(test.ctx, { topic, count: 8, caller: { purpose: 'refill' }, source: { title: 'Earth science', text: sourceText } })
    expect(result.outcome).toBe('stored')
    generated = result.units
    expect(generated.filter(speakable).length).toBeGreaterThan(0)
    expect(generated.filter((unit) => !speakable(unit)).length).toBeGreaterThan(0)
    const queued = (await waitingAudioJobs(test.ctx)).filter((id) => !before.includes(id))
    expect(queued).toEqual(generated.filter(speakable).map((unit) => unit.id).sort())
  })

  it('regeneration queues the new version’s audio once', async () => {
    const target = generated.find((unit) => unit.type === 'insight')!
    await test.ctx.sql`delete from jobs where queue = ${synthesizeAudioQueue}`
    const script = Array.from({ length: 16 }, () => 'Ice sheets store most of the fresh water on Earth.').join(' ')
    const draft = { type: 'insight', body: { text: 'Ice sheets hold about two thirds of the fresh water on Earth, locked up for thousands of years.' }, conceptKeys: ['ice-sheets'], difficulty: 2, tags: [], audioScript: script }
    // A model that rewrites the unit (regeneration needs a provider); embeddings stay offline.
    const withModel: Ctx = {
      ...test.ctx,
      ai: {
        ...test.ctx.ai,
        hasProvider: true,
        generate: async () => ({ status: 'ok', value: { units: [draft] } as never, prompt: 'unit-batch@v1', usage: { provider: 'openai', model: 'gpt-4o', tokensIn: 1, tokensOut: 1, costUsd: 0, cached: false, latencyMs: 1 } }),
      },
    }
    const result = await regenerateUnit(withModel, target.id, { actorId: null })
    expect(result.unit).toMatchObject({ id: target.id, version: 2, audio_script: script, audio: null })
    expect(await waitingAudioJobs(test.ctx)).toEqual([target.id])
  })

  it('a learner’s source queues one job per unit that can be spoken', async () => {
    await test.ctx.sql`delete from jobs where queue = ${synthesizeAudioQueue}`
    const { accessToken } = await createSignedInUser(test.ctx)
    const created = await call(app, 'POST', '/api/v1/sources', { token: accessToken, body: { title: 'My earth notes', text: sourceText } })
    expect(created.status).toBe(202)
    const [, ingest] = workerFunctions().find(([, fn]) => fn.queue === ingestSourceQueue)!
    for (;;) {
      const messages = await test.ctx.queue.receive(ingestSourceQueue, { max: 5, visibilityTimeoutSeconds: 300 })
      if (messages.length === 0) break
      for (const message of messages) {
        expect(await runWorkerMessage(test.ctx, ingest, message)).toEqual({ ok: true })
        await test.ctx.queue.ack(message)
      }
    }
    const units = await test.ctx.sql<StoredUnit[]>`select id, type, audio_script from units where citation ->> 'sourceId' = ${created.body.source_id}`
    expect(units.filter(speakable).length).toBeGreaterThan(0)
    expect(units.filter((unit) => !speakable(unit)).length).toBeGreaterThan(0)
    expect(await waitingAudioJobs(test.ctx)).toEqual(units.filter(speakable).map((unit) => unit.id).sort())
  })
})

describe('POST /api/v1/units/:id/branch {kind: audio}', () => {
  it('voices the unit itself and is ready once its audio is', async () => {
    await test.ctx.sql`delete from jobs where queue in (${synthesizeAudioQueue}, ${refillQueue})`
    const topic = await sharedTopic('branch-audio')
    const source = await insertUnit(topic.id, 'insight', 'Glaciers flow downhill, slowly, under their own weight.')
    const { accessToken } = await createSignedInUser(test.ctx)

    const branch = await call(app, 'POST', `/api/v1/units/${source}/branch`, { token: accessToken, body: { kind: 'audio' } })
    expect(branch.body).toMatchObject({ kind: 'audio', status: 'pending', unit: null })
    // Asking again, and polling, never piles up jobs; no refill is needed for this.
    await call(app, 'POST', `/api/v1/units/${source}/branch`, { token: accessToken, body: { kind: 'audio' } })
    expect((await call(app, 'GET', `/api/v1/branches/${branch.body.id}`, { token: accessToken })).body.status).toBe('pending')
    expect(await waitingAudioJobs(test.ctx)).toEqual([source])
    expect(await test.ctx.queue.receive(refillQueue, { max: 5, visibilityTimeoutSeconds: 60 })).toEqual([])

    await runAudioJob(source)
    const ready = await call(app, 'GET', `/api/v1/branches/${branch.body.id}`, { token: accessToken })
    expect(ready.body).toMatchObject({ status: 'ready', unit: { id: source, audio: { url: expect.any(String), duration_ms: expect.any(Number), transcript: expect.any(String) } } })
    // Already voiced: ready at once.
    const again = await call(app, 'POST', `/api/v1/units/${source}/branch`, { token: accessToken, body: { kind: 'audio' } })
    expect(again.body).toMatchObject({ status: 'ready', unit: { id: source } })
  })

  it('from a unit that cannot be spoken, voices a related one; with none, waits for a refill', async () => {
    await test.ctx.sql`delete from jobs where queue in (${synthesizeAudioQueue}, ${refillQueue})`
    const topic = await sharedTopic('branch-related')
    const quiz = await insertUnit(topic.id, 'quiz', null)
    const related = await insertUnit(topic.id, 'example', 'For example, a glacier in Iceland moves a few metres a day.')
    await insertUnit(topic.id, 'definition', null)
    const { accessToken } = await createSignedInUser(test.ctx)

    const branch = await call(app, 'POST', `/api/v1/units/${quiz}/branch`, { token: accessToken, body: { kind: 'audio' } })
    expect(branch.body).toMatchObject({ status: 'pending', unit: null })
    expect(await waitingAudioJobs(test.ctx)).toEqual([related])
    await runAudioJob(related)
    expect((await call(app, 'GET', `/api/v1/branches/${branch.body.id}`, { token: accessToken })).body).toMatchObject({ status: 'ready', unit: { id: related, audio: { url: expect.any(String) } } })

    const silentTopic = await sharedTopic('branch-silent')
    const lonely = await insertUnit(silentTopic.id, 'quiz', null)
    await insertUnit(silentTopic.id, 'definition', null)
    const waiting = await call(app, 'POST', `/api/v1/units/${lonely}/branch`, { token: accessToken, body: { kind: 'audio' } })
    expect(waiting.body.status).toBe('pending')
    expect(await waitingAudioJobs(test.ctx)).toEqual([])
    const refills = await test.ctx.queue.receive(refillQueue, { max: 5, visibilityTimeoutSeconds: 60 })
    expect(refills.map((message) => (message.body as { topicId: string }).topicId)).toEqual([silentTopic.id])
  })
})
