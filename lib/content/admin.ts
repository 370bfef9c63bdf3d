import { z } from 'zod'
import type { Ctx } from '../context.ts'
import type { AuthUser } from '../platform/define.ts'
import { AppError } from '../errors.ts'
import { audit } from '../accounts/audit.ts'
import { findTopic, reservoirLevel } from '../db/topics.ts'
import { listReportedUnits, listReservoirStats, listUnitsToRegenerate, lockUnit, resolveReports, setUnitStatus, type Unit } from '../db/units.ts'
import { activeSince, queueRefill } from './reservoir.ts'
import { regenerateUnit } from './generate.ts'
import { isAppError } from '../errors.ts'
import { decodeTimeCursor, encodeTimeCursor, invalidCursor } from '../platform/cursor.ts'

/** Admin views and actions on reservoirs and reported units (issue 4, point 10). Every action is audited. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
})

export const ReservoirQuery = PageQuery.extend({ language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/).optional() })
export const ReportsQuery = PageQuery.extend({ status: z.enum(['active', 'hidden', 'retired']).optional() })

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null)

/** Per shared topic: stock, what its followers have left to see, how it is received, open reports. */
export async function listReservoirs(ctx: Ctx, query: z.output<typeof ReservoirQuery>) {
  if (query.cursor !== undefined && !z.uuid().safeParse(query.cursor).success) invalidCursor()
  const rows = await listReservoirStats(ctx.sql, { limit: query.limit + 1, after: query.cursor, language: query.language })
  const page = rows.slice(0, query.limit)
  const since = activeSince(ctx)
  const items = []
  for (const row of page) {
    const level = await reservoirLevel(ctx.sql, row.topic_id, since)
    const reactions = row.likes + row.dislikes
    items.push({
      topic: { id: row.topic_id, slug: row.slug, title: row.title, language: row.language, status: row.status },
      followers: row.followers,
      active_followers: level.activeFollowers,
      stock: row.stock,
      stock_by_format: row.stock_by_format ?? {},
      hidden: row.hidden,
      retired: row.retired,
      unseen_min: level.unseenMin,
      served: row.impressions,
      like_rate: ratio(row.likes, reactions),
      quiz_accuracy: ratio(row.quiz_correct, row.quiz_attempts),
      open_reports: row.open_reports,
      last_batch_at: row.last_batch_at?.toISOString() ?? null,
    })
  }
  // The threshold is the refill target: below it (unseen_min) the feed queues a batch.
  return { items, next_cursor: rows.length > query.limit ? page.at(-1)!.topic_id : null, refill_threshold: ctx.config.CONTENT_REFILL_THRESHOLD }
}

export async function adminRefill(ctx: Ctx, admin: AuthUser, topicId: string, options: { ip?: string } = {}) {
  const topic = await findTopic(ctx.sql, topicId)
  if (!topic || topic.kind !== 'shared') throw new AppError('not_found', { message: 'No such topic.' })
  // Its own batch key: an admin's refill is not collapsed into the next automatic one.
  const { batchKey } = await queueRefill(ctx, topic.id, { force: true, batchKey: `${topic.id}:admin:${ctx.clock.now().getTime()}` })
  await audit(ctx, { actorId: admin.id, action: 'topic_refill', target: topic.id, ip: options.ip ?? null, details: { batch_key: batchKey } })
  return { topic_id: topic.id, batch_key: batchKey, queued: true }
}

export function unitAdminView(unit: Unit) {
  return {
    id: unit.id,
    topic_id: unit.topic_id,
    type: unit.type,
    quiz_kind: unit.quiz_kind,
    format: unit.format,
    body: unit.body,
    concept_keys: unit.concept_keys,
    difficulty: unit.difficulty,
    tags: unit.tags,
    language: unit.language,
    citation: unit.citation,
    audio_script: unit.audio_script,
    status: unit.status,
    version: unit.version,
    report_count: unit.report_count,
    prompt: unit.prompt,
    provider: unit.provider,
    model: unit.model,
    created_at: unit.created_at.toISOString(),
    updated_at: unit.updated_at.toISOString(),
  }
}

export async function adminRegenerate(ctx: Ctx, admin: AuthUser, unitId: string, options: { ip?: string } = {}) {
  const result = await regenerateUnit(ctx, unitId, { actorId: admin.id, ip: options.ip })
  return { unit: unitAdminView(result.unit), previous_version: result.previousVersion, rejected: result.rejected.map(({ index, code }) => ({ index, code })) }
}

