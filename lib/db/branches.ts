import type { Queryable } from './index.ts'

/** Branch requests (sql/0007_summaries.sql) and the reservoir lookup that fulfils them. */

export interface BranchSourceRow {
  id: string
  topic_id: string
  type: string
  body: Record<string, unknown>
  audio_script: string | null
  concept_keys: string[]
  difficulty: number
  has_audio: boolean
}

/** The unit a learner branches from, when they may see it (a shared topic or their own library). */
export async function findBranchSource(sql: Queryable, userId: string, unitId: string): Promise<BranchSourceRow | null> {
  const [row]: [BranchSourceRow?] = await sql`
    select u.id, u.topic_id, u.type, u.body, u.audio_script, u.concept_keys, u.difficulty, u.audio is not null as has_audio
    from units u join topics t on t.id = u.topic_id
    where u.id = ${unitId} and u.status = 'active' and (t.kind = 'shared' or t.owner_user_id = ${userId})`
  return row ?? null
}

export interface SilentUnitRow {
  id: string
  type: string
  body: Record<string, unknown>
  audio_script: string | null
}

/**
 * Related units without audio yet (same topic, a shared concept, one of `types`), in
 * `findBranchUnit`'s order: the ones an audio branch could have voiced. The caller decides which
 * can be spoken (lib/tts/unit-script.ts).
 */
export async function findSilentBranchUnits(sql: Queryable, options: { userId: string; source: BranchSourceRow; types: readonly string[]; targetDifficulty: number; limit: number }): Promise<SilentUnitRow[]> {
  const { userId, source } = options
  return sql<SilentUnitRow[]>`
    select u.id, u.type, u.body, u.audio_script from units u
    where u.topic_id = ${source.topic_id} and u.id <> ${source.id} and u.status = 'active' and u.audio is null
      and u.concept_keys && ${source.concept_keys}::text[] and u.type = any(${options.types as string[]}::text[])
    order by exists (select 1 from unit_views v where v.user_id = ${userId} and v.unit_id = u.id),
      abs(u.difficulty - ${options.targetDifficulty}), u.created_at, u.id
    limit ${options.limit}`
}

/**
 * An active unit of the same topic sharing a concept, of one of `types` (with audio ready when
 * `needsAudio`): unseen by the learner first, then the closest to `targetDifficulty`, then oldest.
 */
export async function findBranchUnit(sql: Queryable, options: { userId: string; source: BranchSourceRow; types: readonly string[]; needsAudio: boolean; targetDifficulty: number }): Promise<string | null> {
  const { userId, source } = options
  const [row]: [{ id: string }?] = await sql`
    select u.id from units u
    where u.topic_id = ${source.topic_id} and u.id <> ${source.id} and u.status = 'active'
      and u.concept_keys && ${source.concept_keys}::text[] and u.type = any(${options.types as string[]}::text[])
      ${options.needsAudio ? sql`and u.audio is not null` : sql``}
    order by exists (select 1 from unit_views v where v.user_id = ${userId} and v.unit_id = u.id),
      abs(u.difficulty - ${options.targetDifficulty}), u.created_at, u.id
    limit 1`
  return row?.id ?? null
}

export interface BranchRow {
  id: string
  source_unit_id: string
  kind: string
  status: 'pending' | 'ready' | 'unavailable'
  unit_id: string | null
  created_at: Date
}

export async function insertBranch(sql: Queryable, row: { userId: string; sourceUnitId: string; kind: string; unitId: string | null; now: Date }): Promise<BranchRow> {
  const [branch] = await sql<BranchRow[]>`
    insert into unit_branches (user_id, source_unit_id, kind, status, unit_id, created_at, resolved_at)
    values (${row.userId}, ${row.sourceUnitId}, ${row.kind}, ${row.unitId ? 'ready' : 'pending'}, ${row.unitId}, ${row.now}, ${row.unitId ? row.now : null})
    returning id, source_unit_id, kind, status, unit_id, created_at`
  return branch!
}

export async function findBranch(sql: Queryable, userId: string, branchId: string): Promise<BranchRow | null> {
  const [row]: [BranchRow?] = await sql`
    select id, source_unit_id, kind, status, unit_id, created_at from unit_branches where id = ${branchId} and user_id = ${userId}`
  return row ?? null
}

export async function resolveBranch(sql: Queryable, branchId: string, outcome: { unitId: string | null; now: Date }): Promise<void> {
  await sql`
    update unit_branches set status = ${outcome.unitId ? 'ready' : 'unavailable'}, unit_id = ${outcome.unitId}, resolved_at = ${outcome.now}
    where id = ${branchId} and status = 'pending'`
}

export interface BranchUnitRow {
  id: string
  type: string
  quiz_kind: string | null
  format: string
  body: Record<string, unknown>
  topic_id: string
  topic_title: string
  citation: Record<string, unknown> | null
  difficulty: number
  audio: Record<string, unknown> | null
  concept_keys: string[]
}

export async function findBranchUnitView(sql: Queryable, unitId: string): Promise<BranchUnitRow | null> {
  const [row]: [BranchUnitRow?] = await sql`
    select u.id, u.type, u.quiz_kind, u.format, u.body, u.topic_id, t.title as topic_title, u.citation, u.difficulty, u.audio, u.concept_keys
    from units u join topics t on t.id = u.topic_id where u.id = ${unitId}`
  return row ?? null
}

export async function exportBranches(sql: Queryable, userId: string): Promise<BranchRow[]> {
  return sql<BranchRow[]>`select id, source_unit_id, kind, status, unit_id, created_at from unit_branches where user_id = ${userId} order by created_at, id`
}
