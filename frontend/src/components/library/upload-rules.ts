import { hasMessage, t, type MessageKey } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import type { SourceView } from '../../lib/api-library.ts'

/**
 * What the library accepts, checked in the browser before a byte is sent. The server decides by
 * magic bytes (lib/ingest/detect.ts) and has the last word; these checks only spare the learner a
 * wasted upload and say plainly what went wrong.
 */

/** lib/ingest/types.ts defaultLimits.maxBytes: the API refuses anything larger with `too_large`. */
export const maxUploadBytes = 25 * 1024 * 1024

const accepted: Record<string, readonly string[]> = {
  pdf: ['application/pdf'],
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  txt: ['text/plain'],
  md: ['text/markdown', 'text/x-markdown'],
  markdown: [],
  html: ['text/html'],
  htm: [],
  mp3: ['audio/mpeg', 'audio/mp3'],
  m4a: ['audio/mp4', 'audio/x-m4a', 'audio/m4a'],
  wav: ['audio/wav', 'audio/x-wav', 'audio/wave'],
}

export const acceptedExtensions = Object.keys(accepted)
/** For `<input type="file" accept>`: extensions and MIME types both, since phones filter by either. */
export const acceptAttribute = [...acceptedExtensions.map((extension) => `.${extension}`), ...Object.values(accepted).flat()].join(',')

export interface FileProblem {
  key: MessageKey
  params?: Record<string, string | number>
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

/** Megabytes with one decimal below 10 MB ("2.4 MB"), whole above ("18 MB"). */
export function formatMegabytes(bytes: number): string {
  const megabytes = bytes / 1024 / 1024
  if (megabytes < 0.1) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  return `${megabytes < 10 ? megabytes.toFixed(1) : Math.round(megabytes)} MB`
}

export function checkFile(file: { name: string; type: string; size: number }, limit = maxUploadBytes): FileProblem | null {
  const extension = extensionOf(file.name)
  const known = extension in accepted || Object.values(accepted).some((types) => types.includes(file.type.toLowerCase()))
  if (extension === 'doc') return { key: 'library.check.doc' }
  if (!known) return { key: 'library.check.type', params: { type: extension ? `.${extension}` : file.type || '?' } }
  if (file.size === 0) return { key: 'library.check.empty' }
  if (file.size > limit) return { key: 'library.check.tooLarge', params: { size: formatMegabytes(file.size), max: formatMegabytes(limit) } }
  return null
}

/** A link the API will take: http or https only (the server also refuses private addresses). */
export function checkLink(raw: string): FileProblem | null {
  if (!raw.trim()) return { key: 'library.check.linkEmpty' }
  let url: URL
  try {
    url = new URL(normalizeLink(raw))
  } catch {
    return { key: 'library.check.linkInvalid' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { key: 'library.check.linkScheme' }
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') return { key: 'library.check.linkInvalid' }
  return null
}

/** "example.com/page" → "https://example.com/page": people paste links without the scheme. */
export function normalizeLink(raw: string): string {
  const text = raw.trim()
  return /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`
}

const stageShare: Record<string, [number, number]> = {
  queued: [0, 0.05],
  extracting: [0.05, 0.35],
  chunking: [0.35, 0.45],
  generating: [0.45, 1],
}

/**
 * How far along processing is, 0–1, from the stage and its done/total. Stages take a fixed share
 * of the bar (generating is most of the wait); the server only moves progress forward, so the bar
 * does too.
 */
export function processingFraction(source: Pick<SourceView, 'status' | 'progress'>): number {
  if (source.status === 'ready') return 1
  if (source.status === 'failed') return 0
  const [start, end] = stageShare[source.status] ?? [0, 0.05]
  const { done, total } = source.progress ?? { done: 0, total: 0 }
  const within = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0
  return start + (end - start) * within
}

export const isSettled = (source: Pick<SourceView, 'status'>) => source.status === 'ready' || source.status === 'failed'

/**
 * The message for a failure code the ingest pipeline or the sources API produces (encrypted_pdf,
 * too_large, url_not_allowed, …: lib/messages/library.ts `library.error.*`), or null for a code it
 * does not know.
 */
export function sourceErrorKey(code: string): MessageKey | null {
  const key = `library.error.${code}`
  return hasMessage(key) ? key : null
}

/** A failure code's sentence in the learner's language, or `fallback` (e.g. the server's own) for a code without one. */
export function sourceErrorText(code: string | undefined, fallback: string): string {
  const key = code === undefined ? null : sourceErrorKey(code)
  return key ? t(key) : fallback
}