/** Restore puts a hidden (or retired) unit back in the feed; retire takes it out for good. Both close its open reports. */
export async function decideUnit(ctx: Ctx, admin: AuthUser, unitId: string, decision: 'restore' | 'retire', options: { ip?: string } = {}) {
  const now = ctx.clock.now()
  const unit = await ctx.sql.begin(async (tx) => {
    const current = await lockUnit(tx, unitId)
    if (!current) throw new AppError('not_found', { message: 'No such unit.' })
    const resolved = await resolveReports(tx, unitId, decision === 'restore' ? 'restored' : 'retired', { actorId: admin.id, now })
    const updated = await setUnitStatus(tx, unitId, decision === 'restore' ? 'active' : 'retired', now)
    await audit(ctx, { actorId: admin.id, action: decision === 'restore' ? 'unit_restore' : 'unit_retire', target: unitId, ip: options.ip ?? null, details: { topic_id: current.topic_id, previous_status: current.status, reports_resolved: resolved } }, tx)
    return updated!
  })
  return { unit: unitAdminView(unit) }
}

/** Units with open reports, the longest-waiting first. */
export async function listReports(ctx: Ctx, query: z.output<typeof ReportsQuery>) {
  const after = query.cursor === undefined ? undefined : decodeTimeCursor(query.cursor)
  const rows = await listReportedUnits(ctx.sql, { limit: query.limit + 1, after, status: query.status })
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    items: page.map((row) => ({
      unit: { id: row.unit_id, topic_id: row.topic_id, topic_title: row.topic_title, type: row.type, quiz_kind: row.quiz_kind, body: row.body, status: row.status, version: row.version },
      open_reports: row.open_reports,
      reasons: row.reasons ?? {},
      details: row.details,
      first_reported_at: row.first_reported_at.toISOString(),
      last_reported_at: row.last_reported_at.toISOString(),
    })),
    next_cursor: rows.length > query.limit && last ? encodeTimeCursor(last.first_reported_at, last.unit_id) : null,
  }
}

/**
 * The regenerate-units job, for `npm run admin -- regenerate` on Function Compute (an event
 * function, invoked with the message) and locally. Regenerating twice only adds a version, so the
 * job is safe to deliver again.
 */
export const regenerateQueue = 'regenerate-units'

export const RegenerateMessage = z
  .object({
    unitId: z.uuid().optional(),
    topicId: z.uuid().optional(),
    /** With topicId: every unit not retired, not only hidden and reported ones. */
    all: z.boolean().optional(),
  })
  .refine((message) => (message.unitId === undefined) !== (message.topicId === undefined), 'give exactly one of unitId and topicId')
export type RegenerateMessage = z.infer<typeof RegenerateMessage>

export interface RegenerateReport {
  regenerated: { unit_id: string; version: number }[]
  failed: { unit_id: string; message: string }[]
}

export async function regenerateUnits(ctx: Ctx, message: RegenerateMessage, options: { actorId?: string | null; onProgress?: (line: string) => void } = {}): Promise<RegenerateReport> {
  let unitIds: string[]
  if (message.unitId) {
    unitIds = [message.unitId]
  } else {
    const topic = await findTopic(ctx.sql, message.topicId!)
    if (!topic) throw new AppError('not_found', { message: 'No such topic.' })
    unitIds = await listUnitsToRegenerate(ctx.sql, topic.id, message.all ?? false)
  }
  const report: RegenerateReport = { regenerated: [], failed: [] }
  for (const unitId of unitIds) {
    try {
      const result = await regenerateUnit(ctx, unitId, { actorId: options.actorId ?? null })
      report.regenerated.push({ unit_id: unitId, version: result.unit.version })
      options.onProgress?.(`regenerated ${unitId} → version ${result.unit.version}`)
    } catch (error) {
      // One unit's failure (no candidate passed the gates) should not stop the others; a lost provider should.
      if (!isAppError(error) || (error.code !== 'unavailable' && error.code !== 'not_found')) throw error
      report.failed.push({ unit_id: unitId, message: error.message })
      options.onProgress?.(`failed ${unitId}: ${error.message}`)
    }
  }
  return report
}
