import { ApiError, client, OfflineError } from './api.ts'
import type { Page } from './page.ts'
import type { FeedUnit } from './types.ts'

/**
 * The learner's own material and record: uploads (lib/sources/api.ts), the daily summary
 * (lib/feed/api/summaries.ts), progress and review exports (lib/feed/api/progress.ts) and saved
 * units. Shapes follow those server files.
 */

export type SourceStatus = 'queued' | 'extracting' | 'chunking' | 'generating' | 'ready' | 'failed'
export type SourceKind = 'file' | 'url' | 'text'

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

export interface CreatedSource {
  source_id: string
  status: SourceStatus
  /** Identical content from this learner was already a source, which is reused. */
  reused: boolean
}

interface UploadUrl {
  object_key: string
  upload_url: string
  expires_at: string
}

export interface SummaryBody {
  date: string
  title: string
  text: string
  highlights: string[]
  next_step: string | null
  reflection_prompt: string
  units_seen: number
  units: { id: string; type: string; topic: string; title: string }[]
  topics: string[]
  concepts: string[]
  quizzes: { answered: number; right: number; wrong: number }
  concepts_right: string[]
  concepts_wrong: string[]
  streak: number
  written_by: 'ai' | 'template'
}

export interface TodaySummary {
  date: string
  /** False before 20:00 local time: a preview of the day so far, not stored. */
  stored: boolean
  created_at: string | null
  summary: SummaryBody
}

export interface PastSummaries {
  from: string
  to: string
  summaries: { date: string; created_at: string; summary: SummaryBody }[]
}

export interface DailyAccuracy {
  /** YYYY-MM-DD, the learner's local day. */
  date: string
  answered: number
  correct: number
  accuracy: number
}

export interface TopicProgress {
  topic_id: string
  title: string
  units_seen: number
  concepts: number
  mastered_concepts: number
  reviews_due_now: number
  next_review_at: string | null
  accuracy: DailyAccuracy[]
}

export interface ProgressView {
  mastered_stability_days: number
  topics: TopicProgress[]
  next_reviews: { topic_id: string; concept_key: string; due_at: string; state: string }[]
}

export interface SavedItem {
  unit: FeedUnit
  saved_at: string
}

/** A unit made from one of the learner's documents (lib/sources/units.ts). */
export interface SourceUnitItem {
  unit: FeedUnit
  /** When the feed first showed it; null while it is new to the learner. */
  seen_at: string | null
}

const { request } = client

export const libraryApi = {
  sources: async () => (await request<{ sources: SourceView[] }>('GET', '/sources')).sources,
  source: (id: string) => request<SourceView>('GET', `/sources/${encodeURIComponent(id)}`),
  addLink: (url: string) => request<CreatedSource>('POST', '/sources', { body: { url } }),
  deleteSource: (id: string) => request<void>('DELETE', `/sources/${encodeURIComponent(id)}`),
  sourceUnits: (id: string, cursor?: string, limit = 20) => request<Page<SourceUnitItem>>('GET', `/sources/${encodeURIComponent(id)}/units`, { query: { limit, cursor } }),
  today: () => request<TodaySummary>('GET', '/summaries/today'),
  summaries: (from: string, to: string) => request<PastSummaries>('GET', '/summaries', { query: { from, to } }),
  progress: () => request<ProgressView>('GET', '/me/progress'),
  reviewsCsv: () => request<string>('GET', '/me/reviews.csv'),
  reviewsJson: () => request<unknown>('GET', '/me/reviews.json'),
  saved: (cursor?: string, limit = 20) => request<Page<SavedItem>>('GET', '/me/saved', { query: { limit, cursor } }),
  unsave: (unitId: string) => request<void>('DELETE', `/me/saved/${encodeURIComponent(unitId)}`),
}

export interface UploadOptions {
  /** Fraction of the bytes sent, 0–1. */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

/**
 * Adds a file in three steps: a signed PUT URL from the API, the bytes straight to storage (with
 * upload progress, which only XMLHttpRequest reports), then the source registered by its key.
 * Direct-to-storage keeps big files off the API (Function Compute caps request bodies well below
 * the 25 MB the ingest accepts) and needs no access token in the upload request.
 */
export async function uploadFile(file: File, options: UploadOptions = {}): Promise<CreatedSource> {
  const contentType = file.type || 'application/octet-stream'
  const target = await request<UploadUrl>('POST', '/sources/upload-url', {
    body: { filename: file.name, content_type: contentType, size: file.size },
    signal: options.signal,
  })
  await putObject(target.upload_url, file, contentType, options)
  options.onProgress?.(1)
  return request<CreatedSource>('POST', '/sources', { body: { object_key: target.object_key, title: file.name }, signal: options.signal })
}

function putObject(url: string, file: File, contentType: string, options: UploadOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', url)
    // The URL was signed for this content type; storage refuses another.
    xhr.setRequestHeader('content-type', contentType)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(Math.min(1, event.loaded / event.total))
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve()
      reject(uploadFailure(xhr))
    }
    xhr.onerror = () => reject(new OfflineError())
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'))
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(file)
  })
}

function uploadFailure(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { code?: string; message?: string; requestId?: string } }
    if (body.error?.code) return new ApiError(xhr.status, { code: body.error.code, message: body.error.message ?? '', requestId: body.error.requestId ?? '' })
  } catch {
    // storage answered with XML (OSS) or nothing
  }
  const code = xhr.status === 413 ? 'too_large' : xhr.status >= 500 ? 'unavailable' : 'upload_failed'
  return new ApiError(xhr.status, { code, message: xhr.statusText || `HTTP ${xhr.status}`, requestId: '' })
}
