import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Ctx } from '../context.ts'
import type { SourceKind, SourceStatus, SourceWithUnits } from '../db/sources.ts'
import { AppError } from '../errors.ts'
import { hitAiLimit } from '../auth/rate-limits.ts'
import { validate } from '../platform/server.ts'
import { contentHash, defaultLimits } from '../ingest/index.ts'
import { deleteSourceAndUnits, findOwnSource, findOwnSourceWithUnits, insertSource, listOwnSources, requeueFailedSource } from '../db/sources.ts'
import { deleteUploadTickets, insertUploadTicket } from '../db/upload-tickets.ts'
import { originalKey, sourcePrefix, uploadPrefix } from './keys.ts'
import { queueIngest } from './pipeline.ts'

/**
 * The sources endpoints (issue 5): a learner adds a file, a link or pasted text and gets 202 with
 * the source id; the ingest-source worker does the rest. Someone else's source answers 404, never
 * 403: its existence is not the caller's business.
 */
export const maxUploadBytes = defaultLimits.maxBytes
/** Multipart framing and the other fields around a file of maxUploadBytes. */
export const sourcesBodyLimit = maxUploadBytes + 256 * 1024

export const SourceParams = z.object({ id: z.uuid() })

const JsonSourceBody = z.union([
  z.strictObject({ url: z.string().trim().min(1).max(2048) }),
  z.strictObject({ title: z.string().trim().max(300).optional(), text: z.string().min(1).max(defaultLimits.maxCharacters) }),
  z.strictObject({ object_key: z.string().min(1).max(512), title: z.string().trim().max(300).optional() }),
])

export const UploadUrlBody = z.object({
  filename: z.string().trim().max(300).optional(),
  content_type: z.string().trim().max(255).optional(),
  size: z.number().int().min(1),
})
export type UploadUrlBody = z.infer<typeof UploadUrlBody>

export interface SourceView {
  id: string
  title: string
  kind: SourceKind
  type: string | null
  url: string | null
  status: SourceStatus
  progress: { stage: string; done: number; total: number }
  units: number
  error: { code: string; message: string } | null
  pages: number | null
  characters: number | null
  created_at: string
  updated_at: string
}

function sourceView(source: SourceWithUnits): SourceView {
  return {
    id: source.id,
    title: source.title,
    kind: source.kind,
    type: source.type,
    url: source.url,
    status: source.status,
    progress: source.progress,
    units: source.units,
    error: source.error,
    pages: source.pages,
    characters: source.characters,
    created_at: source.created_at.toISOString(),
    updated_at: source.updated_at.toISOString(),
  }
}

export interface CreatedSource {
  source_id: string
  status: SourceStatus
  /** True when identical content from this learner was already a source, which is reused. */
  reused: boolean
}

/**
 * `POST /api/v1/sources`: multipart `file` (+ `title`), or JSON `{url}`, `{title, text}` or `{object_key}`.
 * Each new source counts against the AI rate limit, except `{object_key}`: its upload URL counted.
 */
export async function createSource(ctx: Ctx, userId: string, request: Request): Promise<CreatedSource> {
  const type = request.headers.get('content-type') ?? ''
  if (/^multipart\/form-data/i.test(type)) {
    await hitAiLimit(ctx, userId)
    return createFromMultipart(ctx, userId, request)
  }
  if (/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    let json: unknown
    try {
      json = JSON.parse(await request.text())
    } catch {
      throw new AppError('invalid_json')
    }
    const body = validate(JsonSourceBody, json, 'body')
    if (!('object_key' in body)) await hitAiLimit(ctx, userId)
    if ('url' in body) return createFromUrl(ctx, userId, body.url)
    if ('text' in body) return createFromText(ctx, userId, body.title ?? '', body.text)
    return createFromUpload(ctx, userId, body.object_key, body.title)
  }
  throw new AppError('unsupported_media_type', { message: 'Send a file as multipart/form-data (field "file"), or JSON with url, text or object_key.' })
}

