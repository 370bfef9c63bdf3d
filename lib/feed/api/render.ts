import type { Storage } from '../../storage/index.ts'

/** What the client may see of a unit: a quiz travels without its answer key. */

const answerFields: Record<string, readonly string[]> = {
  mcq: ['correct', 'explanation'],
  predict_next: ['correct', 'explanation'],
  pick_analogy: ['correct', 'explanation'],
  true_false: ['correct', 'explanation'],
  fill_blank: ['answer', 'accept', 'explanation'],
}

export function publicBody(type: string, body: Record<string, unknown>): Record<string, unknown> {
  if (type !== 'quiz') return body
  const hidden = answerFields[String(body.kind)] ?? ['correct', 'answer', 'accept', 'explanation']
  return Object.fromEntries(Object.entries(body).filter(([key]) => !hidden.includes(key)))
}

export interface AudioView {
  url: string
  duration_ms: number | null
  transcript: string | null
}

/** Signed audio links are short-lived and made afresh whenever the feed returns the unit. */
export const audioUrlSeconds = 15 * 60

/**
 * The unit's audio for the client: a stored object key is signed now; a URL already public is
 * passed through. Null when there is no playable audio.
 */
export async function publicAudio(storage: Pick<Storage, 'signedGetUrl'>, audio: Record<string, unknown> | null): Promise<AudioView | null> {
  if (!audio) return null
  const key = typeof audio.key === 'string' ? audio.key : null
  const url = key ? await storage.signedGetUrl(key, { expiresSeconds: audioUrlSeconds }) : typeof audio.url === 'string' ? audio.url : null
  if (!url) return null
  return { url, duration_ms: storedDurationMs(audio), transcript: typeof audio.transcript === 'string' ? audio.transcript : null }
}

/** The clip's length when the unit has a playable clip (a stored key or a public URL). */
export function playableDurationMs(audio: Record<string, unknown> | null): number | null {
  if (!audio || (typeof audio.key !== 'string' && typeof audio.url !== 'string')) return null
  return storedDurationMs(audio)
}

function storedDurationMs(audio: Record<string, unknown>): number | null {
  const duration = audio.duration_ms ?? audio.durationMs
  return typeof duration === 'number' ? duration : null
}
