import { client } from './api.ts'
import type { ContextMode, FeedUnit, Format, Preferences } from './types.ts'

/**
 * The hands-free queue, offline packs and the learner's feed preferences. Shapes follow
 * lib/feed/api/preferences.ts, lib/feed/api/personalization.ts and the audio-queue / pack
 * contracts of issues 7 and 8.
 */

/** `GET /api/v1/feed/audio-queue?minutes=N`: ready audio units for about N minutes. */
export interface AudioQueue {
  units: FeedUnit[]
  duration_ms: number
  /** Units chosen for the queue whose audio is still being synthesized. */
  pending: number
}

/** `GET /api/v1/feed/pack?topic_id=&minutes=`: a topic's units and their audio for offline use. */
export interface FeedPack {
  topic: { id: string; title: string }
  minutes: number
  units: FeedUnit[]
  duration_ms: number
}

export const packMinutes = [15, 30, 60] as const
export type PackMinutes = (typeof packMinutes)[number]

/**
 * The narrator voices the audio worker knows (lib/tts/synthesize-unit.ts): each provider's first
 * and second voice. Null leaves the choice to the server.
 */
export const voiceChoices = ['female', 'male'] as const

export interface Personalization {
  /** `code` marks a sentence that repeats a figure below (`difficulty_choice`: `difficulty_preference`). */
  statements: { kind: 'format' | 'difficulty' | 'interest' | 'rule' | 'streak'; code?: 'difficulty_choice'; text: string }[]
  /** Engagement in [0,1] per context mode and format; 0.5 means nothing learned. */
  format_weights: Record<ContextMode, Record<Format, number>>
  pinned_formats: Partial<Record<ContextMode, Format>>
  difficulty_preference: Preferences['difficulty']
  topics: {
    topic_id: string
    title: string
    rating: number
    /** 1–5. */
    level: number
    answers: number
    recent_accuracy: number | null
    engagement: number
  }[]
  liked_units_in_profile: number
}

const { request } = client

export const drivingApi = {
  audioQueue: (minutes: number, signal?: AbortSignal) => request<AudioQueue>('GET', '/feed/audio-queue', { query: { minutes }, signal }),
  pack: (topicId: string, minutes: PackMinutes, signal?: AbortSignal) => request<FeedPack>('GET', '/feed/pack', { query: { topic_id: topicId, minutes }, signal }),

  /** Saving is `api.setPreferences` (lib/api.ts). */
  preferences: () => request<Preferences>('GET', '/me/preferences'),
  personalization: () => request<Personalization>('GET', '/me/personalization'),
  resetPersonalization: () => request<Personalization>('POST', '/me/personalization/reset'),
}