async function createFromMultipart(ctx: Ctx, userId: string, request: Request): Promise<CreatedSource> {
  let form: FormData
  try {
    form = await request.formData()
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('bad_request', { message: 'The multipart body could not be read.', cause: error })
  }
  const file = form.get('file')
  if (!(file instanceof File)) {
    throw new AppError('validation_failed', { details: [{ in: 'body', path: 'file', message: 'a file is required' }] })
  }
  if (file.size > maxUploadBytes) throw tooLarge()
  const bytes = new Uint8Array(await file.arrayBuffer())
  const titleField = form.get('title')
  const title = (typeof titleField === 'string' && titleField.trim()) || file.name || 'Untitled document'
  return registerStored(ctx, userId, { kind: 'file', title, mime: file.type || null, bytes })
}

async function createFromText(ctx: Ctx, userId: string, title: string, text: string): Promise<CreatedSource> {
  const bytes = new TextEncoder().encode(text)
  if (bytes.length > maxUploadBytes) throw tooLarge()
  return registerStored(ctx, userId, { kind: 'text', title: title || 'Pasted text', mime: 'text/plain; charset=utf-8', bytes })
}

/** Stores the bytes under the new source's prefix, then records the source (or finds the identical one and drops the copy). */
async function registerStored(ctx: Ctx, userId: string, input: { kind: SourceKind; title: string; mime: string | null; bytes: Uint8Array }): Promise<CreatedSource> {
  const id = randomUUID()
  const key = originalKey(userId, id)
  await ctx.storage.put(key, input.bytes, { contentType: input.kind === 'text' ? 'text/plain; charset=utf-8' : 'application/octet-stream' })
  const hash = contentHash(input.bytes)
  const result = await register(ctx, userId, { id, kind: input.kind, title: input.title, mime: input.mime, objectKey: key, url: null, hash })
  if (result.reused) await ctx.storage.delete(key)
  return result
}

async function createFromUrl(ctx: Ctx, userId: string, raw: string): Promise<CreatedSource> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new AppError('validation_failed', { details: [{ in: 'body', path: 'url', message: 'must be a URL' }] })
  }
  // The fetcher checks everything else (addresses, redirects) when it runs; refusing other schemes here saves a round trip.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('url_not_allowed', { message: 'Only http and https links can be added.' })
  url.hash = ''
  const href = url.toString()
  const title = `${url.hostname}${url.pathname === '/' ? '' : url.pathname}`.slice(0, 300)
  // A link's content is unknown until it is fetched: the same learner adding the same link reuses the source.
  return register(ctx, userId, { id: randomUUID(), kind: 'url', title, mime: null, objectKey: null, url: href, hash: contentHash(`url:${href}`) })
}

async function createFromUpload(ctx: Ctx, userId: string, objectKey: string, title: string | undefined): Promise<CreatedSource> {
  // Another learner's key (or anything outside the caller's uploads) does not exist for this caller.
  if (!objectKey.startsWith(uploadPrefix(userId)) || objectKey.includes('..')) throw new AppError('not_found', { message: 'No such upload.' })
  const info = await ctx.storage.head(objectKey)
  if (!info) throw new AppError('not_found', { message: 'No such upload.' })
  if (info.size > maxUploadBytes) {
    await ctx.storage.delete(objectKey)
    throw tooLarge()
  }
  const stored = await ctx.storage.get(objectKey)
  if (!stored) throw new AppError('not_found', { message: 'No such upload.' })
  const hash = contentHash(stored.body)
  const name = objectKey.slice(objectKey.lastIndexOf('/') + 1).replace(/^[0-9a-f-]{36}-?/, '')
  const result = await register(ctx, userId, {
    id: randomUUID(),
    kind: 'file',
    title: title || name || 'Untitled document',
    mime: info.contentType,
    objectKey,
    url: null,
    hash,
  })
  if (result.reused) await ctx.storage.delete(objectKey)
  await deleteUploadTickets(ctx.sql, [objectKey])
  return result
}

