import { z } from 'zod'
import type { Ctx } from '../../context.ts'
import type { AuthUser } from '../../platform/define.ts'
import { AppError } from '../../errors.ts'
import { findLearnerTopic, loadPackInputs } from '../../db/pack.ts'
import type { ServableUnitRow } from '../../db/saved-units.ts'
import { unitEmbeddings } from '../../db/unit-embeddings.ts'
import { estimateUnitMs, fillDuration } from '../duration.ts'
import { nextUnits } from '../rank.ts'
import { topicState } from '../types.ts'
import type { Candidate, UnitItem } from '../types.ts'
import { seedFor } from './next.ts'
import type { FeedUnitView } from './next.ts'
import { browsingContext, browsingItem, candidateFromServable, renderServable } from './servable.ts'
import { playableDurationMs } from './render.ts'
import { learnerStateFrom } from './state.ts'

/**
 * `GET /api/v1/feed/pack?topic_id=&minutes=15|30|60` (issue 8, the offline pack): enough units of
 * one of the learner's topics for a flight or a tunnel, rendered as the feed renders them so the
 * client can store them and their audio. Order: the unseen units as the feed's ranking would serve
 * them (difficulty window, mix, due reviews), then unseen ones the ranking left out (quizzes beyond
 * its quiz slots, concepts scheduled for later) nearest the learner's level, then units already seen,
 * the longest ago first. Taken until the estimates (lib/feed/duration.ts) cover the minutes, or the
 * stock runs out. Nothing is recorded: the client reports impressions when it shows the units.
 */

export const packMinutes = [15, 30, 60] as const

export const PackQuery = z.object({
  topic_id: z.uuid(),
  minutes: z.coerce.number().pipe(z.literal(packMinutes, { error: 'must be 15, 30 or 60' })),
})
export type PackQuery = z.infer<typeof PackQuery>

export interface PackResult {
  topic: { id: string; title: string }
  minutes: number
  units: FeedUnitView[]
  duration_ms: number
}

/**
 * Units loaded per part (unseen, seen): at the shortest estimates (a 4 s glance, a 20 s quiz) a
 * minute takes up to about eight units.
 */
export function unitsPerPart(minutes: number): number {
  return minutes * 8
}

const refresherReason = { code: 'refresher', text: 'Seen before: worth another look' } as const

export async function feedPack(ctx: Ctx, user: AuthUser, query: PackQuery): Promise<PackResult> {
  // Topics the learner does not follow and other learners' libraries look the same: absent.
  const topic = await findLearnerTopic(ctx.sql, user.id, query.topic_id)
  if (!topic) throw new AppError('not_found', { message: 'No such topic.' })
  const now = ctx.clock.now()
  const inputs = await loadPackInputs(ctx.sql, { userId: user.id, topicId: topic.id, perPart: unitsPerPart(query.minutes) })
  const state = learnerStateFrom(user.id, inputs, inputs.cards)
  const embeddings = state.centroid ? await unitEmbeddings(ctx.sql, inputs.unseen) : new Map<string, Float32Array | null>()

  const rows = new Map([...inputs.unseen, ...inputs.seen].map((row) => [row.id, row]))
  const unseen = inputs.unseen.map((row) => candidateFromServable(row, embeddings.get(row.id) ?? null))
  const ranked = nextUnits(state, unseen, browsingContext, { limit: unseen.length + 1, now, seed: seedFor(user.id, now) }).filter(
    (item): item is UnitItem => item.kind === 'unit',
  )
  const rankedIds = new Set(ranked.map((item) => item.unitId))
  const level = topicState(state, topic.id).rating
  const leftOver = unseen
    .filter((candidate) => !rankedIds.has(candidate.unitId))
    .sort((a, b) => Math.abs(a.itemRating - level) - Math.abs(b.itemRating - level) || a.unitId.localeCompare(b.unitId))
  const byId = new Map<string, Candidate>(unseen.map((candidate) => [candidate.unitId, candidate]))
  const seen = inputs.seen.map((row) => candidateFromServable(row))
  for (const candidate of seen) byId.set(candidate.unitId, candidate)

  const ordered: UnitItem[] = [
    ...ranked,
    ...leftOver.map((candidate) => browsingItem(candidate, { code: 'next', text: `Next in ${topic.title}` })),
    ...seen.map((candidate) => browsingItem(candidate, refresherReason)),
  ]
  const { items, durationMs } = fillDuration(ordered, (item) => estimateOf(rows.get(item.unitId)!), query.minutes * 60_000)
  const units = await Promise.all(items.map((item) => renderServable(ctx, item, byId.get(item.unitId)!, rows.get(item.unitId)!)))
  return { topic, minutes: query.minutes, units, duration_ms: durationMs }
}

function estimateOf(row: ServableUnitRow): number {
  return estimateUnitMs({ type: row.type, body: row.body, audioDurationMs: playableDurationMs(row.audio) })
}
