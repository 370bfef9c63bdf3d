import type { Queryable } from './index.ts'
import type { TimeCursor } from '../platform/cursor.ts'

export type UnitStatus = 'active' | 'hidden' | 'retired'
export type UnitFormat = 'text' | 'quiz' | 'audio' | 'visual'

export interface Unit {
  id: string
  topic_id: string
  type: string
  quiz_kind: string | null
  format: UnitFormat
  body: Record<string, unknown>
  concept_keys: string[]
  difficulty: number
  rating: number
  tags: string[]
  est_seconds: number
  char_length: number
  embedding: number[] | null
  embedding_model: string | null
  citation: Record<string, unknown> | null
  language: string
  audio_script: string | null
  audio: Record<string, unknown> | null
  prompt: string
  provider: string
  model: string
  version: number
  status: UnitStatus
  report_count: number
  batch_id: string | null
  created_at: Date
  updated_at: Date
}

/** The columns a unit's content and provenance take; shared by insert and regenerate. */
export interface UnitContent {
  type: string
  quizKind: string | null
  format: UnitFormat
  body: unknown
  conceptKeys: string[]
  difficulty: number
  rating: number
  tags: string[]
  estSeconds: number
  charLength: number
  embedding: number[] | null
  embeddingModel: string | null
  citation: unknown
  audioScript: string | null
  prompt: string
  provider: string
  model: string
}

export interface NewUnit extends UnitContent {
  id?: string
  topicId: string
  language: string
  batchId: string | null
  now: Date
}

export async function insertUnits(sql: Queryable, units: NewUnit[]): Promise<Unit[]> {
  const inserted: Unit[] = []
  // One statement per unit: arrays and JSON columns do not travel through a multi-row insert helper.
  for (const unit of units) {
    const [row] = await sql<Unit[]>`
      insert into units (id, topic_id, type, quiz_kind, format, body, concept_keys, difficulty, rating, tags, est_seconds, char_length,
                         embedding, embedding_model, citation, language, audio_script, prompt, provider, model, batch_id, created_at, updated_at)
      values (coalesce(${unit.id ?? null}::uuid, gen_random_uuid()), ${unit.topicId}, ${unit.type}, ${unit.quizKind}, ${unit.format},
              ${sql.json(unit.body as never)}, ${unit.conceptKeys}::text[], ${unit.difficulty}, ${unit.rating}, ${unit.tags}::text[], ${unit.estSeconds}, ${unit.charLength},
              ${unit.embedding}::real[], ${unit.embeddingModel}, ${unit.citation === null || unit.citation === undefined ? null : sql.json(unit.citation as never)},
              ${unit.language}, ${unit.audioScript}, ${unit.prompt}, ${unit.provider}, ${unit.model}, ${unit.batchId}, ${unit.now}, ${unit.now})
      returning *`
    inserted.push(row!)
  }
  return inserted
}

export async function findUnit(sql: Queryable, id: string): Promise<Unit | undefined> {
  const [unit]: [Unit?] = await sql`select * from units where id = ${id}`
  return unit
}

/** Locks the unit row for the rest of the transaction. */
export async function lockUnit(sql: Queryable, id: string): Promise<Unit | undefined> {
  const [unit]: [Unit?] = await sql`select * from units where id = ${id} for update`
  return unit
}

export interface UnitVectorRow {
  id: string
  type: string
  body: Record<string, unknown>
  embedding: number[] | null
  embedding_model: string | null
}

/** Units a new one must not repeat: everything in the topic except what an admin retired. */
export async function listUnitsForDuplicateCheck(sql: Queryable, topicId: string, options: { excludeId?: string } = {}): Promise<UnitVectorRow[]> {
  return sql<UnitVectorRow[]>`
    select id, type, body, embedding, embedding_model from units
    where topic_id = ${topicId} and status <> 'retired'
      ${options.excludeId ? sql`and id <> ${options.excludeId}` : sql``}`
}

/** The excerpts a topic's units already quote, so an offline batch from the same source says something new. */
export async function listCitedExcerpts(sql: Queryable, topicId: string): Promise<string[]> {
  const rows = await sql<{ excerpt: string }[]>`
    select citation ->> 'excerpt' as excerpt from units where topic_id = ${topicId} and citation ? 'excerpt'`
  return rows.map((row) => row.excerpt)
}

export interface ReportExport {
  unit_id: string
  reason: string
  detail: string | null
  created_at: Date
  resolved_at: Date | null
  resolution: string | null
}

export async function listReportsByUser(sql: Queryable, userId: string): Promise<ReportExport[]> {
  return sql<ReportExport[]>`select unit_id, reason, detail, created_at, resolved_at, resolution from unit_reports where user_id = ${userId} order by created_at, id`
}