async function register(
  ctx: Ctx,
  userId: string,
  input: { id: string; kind: SourceKind; title: string; mime: string | null; objectKey: string | null; url: string | null; hash: string },
): Promise<CreatedSource> {
  const { source, created } = await insertSource(ctx.sql, {
    id: input.id,
    userId,
    title: input.title.slice(0, 300),
    kind: input.kind,
    mime: input.mime?.slice(0, 200) ?? null,
    objectKey: input.objectKey,
    url: input.url,
    contentHash: input.hash,
    now: ctx.clock.now(),
  })
  if (created) {
    await queueIngest(ctx, source.id)
    ctx.log.info('source added', { sourceId: source.id, userId, kind: input.kind })
    return { source_id: source.id, status: source.status, reused: false }
  }
  // A failure may have been passing (a link that was down, no AI provider yet): sending it again retries.
  if (source.status === 'failed') {
    const again = await requeueFailedSource(ctx.sql, source.id, ctx.clock.now())
    if (again) {
      await queueIngest(ctx, source.id)
      return { source_id: source.id, status: again.status, reused: true }
    }
  }
  return { source_id: source.id, status: source.status, reused: true }
}

const uploadUrlSeconds = 15 * 60

/**
 * `POST /api/v1/sources/upload-url`: a signed PUT URL under the caller's uploads prefix, for files too
 * big to post through the API. Its ticket lets the sweep delete the object if it is never registered.
 */
export async function createUploadUrl(ctx: Ctx, userId: string, body: UploadUrlBody): Promise<{ object_key: string; upload_url: string; expires_at: string }> {
  if (body.size > maxUploadBytes) throw tooLarge()
  const name = (body.filename ?? '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 100)
  const key = `${uploadPrefix(userId)}${randomUUID()}${name ? `-${name}` : ''}`
  const contentType = body.content_type && /^[\w.+-]+\/[\w.+-]+$/.test(body.content_type) ? body.content_type : undefined
  const expiresAt = new Date(ctx.clock.now().getTime() + uploadUrlSeconds * 1000)
  await insertUploadTicket(ctx.sql, { objectKey: key, userId, expiresAt })
  const url = await ctx.storage.signedPutUrl(key, { expiresSeconds: uploadUrlSeconds, ...(contentType ? { contentType } : {}) })
  return { object_key: key, upload_url: url, expires_at: expiresAt.toISOString() }
}

export async function listSources(ctx: Ctx, userId: string): Promise<{ sources: SourceView[] }> {
  const rows = await listOwnSources(ctx.sql, userId, 200)
  return { sources: rows.map(sourceView) }
}

export async function getSource(ctx: Ctx, userId: string, id: string): Promise<SourceView> {
  const source = await findOwnSourceWithUnits(ctx.sql, userId, id)
  if (!source) throw new AppError('not_found', { message: 'No such source.' })
  return sourceView(source)
}

/** `DELETE /api/v1/sources/:id`: the source, its chunks, the units citing it and its stored objects. */
export async function deleteSource(ctx: Ctx, userId: string, id: string): Promise<void> {
  const source = await findOwnSource(ctx.sql, userId, id)
  if (!source) throw new AppError('not_found', { message: 'No such source.' })
  const units = await ctx.sql.begin((tx) => deleteSourceAndUnits(tx, source))
  await ctx.storage.deletePrefix(sourcePrefix(userId, id))
  if (source.object_key && !source.object_key.startsWith(sourcePrefix(userId, id))) await ctx.storage.delete(source.object_key)
  ctx.log.info('source deleted', { sourceId: id, userId, units })
}

function tooLarge(): AppError {
  return new AppError('too_large', { message: `This file is larger than ${Math.round(maxUploadBytes / 1024 / 1024)} MB, which is the most we accept.` })
}
