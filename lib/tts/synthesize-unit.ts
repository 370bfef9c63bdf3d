import { z } from 'zod'
import type { Ctx } from '../context.ts'
import type { Queryable } from '../db/index.ts'
import { runOnce } from '../jobs/idempotency.ts'
import { recordUsage } from '../ai/usage.ts'
import { audioObjectKey, findCachedAudio, storedAudioDurationMs } from './cache.ts'
import { createTts, maxSpeed, minSpeed, type SynthesizeRequest, type Tts } from './index.ts'
import { isAudioWorthy, speechScript, type SpeakableUnit } from './unit-script.ts'

export const synthesizeAudioQueue = 'synthesize-audio'

export const SynthesizeAudioMessage = z.object({
  unitId: z.uuid(),
  voice: z.enum(['female', 'male']).optional(),
  speed: z.number().min(minSpeed).max(maxSpeed).optional(),
})
export type SynthesizeAudioMessage = z.output<typeof SynthesizeAudioMessage>

/** For the content engine (audio-worthy units as they are stored) and the "turn this into audio" branch. */
export async function queueUnitAudio(ctx: Ctx, message: SynthesizeAudioMessage): Promise<void> {
  await ctx.queue.send(synthesizeAudioQueue, message, { dedupeKey: `audio:${message.unitId}:${message.voice ?? ''}:${message.speed ?? ''}` })
}

/**
 * Queues synthesis for the audio-worthy ones of `units` (call it after the transaction that wrote
 * them commits, so the worker finds them); returns the ids queued. The dedupe key makes a repeat a no-op
 * while the unit's job waits. A failure to queue is logged, not thrown: the units are stored, and the
 * driving queue asks again for every candidate it sees without audio.
 */
export async function queueAudioForUnits(ctx: Ctx, units: readonly (SpeakableUnit & { id: string })[]): Promise<string[]> {
  const worthy = units.filter(isAudioWorthy).map((unit) => unit.id)
  const queued: string[] = []
  try {
    for (const unitId of worthy) {
      await queueUnitAudio(ctx, { unitId })
      queued.push(unitId)
    }
  } catch (error) {
    ctx.log.warn('queueing unit audio failed', { units: worthy.length, queued: queued.length, error: error instanceof Error ? error : String(error) })
  }
  return queued
}

/** What `units.audio` holds once a unit has audio; the feed signs `key` each time it serves the unit. */
export interface UnitAudio {
  key: string
  /** The cache key (lib/tts/cache.ts), also the object's file name. */
  hash: string
  duration_ms: number
  transcript: string
  /** The narrator's voice asked for; `voices` are the provider's names for what was used. */
  voice: 'female' | 'male'
  voices: string[]
  speed: number
  provider: string
  model: string
}

/** Stored beside each clip (`<hash>.json`), so a cache hit knows what it holds without decoding it. */
interface ClipInfo {
  duration_ms: number
  provider: string
  model: string
  voices: string[]
}

export type SynthesizeUnitOutcome =
  | { status: 'stored' | 'cached'; audio: UnitAudio; applied: boolean }
  | { status: 'unchanged'; audio: UnitAudio }
  | { status: 'skipped'; reason: 'not_found' | 'retired' | 'no_script' }

interface UnitRow {
  id: string
  type: string
  body: Record<string, unknown>
  language: string
  audio_script: string | null
  audio: Partial<UnitAudio> | null
  status: string
  version: number
  topic_id: string
  topic_kind: string
  owner_user_id: string | null
}

const ttsByContext = new WeakMap<Ctx, Tts>()

/** One Tts per context (per process), its usage rows written to the context's usage log. */
export function ttsFor(ctx: Ctx): Tts {
  let tts = ttsByContext.get(ctx)
  if (!tts) {
    const deps = { config: ctx.config, sql: ctx.sql, clock: ctx.clock, log: ctx.log }
    tts = createTts(ctx.config, { log: ctx.log, recordUsage: (record) => recordUsage(deps, record) })
    ttsByContext.set(ctx, tts)
  }
  return tts
}

