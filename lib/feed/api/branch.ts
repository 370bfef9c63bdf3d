import { z } from 'zod'
import type { Ctx } from '../../context.ts'
import type { AuthUser } from '../../platform/define.ts'
import type { PersonalDataSection } from '../../accounts/personal-data.ts'
import { AppError } from '../../errors.ts'
import { queueRefill } from '../../content/reservoir.ts'
import { exportBranches, findBranch, findBranchSource, findBranchUnit, findBranchUnitView, findSilentBranchUnits, insertBranch, resolveBranch } from '../../db/branches.ts'
import { queueUnitAudio } from '../../tts/synthesize-unit.ts'
import { isAudioWorthy } from '../../tts/unit-script.ts'
import type { BranchRow, BranchSourceRow } from '../../db/branches.ts'
import { publicAudio, publicBody } from './render.ts'
import type { AudioView } from './render.ts'

/**
 * `POST /api/v1/units/:id/branch {kind}` and `GET /api/v1/branches/:id` (issue 6, point 8): a unit
 * of the requested kind on the same topic and a shared concept, taken from the reservoir when one
 * exists. Otherwise the branch is `pending`, a refill of the topic is queued, and each poll looks
 * again; a branch still unmatched after `pendingMinutes` becomes `unavailable`. An `audio` branch
 * ("turn this into audio") answers with the unit itself when it can be spoken, else a related unit
 * with audio; while the audio is synthesised (queued here) the branch is pending, and the poll after
 * the worker attached it is ready.
 */

export const branchKinds = ['deeper', 'story', 'example', 'simpler', 'audio'] as const
export type BranchKind = (typeof branchKinds)[number]

export const BranchParams = z.object({ id: z.uuid() })
export const BranchBody = z.strictObject({ kind: z.enum(branchKinds) })

/** Unit types that answer each kind, and the difficulty sought relative to the source unit. */
export const branchRules: Record<BranchKind, { types: readonly string[]; difficultyStep: number; needsAudio: boolean }> = {
  deeper: { types: ['definition', 'mistake', 'insight', 'summary'], difficultyStep: 1, needsAudio: false },
  story: { types: ['story', 'scenario'], difficultyStep: 0, needsAudio: false },
  example: { types: ['example', 'analogy'], difficultyStep: 0, needsAudio: false },
  simpler: { types: ['eli5', 'analogy', 'insight'], difficultyStep: -1, needsAudio: false },
  audio: { types: ['insight', 'story', 'analogy', 'example', 'mistake', 'definition', 'eli5', 'scenario', 'summary'], difficultyStep: 0, needsAudio: true },
}

export const pendingMinutes = 10

export interface BranchUnitView {
  id: string
  type: string
  quiz_kind: string | null
  format: string
  body: Record<string, unknown>
  topic: { id: string; title: string }
  citation: Record<string, unknown> | null
  difficulty: number
  audio: AudioView | null
}

export interface BranchView {
  id: string
  kind: string
  status: BranchRow['status']
  unit: BranchUnitView | null
}

/** Related units looked at for one to voice when an audio branch finds none with audio. */
const silentConsidered = 20

interface Lookup {
  /** The unit that answers the branch now. */
  match: string | null
  /** Synthesis of the unit that will answer it is queued: the branch waits for it, not for a refill. */
  voicing: boolean
}

async function lookup(ctx: Ctx, userId: string, source: BranchSourceRow, kind: BranchKind): Promise<Lookup> {
  const rule = branchRules[kind]
  const targetDifficulty = Math.min(5, Math.max(1, source.difficulty + rule.difficultyStep))
  if (kind === 'audio') {
    // "Turn this into audio" means this unit when it can be spoken: ready once its audio is.
    if (source.has_audio) return { match: source.id, voicing: false }
    if (isAudioWorthy(source)) return { match: null, voicing: await voice(ctx, source.id) }
  }
  const match = await findBranchUnit(ctx.sql, { userId, source, types: rule.types, needsAudio: rule.needsAudio, targetDifficulty })
  if (match || kind !== 'audio') return { match, voicing: false }
  // A related unit that can be spoken gets its audio; polling finds it once the audio is ready.
  const silent = await findSilentBranchUnits(ctx.sql, { userId, source, types: rule.types, targetDifficulty, limit: silentConsidered })
  const target = silent.find(isAudioWorthy)
  return { match: null, voicing: target ? await voice(ctx, target.id) : false }
}

/** Queued once per unit (deduplicated), so every poll of a waiting branch may ask again. */
async function voice(ctx: Ctx, unitId: string): Promise<boolean> {
  await queueUnitAudio(ctx, { unitId })
  return true
}

async function view(ctx: Ctx, branch: Pick<BranchRow, 'id' | 'kind' | 'status' | 'unit_id'>): Promise<BranchView> {
  const row = branch.unit_id ? await findBranchUnitView(ctx.sql, branch.unit_id) : null
  const unit = row && {
    id: row.id,
    type: row.type,
    quiz_kind: row.quiz_kind,
    format: row.format,
    body: publicBody(row.type, row.body),
    topic: { id: row.topic_id, title: row.topic_title },
    citation: row.citation,
    difficulty: row.difficulty,
    audio: await publicAudio(ctx.storage, row.audio),
  }
  return { id: branch.id, kind: branch.kind, status: branch.status, unit }
}

export async function branchFromUnit(ctx: Ctx, user: AuthUser, unitId: string, kind: BranchKind): Promise<BranchView> {
  const source = await findBranchSource(ctx.sql, user.id, unitId)
  if (!source) throw new AppError('not_found', { message: 'No such unit.' })
  const now = ctx.clock.now()
  const { match, voicing } = await lookup(ctx, user.id, source, kind)
  const branch = await insertBranch(ctx.sql, { userId: user.id, sourceUnitId: source.id, kind, unitId: match, now })
  if (!match && !voicing) await queueRefill(ctx, source.topic_id)
  return view(ctx, branch)
}

/** Polling a pending branch looks in the reservoir again (the refill may have landed). */
export async function getBranch(ctx: Ctx, user: AuthUser, branchId: string): Promise<BranchView> {
  const branch = await findBranch(ctx.sql, user.id, branchId)
  if (!branch) throw new AppError('not_found', { message: 'No such branch.' })
  if (branch.status !== 'pending') return view(ctx, branch)
  const now = ctx.clock.now()
  const source = await findBranchSource(ctx.sql, user.id, branch.source_unit_id)
  const match = source ? (await lookup(ctx, user.id, source, branch.kind as BranchKind)).match : null
  const expired = now.getTime() - new Date(branch.created_at).getTime() >= pendingMinutes * 60_000
  if (!match && !expired && source) return view(ctx, branch)
  await resolveBranch(ctx.sql, branch.id, { unitId: match, now })
  return view(ctx, { ...branch, status: match ? 'ready' : 'unavailable', unit_id: match })
}

/** Branch requests in `GET /api/v1/me/export`; the table cascades with the account. */
export const branchesSection: PersonalDataSection = {
  name: 'unit_branches',
  export: (ctx: Ctx, userId: string) => exportBranches(ctx.sql, userId),
}
