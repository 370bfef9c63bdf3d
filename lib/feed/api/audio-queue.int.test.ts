import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../../tests/support/test-app.ts'
import { call, createLearnerFollowing } from '../../../tests/support/accounts.ts'
import { workerFunctions } from '../../../functions/registry.ts'
import { runWorkerMessage } from '../../queue/consumer.ts'
import { starterTopicId } from '../../content/starter-sql.ts'
import { synthesizeAudioQueue, ttsFor } from '../../tts/synthesize-unit.ts'
import { waitingAudioJobs } from '../../../tests/support/audio-jobs.ts'

/**
 * `GET /api/v1/feed/audio-queue` through the HTTP app on PostgreSQL and PGlite: the feed engine in
 * driving mode over units whose audio is ready, enough for the minutes asked, and synthesis queued
 * for the starter pack's units that have none yet.
 */
useTestApp({ now: '2026-03-02T09:00:00Z', env: { TTS_OFFLINE_ENGINE: 'espeak-ng' } })
afterAll(async () => {
  if (test) await ttsFor(test.ctx).close()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Unit = Record<string, any>

async function audioQueue(token: string, minutes: number): Promise<{ units: Unit[]; duration_ms: number; pending: number }> {
  const response = await call(app, 'GET', `/api/v1/feed/audio-queue?minutes=${minutes}`, { token })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body as never
}

/** Units of a topic that can be spoken (an audio script, or a scenario's lines) and have no audio. */
async function silentSpeakable(topicId: string): Promise<string[]> {
  const rows = await test.ctx.sql<{ id: string }[]>`
    select id from units where topic_id = ${topicId} and status = 'active' and audio is null and type <> 'quiz'
      and (audio_script is not null or type = 'scenario') order by id`
  return rows.map((row) => row.id)
}

describe('GET /api/v1/feed/audio-queue', () => {
  it('plays only units with audio ready, in the engine’s driving order, until the minutes are filled', async () => {
    const topicId = starterTopicId('how-sleep-works')
    const voiced = await test.ctx.sql<{ id: string }[]>`
      update units set audio = jsonb_build_object('key', 'audio/' || id || '/a.mp3', 'duration_ms', 60000, 'transcript', audio_script)
      where topic_id = ${topicId} and type <> 'quiz' and audio_script is not null
        and id <> (select min(id::text)::uuid from units where topic_id = ${topicId} and type = 'insight') returning id`
    // Driving may ask a true/false question aloud, never a multiple-choice one, clip or not.
    const [trueFalse] = await test.ctx.sql<{ id: string }[]>`
      update units set audio = jsonb_build_object('key', 'audio/' || id || '/q.mp3', 'duration_ms', 20000, 'transcript', 'True or false?')
      where id = (select id from units where topic_id = ${topicId} and quiz_kind = 'true_false' order by id limit 1) returning id`
    const [multipleChoice] = await test.ctx.sql<{ id: string }[]>`
      update units set audio = jsonb_build_object('key', 'audio/' || id || '/q.mp3', 'duration_ms', 20000, 'transcript', 'Which one?')
      where id = (select id from units where topic_id = ${topicId} and quiz_kind = 'mcq' order by id limit 1) returning id`
    expect(voiced.length).toBeGreaterThan(6)
    const silent = await silentSpeakable(topicId)
    expect(silent.length).toBeGreaterThan(0)
    const { accessToken, user } = await createLearnerFollowing(test.ctx, 'how-sleep-works')

    const first = await audioQueue(accessToken, 3)
    expect(first.units).toHaveLength(3)
    expect(first.duration_ms).toBe(180_000)
    expect(first.units[0]!.reason).toEqual({ code: 'new_topic', text: 'New topic you followed' })
    for (const unit of first.units) {
      expect(unit).toMatchObject({ kind: 'unit', format: 'audio', autoplay: true, topic: { id: topicId }, audio: { url: expect.stringContaining(`/a.mp3`), duration_ms: 60000, transcript: expect.any(String) } })
    }
    // Queued is not seen (a drive may end before a clip plays): asked again, the same clips come.
    expect(await test.ctx.sql`select unit_id from unit_views where user_id = ${user.id}`).toEqual([])
    expect((await audioQueue(accessToken, 3)).units.map((unit) => unit.id)).toEqual(first.units.map((unit) => unit.id))
    // Each is seen when it starts playing: the view sends its impression.
    const events = first.units.map((unit) => ({ client_id: randomUUID(), timestamp: test.clock.now().toISOString(), type: 'impression', unit_id: unit.id, mode: 'driving', format: 'audio' }))
    expect((await call(app, 'POST', '/api/v1/feed/events', { token: accessToken, body: { events } })).status).toBe(202)
    // Speakable units without audio among the candidates (the newest of the topic) got their synthesis queued.
    expect(await waitingAudioJobs(test.ctx)).toHaveLength(first.pending)
    expect((await waitingAudioJobs(test.ctx)).every((id) => silent.includes(id))).toBe(true)

    // A long drive on a thin reservoir: what is left, never an error, never a repeat.
    const second = await audioQueue(accessToken, 180)
    const ids = second.units.map((unit) => unit.id)
    expect(ids.some((id) => first.units.some((unit) => unit.id === id))).toBe(false)
    expect(new Set([...ids, ...first.units.map((unit) => unit.id)])).toEqual(new Set([...voiced.map((row) => row.id), trueFalse!.id]))
    expect(ids).not.toContain(multipleChoice!.id)
    expect(second.units.every((unit) => unit.audio?.url && unit.format === 'audio')).toBe(true)
    expect(second.units.find((unit) => unit.id === trueFalse!.id)).toMatchObject({ type: 'quiz', quiz_kind: 'true_false', body: expect.not.objectContaining({ correct: expect.anything() }) })
    expect(second.duration_ms).toBe((voiced.length - 3) * 60_000 + 20_000)
    // A long drive loads the whole topic: every speakable unit without audio is queued, once.
    expect(second.pending).toBe(silent.length)
    expect(await waitingAudioJobs(test.ctx)).toEqual(silent)
  })

  it('queues synthesis for a fresh starter topic, and serves the audio once the worker made it', async () => {
    const topicId = starterTopicId('stoicism')
    const silent = await silentSpeakable(topicId)
    expect(silent.length).toBeGreaterThan(5)
    const before = await waitingAudioJobs(test.ctx)
    const { accessToken } = await createLearnerFollowing(test.ctx, 'stoicism')

    // Thirty minutes load the whole starter topic (`perTopicFor`).
    const first = await audioQueue(accessToken, 30)
    expect(first).toEqual({ units: [], duration_ms: 0, pending: silent.length })
    const queued = (await waitingAudioJobs(test.ctx)).filter((id) => !before.includes(id))
    expect(queued.sort()).toEqual(silent)
    // Asking again finds the jobs already waiting.
    expect((await audioQueue(accessToken, 30)).pending).toBe(silent.length)
    expect((await waitingAudioJobs(test.ctx)).filter((id) => !before.includes(id))).toHaveLength(silent.length)

    // The worker voices one of them (the shortest script, to keep the test quick).
    const [shortest] = await test.ctx.sql<{ id: string }[]>`
      select id from units where id = any(${silent}::uuid[]) and audio_script is not null order by length(audio_script), id limit 1`
    const [, worker] = workerFunctions().find(([, fn]) => fn.queue === synthesizeAudioQueue)!
    const messages = await test.ctx.queue.receive(synthesizeAudioQueue, { max: 100, visibilityTimeoutSeconds: 60 })
    const message = messages.find((candidate) => (candidate.body as { unitId: string }).unitId === shortest!.id)!
    expect(await runWorkerMessage(test.ctx, worker, message)).toEqual({ ok: true })
    await test.ctx.queue.ack(message)

    const after = await audioQueue(accessToken, 30)
    expect(after.units.map((unit) => unit.id)).toEqual([shortest!.id])
    const clip = after.units[0]!.audio
    expect(clip).toMatchObject({ url: expect.any(String), duration_ms: expect.any(Number), transcript: expect.any(String) })
    expect(clip.duration_ms).toBeGreaterThan(10_000)
    expect(after.duration_ms).toBe(clip.duration_ms)
    expect(after.pending).toBe(silent.length - 1)
  })

  it('has feed/next in driving mode, short of voiced units, ask for the silent ones and say how many', async () => {
    const topicId = starterTopicId('machine-learning-basics')
    const silent = await silentSpeakable(topicId)
    expect(silent.length).toBeGreaterThan(0)
    const before = await waitingAudioJobs(test.ctx)
    const { accessToken } = await createLearnerFollowing(test.ctx, 'machine-learning-basics')
    const next = (mode: string) => call(app, 'GET', `/api/v1/feed/next?limit=5&mode=${mode}`, { token: accessToken })

    // Reading needs no audio: nothing is queued and nothing is said to be coming.
    const idle = await next('idle')
    expect(idle.body.units).toHaveLength(5)
    expect(idle.body).toMatchObject({ pending_audio: 0, has_topics: true })
    expect(await waitingAudioJobs(test.ctx)).toEqual(before)

    // Driving serves only what can be heard; nothing of this topic is voiced yet.
    const driving = await next('driving')
    expect(driving.status).toBe(200)
    expect(driving.body.units.filter((unit: Unit) => unit.type !== 'quiz')).toEqual([])
    expect(driving.body.pending_audio).toBeGreaterThan(0)
    const queued = (await waitingAudioJobs(test.ctx)).filter((id) => !before.includes(id))
    expect(queued).toHaveLength(driving.body.pending_audio)
    expect(queued.every((id) => silent.includes(id))).toBe(true)
    expect(queued.some((id) => idle.body.units.some((unit: Unit) => unit.id === id))).toBe(false)
  })

  it('validates minutes (1..180, default 30) and needs a learner', async () => {
    const { accessToken } = await createLearnerFollowing(test.ctx, 'negotiation')
    for (const minutes of ['0', '181', 'abc', '1.5', '-3']) {
      const response = await call(app, 'GET', `/api/v1/feed/audio-queue?minutes=${minutes}`, { token: accessToken })
      expect(response.status, minutes).toBe(422)
      expect(response.body.error.code).toBe('validation_failed')
    }
    const defaulted = await call(app, 'GET', '/api/v1/feed/audio-queue', { token: accessToken })
    expect(defaulted.status).toBe(200)
    expect(defaulted.body).toMatchObject({ units: [], duration_ms: 0, pending: expect.any(Number) })
    expect((await call(app, 'GET', '/api/v1/feed/audio-queue?minutes=10')).status).toBe(401)
  })
})
