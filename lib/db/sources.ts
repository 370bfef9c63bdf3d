import type { Queryable } from './index.ts'
import type { TimeCursor } from '../platform/cursor.ts'
import { servableColumns, servableJoins, type ServableUnitRow } from './saved-units.ts'

export type SourceKind = 'file' | 'url' | 'text'
export type SourceStatus = 'queued' | 'extracting' | 'chunking' | 'generating' | 'ready' | 'failed'

export interface SourceProgress {
  stage: SourceStatus
  done: number
  total: number
}

export interface SourceError {
  code: string
  message: string
}

export interface Source {
  id: string
  user_id: string
  title: string
  kind: SourceKind
  type: string | null
  mime: string | null
  object_key: string | null
  url: string | null
  content_hash: string
  status: SourceStatus
  progress: SourceProgress
  error: SourceError | null
  pages: number | null
  characters: number | null
  language: string | null
  topic_id: string | null
  units_generated: number
  created_at: Date
  updated_at: Date
}

export interface SourceChunk {
  id: string
  source_id: string
  ordinal: number
  text: string
  kind: string
  heading: string | null
  page: number | null
  page_end: number | null
  tokens: number
  units_generated: boolean
}

export interface NewSource {
  id: string
  userId: string
  title: string
  kind: SourceKind
  mime: string | null
  objectKey: string | null
  url: string | null
  contentHash: string
  now: Date
}

/** Inserts the source, or returns the learner's earlier one with the same content hash (`created: false`). */
export async function insertSource(sql: Queryable, source: NewSource): Promise<{ source: Source; created: boolean }> {
  const [row]: [Source?] = await sql`
    insert into sources (id, user_id, title, kind, mime, object_key, url, content_hash, created_at, updated_at)
    values (${source.id}, ${source.userId}, ${source.title}, ${source.kind}, ${source.mime}, ${source.objectKey}, ${source.url},
            ${source.contentHash}, ${source.now}, ${source.now})
    on conflict (user_id, content_hash) do nothing
    returning *`
  if (row) return { source: row, created: true }
  const [existing]: [Source?] = await sql`select * from sources where user_id = ${source.userId} and content_hash = ${source.contentHash}`
  if (!existing) throw new Error('source conflicted on its content hash but cannot be found')
  return { source: existing, created: false }
}

export async function findSource(sql: Queryable, id: string): Promise<Source | undefined> {
  const [row]: [Source?] = await sql`select * from sources where id = ${id}`
  return row
}

/** The source when `userId` owns it; someone else's source does not exist for them. */
export async function findOwnSource(sql: Queryable, userId: string, id: string): Promise<Source | undefined> {
  const [row]: [Source?] = await sql`select * from sources where id = ${id} and user_id = ${userId}`
  return row
}

export type SourceWithUnits = Source & { units: number }

const unitCount = (sql: Queryable) => sql`
  (select count(*) from units u
   where u.topic_id = s.topic_id and u.status <> 'retired' and u.citation ->> 'sourceId' = s.id::text) as units`

export async function listOwnSources(sql: Queryable, userId: string, limit: number): Promise<SourceWithUnits[]> {
  return sql<SourceWithUnits[]>`
    select s.*, ${unitCount(sql)} from sources s where s.user_id = ${userId} order by s.created_at desc, s.id desc limit ${limit}`
}

export async function findOwnSourceWithUnits(sql: Queryable, userId: string, id: string): Promise<SourceWithUnits | undefined> {
  const [row]: [SourceWithUnits?] = await sql`select s.*, ${unitCount(sql)} from sources s where s.id = ${id} and s.user_id = ${userId}`
  return row
}

const stageOrder: Record<SourceStatus, number> = { queued: 0, extracting: 1, chunking: 2, generating: 3, ready: 4, failed: 5 }

/**
 * Moves the source to `progress` only when that is forward: a later stage, or the same stage with
 * as much or more done. A failed source stays failed. Returns false when the update was refused.
 */
export async function advanceSource(sql: Queryable, id: string, progress: SourceProgress, now: Date): Promise<boolean> {
  const rows = await sql`
    update sources s set status = ${progress.stage}, progress = ${sql.json(progress as never)}, updated_at = ${now}
    where s.id = ${id} and s.status <> 'failed'
      and (${stageOrder[progress.stage]}::int > (case s.status when 'queued' then 0 when 'extracting' then 1 when 'chunking' then 2 when 'generating' then 3 else 4 end)
        or (${progress.stage}::text = s.status and ${progress.done}::int >= coalesce((s.progress ->> 'done')::int, 0)))
    returning s.id`
  return rows.length > 0
}

export async function failSource(sql: Queryable, id: string, error: SourceError, now: Date): Promise<void> {
  await sql`update sources set status = 'failed', error = ${sql.json(error as never)}, updated_at = ${now} where id = ${id} and status <> 'ready'`
}

/** A failed source sent again starts over (its failure may have been passing: a link that was down). */
export async function requeueFailedSource(sql: Queryable, id: string, now: Date): Promise<Source | undefined> {
  const [row]: [Source?] = await sql`
    update sources set status = 'queued', error = null, progress = ${sql.json({ stage: 'queued', done: 0, total: 0 } as never)}, updated_at = ${now}
    where id = ${id} and status = 'failed' returning *`
  return row
}