/**
 * Gives a unit its audio: the script (a scenario's lines as a two-voice dialogue, else the unit's
 * audio script) is synthesised unless the clip for its cache key is already stored, the clip is
 * stored at `audio/<topic or user>/<unit>/<hash>.mp3`, and only then `units.audio` is set, in one
 * update. A storage failure throws, so the job is retried and the unit never points at a clip that
 * is not there. Synthesis runs outside the database transaction: it takes seconds and writes usage
 * rows of its own.
 */
export async function synthesizeUnitAudio(ctx: Ctx, message: SynthesizeAudioMessage, tts: Tts = ttsFor(ctx)): Promise<SynthesizeUnitOutcome> {
  const unit = await findUnitForAudio(ctx.sql, message.unitId)
  if (!unit) return { status: 'skipped', reason: 'not_found' }
  if (unit.status === 'retired') return { status: 'skipped', reason: 'retired' }
  const script = speechScript(unit)
  if (!script) return { status: 'skipped', reason: 'no_script' }

  const voice = message.voice ?? 'female'
  const speed = message.speed ?? 1
  // A learner's library is theirs: its audio lives under their id, so erasing the account can remove it.
  const scope = unit.topic_kind === 'library' && unit.owner_user_id ? unit.owner_user_id : unit.topic_id
  const request: SynthesizeRequest = {
    script,
    voice,
    speed,
    language: unit.language,
    caller: { purpose: 'unit-audio', ...(unit.topic_kind === 'library' && unit.owner_user_id ? { userId: unit.owner_user_id } : {}) },
  }
  const hash = tts.cacheKey(request)
  if (unit.audio?.hash === hash && unit.audio.key) return { status: 'unchanged', audio: unit.audio as UnitAudio }

  const key = audioObjectKey({ scope, unitId: unit.id, hash })
  const infoKey = key.replace(/\.mp3$/, '.json')
  let info = (await findCachedAudio(ctx.storage, key)) ? await readClipInfo(ctx, infoKey, key) : null
  const status = info ? 'cached' : 'stored'
  if (!info) {
    const result = await tts.synthesize(request)
    info = { duration_ms: result.durationMs, provider: result.provider, model: result.model, voices: result.voices }
    // The description first: a clip that exists always has one, since the clip's head is the cache check.
    await ctx.storage.put(infoKey, Buffer.from(JSON.stringify(info)), { contentType: 'application/json' })
    await ctx.storage.put(key, result.mp3, { contentType: 'audio/mpeg' })
  }

  const audio: UnitAudio = { key, hash, transcript: tts.transcript(request), voice, speed, ...info }
  // Keyed by version too: a regenerated unit with the same words gets its audio attached again.
  const outcome = await runOnce(ctx.sql, `synthesize-audio:${unit.id}:${unit.version}:${hash}`, (tx) => setUnitAudio(tx, unit.id, unit.version, audio))
  const applied = outcome.applied && outcome.result
  if (!applied) ctx.log.info('unit audio not attached: the unit changed meanwhile or the job ran before', { unitId: unit.id })
  return { status, audio, applied }
}

async function readClipInfo(ctx: Ctx, infoKey: string, key: string): Promise<ClipInfo | null> {
  const stored = await ctx.storage.get(infoKey)
  if (stored) {
    try {
      return JSON.parse(stored.body.toString('utf8')) as ClipInfo
    } catch {
      // A damaged description: measure the clip instead.
    }
  }
  const durationMs = await storedAudioDurationMs(ctx.storage, key)
  return durationMs === null ? null : { duration_ms: durationMs, provider: 'unknown', model: 'unknown', voices: [] }
}

async function findUnitForAudio(sql: Queryable, unitId: string): Promise<UnitRow | null> {
  const [row]: [UnitRow?] = await sql`
    select u.id, u.type, u.body, u.language, u.audio_script, u.audio, u.status, u.version, u.topic_id,
           t.kind as topic_kind, t.owner_user_id
    from units u join topics t on t.id = u.topic_id
    where u.id = ${unitId}`
  return row ?? null
}

/** Only the version the audio was made from: a unit regenerated meanwhile keeps `audio` null for its own job. */
async function setUnitAudio(sql: Queryable, unitId: string, version: number, audio: UnitAudio): Promise<boolean> {
  const updated = await sql`
    update units set audio = ${sql.json(audio as never)}
    where id = ${unitId} and version = ${version}`
  return updated.count === 1
}
