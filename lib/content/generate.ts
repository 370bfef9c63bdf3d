import type { Ctx } from '../context.ts'
import type { AiCaller } from '../ai/types.ts'
import type { Topic } from '../db/topics.ts'
import type { Unit } from '../db/units.ts'
import { UnitBatch } from '../ai/prompt-schemas.ts'
import { AppError } from '../errors.ts'
import { runOnce } from '../jobs/idempotency.ts'
import { findTopic, listCoveredConcepts } from '../db/topics.ts'
import type { TransactionSql } from '../db/index.ts'
import { findUnit, insertUnits, listCitedExcerpts, listUnitsForDuplicateCheck, lockUnit, replaceUnitContent, resolveReports } from '../db/units.ts'
import { finishBatch } from '../db/refill-batches.ts'
import { countRejections, runQualityGates, type GatedUnit, type RejectedUnit } from './quality.ts'
import { generateOffline, offlineProvenance, type SourceDocument } from './offline-generator.ts'
import { unitContent, type UnitProvenance } from './units.ts'
import { audit } from '../accounts/audit.ts'
import { queueAudioForUnits } from '../tts/synthesize-unit.ts'

/**
 * Writing units into a topic's reservoir (issue 4, point 5): the LLM when a provider answers
 * (`unit-batch@v1`), else the offline generator when there is source text, else nothing — the
 * reservoir keeps what it has and the caller says why. Every candidate passes the quality gates
 * before it is stored, with the prompt id@version, provider and model that wrote it.
 */
export const unitBatchPrompt = 'unit-batch@v1'

export interface BatchRequest {
  topic: Topic
  /** 5–10 for the LLM (the prompt's schema); any positive number offline. */
  count: number
  difficulty?: { min: number; max: number }
  /** Text to teach from (an upload's chunk); units then cite it. */
  source?: SourceDocument
  caller: AiCaller
  /** The refill batch this generation belongs to; it is finished in the same transaction as the units. */
  batch?: { id: string; key: string }
  /** Offline generator seed; defaults to one derived from the batch key. */
  seed?: number
}

export type BatchOutcome = 'stored' | 'needs_ai_provider' | 'deferred'

export interface BatchResult {
  outcome: BatchOutcome
  units: Unit[]
  rejected: RejectedUnit[]
  provenance: UnitProvenance | null
  /** Why nothing was generated (needs_ai_provider, deferred). */
  message?: string
}

type Drafts = { ok: true; drafts: unknown[]; provenance: UnitProvenance; fromModel: boolean } | { ok: false; outcome: 'needs_ai_provider' | 'deferred'; message: string }

const excerptLimit = 6000

function sourceVariable(source: SourceDocument | undefined): string {
  if (!source) return ''
  const head = [
    source.sourceId ? `sourceId: ${source.sourceId}` : undefined,
    source.chunkId ? `chunkId: ${source.chunkId}` : undefined,
    `title: ${source.title}`,
    source.sections?.[0]?.page ? `page: ${source.sections[0].page}` : undefined,
    source.sections?.[0]?.section ? `section: ${source.sections[0].section}` : undefined,
  ].filter(Boolean)
  return `${head.join('\n')}\n\n${source.text.slice(0, excerptLimit)}`
}