export async function recordExtraction(
  sql: Queryable,
  id: string,
  document: { title: string; type: string; pages: number | null; characters: number; language: string | null; objectKey?: string | null; mime?: string | null },
  now: Date,
): Promise<void> {
  await sql`
    update sources set title = ${document.title}, type = ${document.type}, pages = ${document.pages}, characters = ${document.characters},
      language = ${document.language}, object_key = coalesce(${document.objectKey ?? null}, object_key), mime = coalesce(${document.mime ?? null}, mime),
      updated_at = ${now}
    where id = ${id}`
}

export interface NewChunk {
  ordinal: number
  text: string
  kind: string
  heading: string | null
  page: number | null
  pageEnd: number | null
  tokens: number
}

/** Replaces the source's chunks (a re-delivered message chunks again from scratch). */
export async function replaceChunks(sql: Queryable, sourceId: string, chunks: NewChunk[]): Promise<void> {
  await sql`delete from source_chunks where source_id = ${sourceId}`
  for (const chunk of chunks) {
    await sql`
      insert into source_chunks (source_id, ordinal, text, kind, heading, page, page_end, tokens)
      values (${sourceId}, ${chunk.ordinal}, ${chunk.text}, ${chunk.kind}, ${chunk.heading}, ${chunk.page}, ${chunk.pageEnd}, ${chunk.tokens})`
  }
}

export async function countChunks(sql: Queryable, sourceId: string): Promise<{ total: number; done: number }> {
  const [row] = await sql<{ total: number; done: number }[]>`
    select count(*) as total, count(*) filter (where units_generated) as done from source_chunks where source_id = ${sourceId}`
  return row!
}

export async function nextPendingChunk(sql: Queryable, sourceId: string): Promise<SourceChunk | undefined> {
  const [row]: [SourceChunk?] = await sql`
    select * from source_chunks where source_id = ${sourceId} and not units_generated order by ordinal limit 1`
  return row
}

export async function finishChunk(sql: Queryable, chunkId: string, units: number, now: Date): Promise<void> {
  await sql`update source_chunks set units_generated = true where id = ${chunkId}`
  await sql`
    update sources set units_generated = units_generated + ${units}, updated_at = ${now}
    where id = (select source_id from source_chunks where id = ${chunkId})`
}

export async function setSourceTopic(sql: Queryable, id: string, topicId: string): Promise<void> {
  await sql`update sources set topic_id = ${topicId} where id = ${id}`
}

/** The oldest ready source of the learner that still has chunks waiting for units. */
export async function findSourceWithPendingChunks(sql: Queryable, userId: string): Promise<Source | undefined> {
  const [row]: [Source?] = await sql`
    select s.* from sources s
    where s.user_id = ${userId} and s.status = 'ready'
      and exists (select 1 from source_chunks c where c.source_id = s.id and not c.units_generated)
    order by s.created_at, s.id limit 1`
  return row
}

/** Deletes the source, its chunks (cascade) and the units that cite it; returns how many units went. */
export async function deleteSourceAndUnits(sql: Queryable, source: Source): Promise<number> {
  const units = await sql`
    delete from units u using topics t
    where u.topic_id = t.id and t.owner_user_id = ${source.user_id} and t.kind = 'library' and u.citation ->> 'sourceId' = ${source.id}
    returning u.id`
  await sql`delete from sources where id = ${source.id}`
  return units.length
}

export interface SourceExport {
  id: string
  title: string
  kind: SourceKind
  type: string | null
  url: string | null
  status: SourceStatus
  pages: number | null
  characters: number | null
  units_generated: number
  created_at: Date
}

export async function listSourcesForExport(sql: Queryable, userId: string): Promise<SourceExport[]> {
  return sql<SourceExport[]>`
    select id, title, kind, type, url, status, pages, characters, units_generated, created_at
    from sources where user_id = ${userId} order by created_at, id`
}

export async function deleteSourcesOfUser(sql: Queryable, userId: string): Promise<void> {
  await sql`delete from sources where user_id = ${userId}`
}

/** Active units of the learner's library topic that they have not been shown. */
export async function countUnseenLibraryUnits(sql: Queryable, userId: string): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*) as count from units u join topics t on t.id = u.topic_id
    where t.owner_user_id = ${userId} and t.kind = 'library' and u.status = 'active'
      and not exists (select 1 from unit_views v where v.user_id = ${userId} and v.unit_id = u.id)`
  return row!.count
}

/**
 * The active units made from the learner's source, in the order they were made (chunks are turned
 * into units in document order), after the keyset `after` (exclusive).
 */
export async function listSourceUnitRows(sql: Queryable, options: { userId: string; sourceId: string; limit: number; after?: TimeCursor }): Promise<ServableUnitRow[]> {
  const { userId, sourceId, limit, after } = options
  return sql<ServableUnitRow[]>`
    select ${servableColumns(sql)}
    from units u
    ${servableJoins(sql, userId)}
    where t.owner_user_id = ${userId} and t.kind = 'library' and u.status = 'active' and u.citation ->> 'sourceId' = ${sourceId}
      ${after ? sql`and (u.created_at, u.id) > (${after.at}, ${after.id}::uuid)` : sql``}
    order by u.created_at, u.id
    limit ${limit}`
}
