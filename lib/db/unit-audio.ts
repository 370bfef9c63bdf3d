import type { Queryable } from './index.ts'

/** What the driving queue needs beyond the feed's candidate rows (sql/0004_content.sql `units`). */
export interface UnitAudioFactsRow {
  id: string
  type: string
  /** Only for units without audio, to tell whether they can be spoken. */
  body: Record<string, unknown> | null
  audio_script: string | null
  has_audio: boolean
  /** The clip's length as the synthesize-audio worker measured it. */
  duration_ms: number | null
}

export async function findUnitAudioFacts(sql: Queryable, unitIds: readonly string[]): Promise<UnitAudioFactsRow[]> {
  if (unitIds.length === 0) return []
  return sql<UnitAudioFactsRow[]>`
    select id, type, audio_script, audio is not null as has_audio,
      case when audio is null then body end as body,
      case when jsonb_typeof(audio -> 'duration_ms') = 'number' then round((audio ->> 'duration_ms')::float8)::integer end as duration_ms
    from units where id = any(${unitIds as string[]}::uuid[])`
}