export async function listViewsByUser(sql: Queryable, userId: string): Promise<{ unit_id: string; first_seen_at: Date }[]> {
  return sql<{ unit_id: string; first_seen_at: Date }[]>`select unit_id, first_seen_at from unit_views where user_id = ${userId} order by first_seen_at, unit_id`
}

/** A topic's units an admin would regenerate: hidden or reported ones, or with `all` every unit not retired. */
export async function listUnitsToRegenerate(sql: Queryable, topicId: string, all: boolean): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from units
    where topic_id = ${topicId} and status <> 'retired'
      ${all ? sql`` : sql`and (status = 'hidden' or report_count > 0)`}
    order by created_at, id`
  return rows.map((row) => row.id)
}

/** Moves the current version to unit_versions and writes the new content in its place. */
export async function replaceUnitContent(sql: Queryable, unit: Unit, content: UnitContent, options: { actorId: string | null; now: Date }): Promise<Unit> {
  await sql`
    insert into unit_versions (unit_id, version, type, quiz_kind, body, concept_keys, difficulty, tags, citation, audio_script, prompt, provider, model, created_at, replaced_at, replaced_by)
    values (${unit.id}, ${unit.version}, ${unit.type}, ${unit.quiz_kind}, ${sql.json(unit.body as never)}, ${unit.concept_keys}::text[], ${unit.difficulty},
            ${unit.tags}::text[], ${unit.citation === null ? null : sql.json(unit.citation as never)}, ${unit.audio_script}, ${unit.prompt}, ${unit.provider}, ${unit.model},
            ${unit.updated_at}, ${options.now}, ${options.actorId})`
  const [row] = await sql<Unit[]>`
    update units set
      type = ${content.type}, quiz_kind = ${content.quizKind}, format = ${content.format}, body = ${sql.json(content.body as never)},
      concept_keys = ${content.conceptKeys}::text[], difficulty = ${content.difficulty}, rating = ${content.rating}, tags = ${content.tags}::text[],
      est_seconds = ${content.estSeconds}, char_length = ${content.charLength}, embedding = ${content.embedding}::real[], embedding_model = ${content.embeddingModel},
      citation = ${content.citation === null || content.citation === undefined ? null : sql.json(content.citation as never)},
      audio_script = ${content.audioScript}, audio = null, prompt = ${content.prompt}, provider = ${content.provider}, model = ${content.model},
      version = version + 1, updated_at = ${options.now}
    where id = ${unit.id}
    returning *`
  return row!
}

export interface UnitVersion {
  unit_id: string
  version: number
  type: string
  quiz_kind: string | null
  body: Record<string, unknown>
  prompt: string
  provider: string
  model: string
  created_at: Date
  replaced_at: Date
}

export async function listUnitVersions(sql: Queryable, unitId: string): Promise<UnitVersion[]> {
  return sql<UnitVersion[]>`
    select unit_id, version, type, quiz_kind, body, prompt, provider, model, created_at, replaced_at
    from unit_versions where unit_id = ${unitId} order by version`
}

export async function setUnitStatus(sql: Queryable, id: string, status: UnitStatus, now: Date): Promise<Unit | undefined> {
  const [unit]: [Unit?] = await sql`update units set status = ${status}, updated_at = ${now} where id = ${id} returning *`
  return unit
}

export type ReportReason = 'incorrect' | 'offensive' | 'unclear' | 'duplicate' | 'other'
export type ReportResolution = 'restored' | 'retired' | 'regenerated'

/**
 * Records a learner's report and counts it in the unit's open reports, hiding the unit when the
 * count reaches `hideAt`. Returns undefined when this learner already reported the unit.
 */
export async function insertReport(
  sql: Queryable,
  report: { unitId: string; userId: string; reason: ReportReason; detail: string | null; hideAt: number; now: Date },
): Promise<{ reportId: string; reportCount: number; status: UnitStatus } | undefined> {
  const [inserted] = await sql<{ id: string }[]>`
    insert into unit_reports (unit_id, user_id, reason, detail, created_at)
    values (${report.unitId}, ${report.userId}, ${report.reason}, ${report.detail}, ${report.now})
    on conflict (unit_id, user_id) do nothing
    returning id`
  if (!inserted) return undefined
  // An admin's retirement stands; only an active unit is hidden by reports.
  const [unit] = await sql<{ report_count: number; status: UnitStatus }[]>`
    update units set
      report_count = report_count + 1,
      status = case when status = 'active' and report_count + 1 >= ${report.hideAt} then 'hidden' else status end,
      updated_at = ${report.now}
    where id = ${report.unitId}
    returning report_count, status`
  return { reportId: inserted.id, reportCount: unit!.report_count, status: unit!.status }
}

/** Closes the unit's open reports with the admin's decision and zeroes its open-report count. */
export async function resolveReports(sql: Queryable, unitId: string, resolution: ReportResolution, options: { actorId: string | null; now: Date }): Promise<number> {
  const rows = await sql`
    update unit_reports set resolved_at = ${options.now}, resolution = ${resolution}, resolved_by = ${options.actorId}
    where unit_id = ${unitId} and resolved_at is null
    returning id`
  await sql`update units set report_count = 0 where id = ${unitId}`
  return rows.length
}

export interface ReportedUnit {
  unit_id: string
  topic_id: string
  topic_title: string
  type: string
  quiz_kind: string | null
  body: Record<string, unknown>
  status: UnitStatus
  version: number
  open_reports: number
  reasons: Record<string, number>
  details: string[]
  first_reported_at: Date
  last_reported_at: Date
}

/** Units with open reports, oldest first report first; keyset cursor over (first_reported_at, unit_id). */
export async function listReportedUnits(sql: Queryable, options: { limit: number; after?: TimeCursor; status?: UnitStatus }): Promise<ReportedUnit[]> {
  return sql<ReportedUnit[]>`
    select u.id as unit_id, u.topic_id, t.title as topic_title, u.type, u.quiz_kind, u.body, u.status, u.version,
      o.open_reports, o.details, o.first_reported_at, o.last_reported_at,
      (select jsonb_object_agg(reason, n) from (
        select reason, count(*) as n from unit_reports where unit_id = u.id and resolved_at is null group by reason
      ) counted) as reasons
    from (
      select unit_id, count(*) as open_reports,
        array_remove(array_agg(detail order by created_at), null) as details,
        min(created_at) as first_reported_at, max(created_at) as last_reported_at
      from unit_reports where resolved_at is null group by unit_id
    ) o
    join units u on u.id = o.unit_id
    join topics t on t.id = u.topic_id
    where true
      ${options.status ? sql`and u.status = ${options.status}` : sql``}
      ${options.after ? sql`and (o.first_reported_at, o.unit_id) > (${options.after.at}, ${options.after.id}::uuid)` : sql``}
    order by o.first_reported_at, o.unit_id
    limit ${options.limit}`
}

export interface ReservoirStats {
  topic_id: string
  slug: string
  title: string
  language: string
  kind: string
  status: string
  followers: number
  stock: number
  hidden: number
  retired: number
  /** Active units per format (text, quiz, audio, visual); formats without stock are absent. */
  stock_by_format: Record<string, number> | null
  impressions: number
  likes: number
  dislikes: number
  quiz_attempts: number
  quiz_correct: number
  open_reports: number
  last_batch_at: Date | null
}

/** Per shared topic: its reservoir and how it is received; paged by (slug, language, id). */
export async function listReservoirStats(sql: Queryable, options: { limit: number; after?: string; language?: string }): Promise<ReservoirStats[]> {
  return sql<ReservoirStats[]>`
    select t.id as topic_id, t.slug, t.title, t.language, t.kind, t.status,
      (select count(*) from topic_follows f where f.topic_id = t.id) as followers,
      coalesce(u.stock, 0) as stock, coalesce(u.hidden, 0) as hidden, coalesce(u.retired, 0) as retired,
      (select jsonb_object_agg(format, n) from (
        select format, count(*) as n from units where topic_id = t.id and status = 'active' group by format
      ) formats) as stock_by_format,
      coalesce(s.impressions, 0)::bigint as impressions, coalesce(s.likes, 0)::bigint as likes, coalesce(s.dislikes, 0)::bigint as dislikes,
      coalesce(s.quiz_attempts, 0)::bigint as quiz_attempts, coalesce(s.quiz_correct, 0)::bigint as quiz_correct,
      (select count(*) from unit_reports r join units ru on ru.id = r.unit_id where ru.topic_id = t.id and r.resolved_at is null) as open_reports,
      (select max(b.finished_at) from refill_batches b where b.topic_id = t.id and b.status = 'done') as last_batch_at
    from topics t
    left join lateral (
      select count(*) filter (where status = 'active') as stock,
             count(*) filter (where status = 'hidden') as hidden,
             count(*) filter (where status = 'retired') as retired
      from units where topic_id = t.id
    ) u on true
    left join lateral (
      select sum(st.impressions) as impressions, sum(st.likes) as likes, sum(st.dislikes) as dislikes,
             sum(st.quiz_attempts) as quiz_attempts, sum(st.quiz_correct) as quiz_correct
      from unit_stats st join units su on su.id = st.unit_id where su.topic_id = t.id
    ) s on true
    where t.kind = 'shared'
      ${options.language ? sql`and t.language = ${options.language}` : sql``}
      ${options.after ? sql`and t.id > ${options.after}::uuid` : sql``}
    order by t.id
    limit ${options.limit}`
}
