import type { Ctx } from '../../context.ts'
import { findUnitAudioFacts } from '../../db/unit-audio.ts'
import type { UnitAudioFactsRow } from '../../db/unit-audio.ts'
import { queueAudioForUnits } from '../../tts/synthesize-unit.ts'
import { isAudioWorthy } from '../../tts/unit-script.ts'
import { allowedInMode, modeRules } from '../modes.ts'
import type { Candidate, Context } from '../types.ts'

/** Syntheses one request may ask for; the rest are asked for by the next request. */
const maxAudioRequests = 100

/**
 * Queues synthesis for candidates without audio that can be spoken and that the context's mode
 * would serve once voiced (driving serves only voiced units), newest first; returns how many are
 * queued (or were already). That is how the starter pack and anything whose job was lost get voiced.
 * `facts` may be passed when the caller has read them already.
 */
export async function requestMissingAudio(ctx: Ctx, context: Context, candidates: readonly Candidate[], facts?: ReadonlyMap<string, UnitAudioFactsRow>): Promise<number> {
  const rules = modeRules(context)
  const silent = candidates
    .filter((candidate) => !candidate.hasAudio && allowedInMode(rules, { ...candidate, hasAudio: true }))
    .sort((a, b) => b.createdAt - a.createdAt || a.unitId.localeCompare(b.unitId))
  const known = facts ?? new Map((await findUnitAudioFacts(ctx.sql, silent.map((candidate) => candidate.unitId))).map((row) => [row.id, row]))
  const units = silent.flatMap((candidate) => {
    const row = known.get(candidate.unitId)
    return row && !row.has_audio ? [{ id: row.id, type: row.type, body: row.body ?? {}, audio_script: row.audio_script }] : []
  })
  // Deduplicate before capping: a unit can be a candidate twice (fresh and a review).
  const unique = [...new Map(units.map((unit) => [unit.id, unit])).values()]
  const queued = await queueAudioForUnits(ctx, unique.filter(isAudioWorthy).slice(0, maxAudioRequests))
  return queued.length
}