function seedOf(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

async function draftBatch(ctx: Ctx, request: BatchRequest): Promise<Drafts> {
  const range = request.difficulty ?? { min: 1, max: 5 }
  let reason = 'No AI provider is configured.'
  let providerDown = false
  if (ctx.ai.hasProvider) {
    const covered = await listCoveredConcepts(ctx.sql, request.topic.id, 60)
    const result = await ctx.ai.generate({
      task: 'unit-batch',
      prompt: unitBatchPrompt,
      variables: {
        count: Math.min(10, Math.max(5, request.count)),
        topic: `${request.topic.title} — ${request.topic.description || request.topic.title}`,
        language: request.topic.language,
        difficultyMin: range.min,
        difficultyMax: range.max,
        covered: covered.length > 0 ? covered.join(', ') : '(none yet)',
        source: sourceVariable(request.source),
      },
      schema: UnitBatch,
      caller: request.caller,
    })
    if (result.status === 'ok') {
      return { ok: true, drafts: result.value.units, provenance: { prompt: result.prompt, provider: result.usage.provider, model: result.usage.model }, fromModel: true }
    }
    reason = result.message
    providerDown = result.reason !== 'no_provider'
    ctx.log.warn('unit generation fell back', { topicId: request.topic.id, reason: result.reason })
  }
  if (request.source) {
    const usedExcerpts = await listCitedExcerpts(ctx.sql, request.topic.id)
    const drafts = generateOffline(
      { ...request.source, language: request.source.language ?? request.topic.language },
      { count: request.count, difficulty: request.difficulty, seed: request.seed ?? seedOf(request.batch?.key ?? request.topic.id), usedExcerpts },
    )
    return { ok: true, drafts, provenance: { ...offlineProvenance }, fromModel: false }
  }
  // With a provider that is down or over budget, the topic waits for the next refill; with none, it says so.
  return providerDown ? { ok: false, outcome: 'deferred', message: reason } : { ok: false, outcome: 'needs_ai_provider', message: reason }
}

/** Generates, gates and stores one batch of units for a topic's reservoir. */
export async function generateBatch(ctx: Ctx, request: BatchRequest): Promise<BatchResult> {
  const topic = request.topic
  const existing = await listUnitsForDuplicateCheck(ctx.sql, topic.id)
  const drafted = await draftBatch(ctx, request)
  if (!drafted.ok) return { outcome: drafted.outcome, units: [], rejected: [], provenance: null, message: drafted.message }

  const gated = await runQualityGates(ctx, drafted.drafts, {
    topic: { id: topic.id, title: topic.title },
    existing,
    caller: request.caller,
    blindCheck: drafted.fromModel && ctx.config.CONTENT_BLIND_CHECK,
    source: request.source ? { sourceId: request.source.sourceId, text: request.source.text } : undefined,
    verifyExcerpts: drafted.fromModel,
  })
  const units = await storeUnits(ctx, topic, gated.accepted, drafted.provenance, request.batch, gated.rejected)
  // After the commit: a redelivered batch stores nothing and so queues nothing twice.
  await queueAudioForUnits(ctx, units)
  ctx.log.info('unit batch stored', {
    topicId: topic.id,
    batchKey: request.batch?.key,
    provider: drafted.provenance.provider,
    model: drafted.provenance.model,
    stored: units.length,
    rejected: gated.rejected.length,
    rejections: countRejections(gated.rejected),
  })
  return { outcome: 'stored', units, rejected: gated.rejected, provenance: drafted.provenance }
}

async function storeUnits(ctx: Ctx, topic: Topic, accepted: GatedUnit[], provenance: UnitProvenance, batch: BatchRequest['batch'], rejected: RejectedUnit[]): Promise<Unit[]> {
  const now = ctx.clock.now()
  const rows = accepted.map((unit) => ({
    ...unitContent(unit.draft, { embedding: unit.embedding, embeddingModel: unit.embeddingModel, ...provenance }),
    topicId: topic.id,
    language: topic.language,
    batchId: batch?.id ?? null,
    now,
  }))
  const effect = async (tx: TransactionSql) => {
    const units = await insertUnits(tx, rows)
    if (batch) {
      await finishBatch(tx, batch.id, {
        status: 'done',
        unitsCreated: units.length,
        unitsRejected: rejected.length,
        rejections: countRejections(rejected),
        ...provenance,
        now,
      })
    }
    return units
  }
  if (!batch) return ctx.sql.begin(effect) as Promise<Unit[]>
  // The batch key is the idempotency key: a message delivered again after this commit stores nothing.
  const outcome = await runOnce(ctx.sql, `refill-reservoir:${batch.key}`, effect)
  return outcome.applied ? outcome.result : []
}

export interface RegenerateResult {
  unit: Unit
  previousVersion: number
  rejected: RejectedUnit[]
}

const familyOf = (type: string) => (type === 'quiz' ? 'quiz' : 'text')

/**
 * Writes a new version of one unit with the LLM (`unit-batch@v1`, choosing the candidate closest to
 * the old unit: same type and quiz kind, sharing a concept), keeping the old version in
 * unit_versions. Open reports are resolved as 'regenerated' and a hidden unit becomes active again.
 */
export async function regenerateUnit(ctx: Ctx, unitId: string, options: { actorId: string | null; ip?: string | null } = { actorId: null }): Promise<RegenerateResult> {
  const unit = await findUnit(ctx.sql, unitId)
  if (!unit) throw new AppError('not_found', { message: 'No such unit.' })
  const topic = await findTopic(ctx.sql, unit.topic_id)
  if (!topic) throw new AppError('not_found', { message: 'No such unit.' })
  if (!ctx.ai.hasProvider) {
    throw new AppError('unavailable', { message: 'Regenerating a unit needs an AI provider (set OPENAI_API_KEY or DASHSCOPE_API_KEY). You can retire or restore it instead.' })
  }
  const caller = { purpose: 'regenerate' }
  const result = await ctx.ai.generate({
    task: 'unit-batch',
    prompt: unitBatchPrompt,
    variables: {
      count: 5,
      topic: `${topic.title} — ${topic.description || topic.title}. Rewrite, accurately and more clearly, a ${unit.quiz_kind ?? unit.type} on: ${unit.concept_keys.join(', ')}`,
      language: topic.language,
      difficultyMin: Math.max(1, unit.difficulty - 1),
      difficultyMax: Math.min(5, unit.difficulty + 1),
      covered: '(none: rewriting)',
      source: '',
    },
    schema: UnitBatch,
    caller,
  })
  if (result.status !== 'ok') throw new AppError('unavailable', { message: `The unit could not be regenerated now: ${result.message}` })
  const existing = await listUnitsForDuplicateCheck(ctx.sql, topic.id, { excludeId: unit.id })
  const gated = await runQualityGates(ctx, result.value.units, { topic: { id: topic.id, title: topic.title }, existing, caller, blindCheck: ctx.config.CONTENT_BLIND_CHECK })
  const concepts = new Set(unit.concept_keys)
  const score = (candidate: GatedUnit) =>
    (candidate.draft.type === unit.type ? 4 : 0) +
    (candidate.draft.type === 'quiz' && candidate.draft.body.kind === unit.quiz_kind ? 2 : 0) +
    (candidate.draft.conceptKeys.some((key) => concepts.has(key)) ? 1 : 0)
  const best = gated.accepted
    .filter((candidate) => familyOf(candidate.draft.type) === familyOf(unit.type))
    .sort((a, b) => score(b) - score(a) || a.index - b.index)[0]
  if (!best) throw new AppError('unavailable', { message: 'No regenerated candidate passed the quality gates; try again later.' })

  const provenance = { prompt: result.prompt, provider: result.usage.provider, model: result.usage.model }
  const now = ctx.clock.now()
  const updated = await ctx.sql.begin(async (tx) => {
    const current = await lockUnit(tx, unit.id)
    if (!current) throw new AppError('not_found', { message: 'No such unit.' })
    const replaced = await replaceUnitContent(tx, current, unitContent(best.draft, { embedding: best.embedding, embeddingModel: best.embeddingModel, ...provenance }), { actorId: options.actorId, now })
    await resolveReports(tx, unit.id, 'regenerated', { actorId: options.actorId, now })
    const [active] = await tx<Unit[]>`update units set status = 'active' where id = ${unit.id} and status = 'hidden' returning *`
    await audit(ctx, { actorId: options.actorId, action: 'unit_regenerate', target: unit.id, ip: options.ip ?? null, details: { topic_id: topic.id, version: replaced.version, ...provenance } }, tx)
    return { unit: active ?? replaced, previousVersion: current.version }
  })
  ctx.log.info('unit regenerated', { unitId: unit.id, version: updated.unit.version, provider: provenance.provider, model: provenance.model })
  // The new version has no audio yet (replaceUnitContent clears it).
  await queueAudioForUnits(ctx, [updated.unit])
  return { ...updated, rejected: gated.rejected }
}
