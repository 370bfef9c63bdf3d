import { z } from 'zod'
import type { Ctx } from '../../context.ts'
import type { AuthUser } from '../../platform/define.ts'
import { findRenderRows, loadFeedInputs } from '../../db/feed.ts'
import { findUnitAudioFacts } from '../../db/unit-audio.ts'
import { unitEmbeddings } from '../../db/unit-embeddings.ts'
import { fillDuration } from '../duration.ts'
import { localHour } from '../habit.ts'
import { nextUnits } from '../rank.ts'
import type { Context, UnitItem } from '../types.ts'
import { candidatesPerTopic, dueConsidered, renderUnit, reportLowLibrary, reportLowStock, seedFor } from './next.ts'
import type { FeedUnitView } from './next.ts'
import { candidateFromRow, learnerStateFrom } from './state.ts'
import { requestMissingAudio } from './voicing.ts'

/**
 * `GET /api/v1/feed/audio-queue?minutes=N` (issue 7, point 3): the hands-free driving queue. The
 * feed's own loader and ranking in driving mode, over the candidates whose audio is ready, served in
 * the engine's order until the clips add up to N minutes (fewer when the stock is thin). Candidates
 * that could be spoken but have no audio yet get their synthesis queued — that is how the starter
 * pack and anything whose job was lost get voiced — and are counted in `pending`, so the client
 * knows asking again later will bring more.
 */

export const AudioQueueQuery = z.object({
  minutes: z.coerce.number().int().min(1).max(180).default(30),
})
export type AudioQueueQuery = z.infer<typeof AudioQueueQuery>

export interface AudioQueueResult {
  units: FeedUnitView[]
  duration_ms: number
  pending: number
}

/**
 * Unseen units loaded per topic: as many as the feed loads, more for a long drive (two per minute,
 * up to 240), since only the ones with audio ready can be played.
 */
export function perTopicFor(minutes: number): number {
  return Math.min(240, Math.max(candidatesPerTopic, minutes * 2))
}

export async function audioQueue(ctx: Ctx, user: AuthUser, query: AudioQueueQuery): Promise<AudioQueueResult> {
  const now = ctx.clock.now()
  const inputs = await loadFeedInputs(ctx.sql, { userId: user.id, now, perTopic: perTopicFor(query.minutes), dueLimit: dueConsidered })
  const state = learnerStateFrom(user.id, inputs, inputs.cards)
  const embeddings = state.centroid ? await unitEmbeddings(ctx.sql, inputs.candidates) : new Map<string, Float32Array | null>()
  const candidates = inputs.candidates.map((row) => candidateFromRow(row, embeddings.get(row.id) ?? null))
  const facts = new Map((await findUnitAudioFacts(ctx.sql, candidates.map((candidate) => candidate.unitId))).map((row) => [row.id, row]))
  const context: Context = { mode: 'driving', localHour: localHour(now, state.preferences.timeZone) }

  const pending = await requestMissingAudio(ctx, context, candidates, facts)

  // The driving rules would also let a true/false quiz be asked without a clip; this queue is clips only.
  const ready = candidates.filter((candidate) => candidate.hasAudio)
  const byId = new Map(ready.map((candidate) => [candidate.unitId, candidate]))
  const lengthOf = (unitId: string) => facts.get(unitId)?.duration_ms ?? byId.get(unitId)!.estimatedSeconds * 1000
  const wantedMs = query.minutes * 60_000
  // The ranking is greedy, so a longer list only extends a shorter one: rank no more units than the
  // shortest clips would need (ranking is quadratic in the list), plus a slot for a break card.
  const shortestMs = Math.max(1000, ready.reduce((shortest, candidate) => Math.min(shortest, lengthOf(candidate.unitId)), Infinity))
  const limit = Math.min(ready.length, Math.ceil(wantedMs / shortestMs)) + 1
  const ranked = nextUnits(state, ready, context, { limit, now, seed: seedFor(user.id, now) })
  const { items: chosen } = fillDuration(
    ranked.filter((item): item is UnitItem => item.kind === 'unit'),
    (item) => lengthOf(item.unitId),
    wantedMs,
  )

  // Not marked seen here, unlike feed/next: half an hour is queued at a time and a drive may end
  // after ten minutes. Each clip is seen when it starts playing (the view's impression event); until
  // then the next request may offer it again, and the view keeps one copy.
  const rendered = new Map((await findRenderRows(ctx.sql, chosen.map((item) => item.unitId))).map((row) => [row.id, row]))
  await reportLowStock(ctx, inputs.unseen.filter((topic) => topic.kind === 'shared'))
  const library = inputs.unseen.find((topic) => topic.kind === 'library')
  if (library) await reportLowLibrary(ctx, user.id, library.count)

  const views = await Promise.all(chosen.map((item) => renderUnit(ctx, item, byId.get(item.unitId)!, rendered.get(item.unitId)!)))
  // A unit whose audio was cleared since the candidates were read (regenerated) has nothing to play.
  const units = views.filter((view) => view.audio !== null)
  const duration = units.reduce((sum, view) => sum + (view.audio!.duration_ms ?? lengthOf(view.id)), 0)
  return { units, duration_ms: duration, pending }
}
