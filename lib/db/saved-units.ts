import type { Queryable } from './index.ts'
import type { CandidateRow, RenderRow } from './feed.ts'
import type { TimeCursor } from '../platform/cursor.ts'

/**
 * Saved units (sql/0009_saved_units.sql) and the unit rows the saved list and the offline pack
 * render: what the feed's ranking reads (`CandidateRow`) plus what the client renders (`RenderRow`).
 */

export type ServableUnitRow = Omit<CandidateRow, 'created_at' | 'last_seen_at'> &
  RenderRow & {
    created_at: Date
    last_seen_at: Date | null
  }

/**
 * The columns of `ServableUnitRow` over `units u join topics t` (left-joined to the unit's stats and
 * the learner's view of it, aliased `s` and `v`, see `servableJoins`). `updated_at` is text written
 * as the feed's statement writes it (JSON), since it versions the shared embedding cache.
 */
export function servableColumns(sql: Queryable) {
  return sql`
    u.id, u.topic_id, t.title as topic_title, u.type, u.quiz_kind, u.format, u.est_seconds, u.char_length, u.difficulty,
    u.rating, u.concept_keys, t.kind = 'library' as is_library, u.citation ->> 'title' as source_title, u.audio is not null as has_audio,
    coalesce(s.impressions, 0) as impressions, coalesce(s.likes, 0) as likes, coalesce(s.dislikes, 0) as dislikes,
    u.created_at, to_json(u.updated_at) #>> '{}' as updated_at, v.first_seen_at as last_seen_at, u.body, u.audio, u.citation`
}

export function servableJoins(sql: Queryable, userId: string) {
  return sql`
    join topics t on t.id = u.topic_id
    left join unit_stats s on s.unit_id = u.id
    left join unit_views v on v.user_id = ${userId} and v.unit_id = u.id`
}

export interface SaveRecord {
  unitId: string
  /** The event's time on the device, capped at its arrival. */
  at: Date
}

/**
 * Records accepted save events. A unit saved again keeps its newest save time; a removed one comes
 * back only for a save made after the removal (see the migration).
 */
export async function recordSaves(sql: Queryable, userId: string, saves: readonly SaveRecord[]): Promise<void> {
  if (saves.length === 0) return
  await sql`
    insert into saved_units (user_id, unit_id, saved_at)
    select ${userId}, r.unit_id, max(r.at)
    from jsonb_to_recordset(${sql.json(saves.map((save) => ({ unit_id: save.unitId, at: save.at.toISOString() })) as never)}) as r(unit_id uuid, at timestamptz)
    group by r.unit_id
    on conflict (user_id, unit_id) do update set
      saved_at = case when saved_units.removed_at is null then greatest(saved_units.saved_at, excluded.saved_at) else excluded.saved_at end,
      removed_at = null
    where saved_units.removed_at is null or excluded.saved_at > saved_units.removed_at`
}

/**
 * Marks the unit unsaved as of `at`. Also when it is not saved (yet): a save made earlier that is
 * still on its way then stays out. Nothing happens for an id that is no unit.
 */
export async function removeSave(sql: Queryable, userId: string, unitId: string, at: Date): Promise<void> {
  await sql`
    insert into saved_units (user_id, unit_id, removed_at)
    select ${userId}, u.id, ${at} from units u where u.id = ${unitId}
    on conflict (user_id, unit_id) do update set removed_at = excluded.removed_at`
}

export type SavedUnitRow = ServableUnitRow & { saved_at: Date }

/**
 * The learner's saved units that are still active and theirs to see, newest save first, after the
 * keyset `before` (exclusive).
 */
export async function listSavedUnits(sql: Queryable, options: { userId: string; limit: number; before?: TimeCursor }): Promise<SavedUnitRow[]> {
  const { userId, limit, before } = options
  return sql<SavedUnitRow[]>`
    select ${servableColumns(sql)}, su.saved_at
    from saved_units su
    join units u on u.id = su.unit_id
    ${servableJoins(sql, userId)}
    where su.user_id = ${userId} and su.removed_at is null and u.status = 'active'
      and (t.kind = 'shared' or t.owner_user_id = ${userId})
      ${before ? sql`and (su.saved_at, su.unit_id) < (${before.at}, ${before.id}::uuid)` : sql``}
    order by su.saved_at desc, su.unit_id desc
    limit ${limit}`
}

export interface SavedUnitExportRow {
  unit_id: string
  saved_at: Date | null
  removed_at: Date | null
}

/** Every row, removals included, for `GET /api/v1/me/export`. */
export async function exportSavedUnits(sql: Queryable, userId: string): Promise<SavedUnitExportRow[]> {
  return sql<SavedUnitExportRow[]>`
    select unit_id, saved_at, removed_at from saved_units where user_id = ${userId}
    order by coalesce(saved_at, removed_at), unit_id`
}
