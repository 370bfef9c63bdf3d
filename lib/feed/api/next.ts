import { z } from 'zod'
import type { Ctx } from '../../context.ts'
import type { AuthUser } from '../../platform/define.ts'
import { ensureStock } from '../../content/reservoir.ts'
import { ensureLibraryStock } from '../../sources/pipeline.ts'
import { loadFeedInputs, markBreakOffered, recordServed } from '../../db/feed.ts'
import type { RenderRow } from '../../db/feed.ts'
import { unitEmbeddings } from '../../db/unit-embeddings.ts'
import { localHour } from '../habit.ts'
import { modeRules } from '../modes.ts'
import type { ClientFlags } from '../modes.ts'
import { nextUnits } from '../rank.ts'
import { contextModes } from '../types.ts'
import type { Candidate, ContextMode, Reason, UnitItem } from '../types.ts'
import { publicAudio, publicBody } from './render.ts'
import type { AudioView } from './render.ts'
import { candidateFromRow, learnerStateFrom } from './state.ts'
import { requestMissingAudio } from './voicing.ts'

/** `GET /api/v1/feed/next`: load in one statement, rank in process, record what was served. */

export const FeedNextQuery = z.object({
  limit: z.coerce.number().int().min(1).max(20).default(5),
  /** Overrides the learner's context preference for this request. */
  mode: z.enum(contextModes).optional(),
})
export type FeedNextQuery = z.infer<typeof FeedNextQuery>

/** Unseen units loaded per followed topic; the ranking needs choice, not the whole reservoir. */
export const candidatesPerTopic = 30
/** Due concepts considered per request (reviews are at most one in four anyway). */
export const dueConsidered = 8
/** A low reservoir is reported to the content engine at most this often per topic. */
const refillCheckSeconds = 300

export interface FeedUnitView {
  kind: 'unit'
  id: string
  type: string
  quiz_kind: string | null
  format: string
  role: string
  autoplay: boolean
  topic: { id: string; title: string }
  difficulty: number
  body: Record<string, unknown>
  audio: AudioView | null
  citation: Record<string, unknown> | null
  reason: Reason
}

export interface FeedBreakView {
  kind: 'break'
  minutes: number
  reason: Reason
}

export interface FeedNextResult {
  mode: ContextMode
  client: ClientFlags
  units: (FeedUnitView | FeedBreakView)[]
  /**
   * In a mode that serves only voiced units (driving), how many more are being voiced when this
   * page came up short; the client can say audio is on its way and ask again. Otherwise 0.
   */
  pending_audio: number
  /** The learner follows a topic or has a library: an empty page means caught up, not "pick a topic". */
  has_topics: boolean
}

/** The same learner asking in the same millisecond gets the same feed; otherwise the seed moves. */
export function seedFor(userId: string, now: Date): number {
  let hash = 2166136261 ^ (now.getTime() % 2 ** 31)
  for (let index = 0; index < userId.length; index += 1) hash = Math.imul(hash ^ userId.charCodeAt(index), 16777619)
  return hash >>> 0
}

export async function feedNext(ctx: Ctx, user: AuthUser, query: FeedNextQuery): Promise<FeedNextResult> {
  const now = ctx.clock.now()
  const inputs = await loadFeedInputs(ctx.sql, { userId: user.id, now, perTopic: candidatesPerTopic, dueLimit: dueConsidered })
  const state = learnerStateFrom(user.id, inputs, inputs.cards)
  // Similarity to the learner's likes needs vectors only once there is a centroid to compare with.
  const embeddings = state.centroid ? await unitEmbeddings(ctx.sql, inputs.candidates) : new Map<string, Float32Array | null>()
  const candidates = inputs.candidates.map((row) => candidateFromRow(row, embeddings.get(row.id) ?? null))
  const mode = query.mode ?? state.preferences.contextMode
  const context = { mode, localHour: localHour(now, state.preferences.timeZone) }
  const rules = modeRules(context)
  const items = nextUnits(state, candidates, context, { limit: query.limit, now, seed: seedFor(user.id, now) })

  const unitIds = items.flatMap((item) => (item.kind === 'unit' ? [item.unitId] : []))
  const rendered = new Map((await recordServed(ctx.sql, user.id, unitIds, now)).map((row) => [row.id, row]))
  if (items.some((item) => item.kind === 'break')) await markBreakOffered(ctx.sql, user.id, now)
  await reportLowStock(ctx, inputs.unseen.filter((topic) => topic.kind === 'shared'))
  const library = inputs.unseen.find((topic) => topic.kind === 'library')
  if (library) await reportLowLibrary(ctx, user.id, library.count)

  const byId = new Map(candidates.map((candidate) => [candidate.unitId, candidate]))
  const units = await Promise.all(
    items.map(async (item): Promise<FeedUnitView | FeedBreakView> => {
      if (item.kind === 'break') return { kind: 'break', minutes: item.minutes, reason: item.reason }
      return renderUnit(ctx, item, byId.get(item.unitId)!, rendered.get(item.unitId)!)
    }),
  )
  // Short of voiced units while driving: have the silent ones voiced (the hands-free queue does the same).
  const pending = rules.audioOnly && items.length < query.limit ? await requestMissingAudio(ctx, context, candidates) : 0
  return { mode, client: rules.client, units, pending_audio: pending, has_topics: inputs.unseen.length > 0 }
}

/** A served unit as the client gets it (also the driving queue's): no answer keys, audio signed now. */
export async function renderUnit(ctx: Ctx, item: UnitItem, candidate: Candidate, row: RenderRow): Promise<FeedUnitView> {
  return {
    kind: 'unit',
    id: item.unitId,
    type: item.type,
    quiz_kind: item.quizKind,
    format: item.format,
    role: item.role,
    autoplay: item.autoplay,
    topic: { id: candidate.topicId, title: candidate.topicTitle ?? '' },
    difficulty: candidate.difficulty,
    body: publicBody(item.type, row.body),
    audio: await publicAudio(ctx.storage, row.audio),
    citation: row.citation,
    reason: item.reason,
  }
}

/** Shared topics whose unseen stock for this learner ran low get a refill check (throttled per topic). */
export async function reportLowStock(ctx: Ctx, unseen: { topic_id: string; count: number }[]): Promise<void> {
  for (const topic of unseen) {
    if (topic.count >= ctx.config.CONTENT_REFILL_THRESHOLD) continue
    const first = await ctx.kv.set(`feed:refill-check:${topic.topic_id}`, 1, { ttlSeconds: refillCheckSeconds, onlyIfAbsent: true })
    if (!first) continue
    try {
      await ensureStock(ctx, topic.topic_id)
    } catch (error) {
      // The learner still gets their feed; the next check in five minutes tries again.
      ctx.log.warn('refill check failed', { topicId: topic.topic_id, error: error instanceof Error ? error : String(error) })
    }
  }
}

/**
 * Big documents are turned into units a part at a time: when the learner's unseen library units run
 * low, the next chunks of their sources are queued (checked at most every five minutes per learner).
 */
export async function reportLowLibrary(ctx: Ctx, userId: string, unseen: number): Promise<void> {
  if (unseen >= ctx.config.CONTENT_REFILL_THRESHOLD) return
  const first = await ctx.kv.set(`feed:library-check:${userId}`, 1, { ttlSeconds: refillCheckSeconds, onlyIfAbsent: true })
  if (!first) return
  try {
    await ensureLibraryStock(ctx, userId, { unseenByLearner: unseen })
  } catch (error) {
    ctx.log.warn('library top-up failed', { userId, error: error instanceof Error ? error : String(error) })
  }
}
