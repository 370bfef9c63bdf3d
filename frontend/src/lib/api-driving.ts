import { client } from './api.ts'
import type { ContextMode, FeedUnit, Format } from './types.ts'

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

export const difficultyChoices = ['easier', 'balanced', 'harder'] as const
export type DifficultyChoice = (typeof difficultyChoices)[number]

/**
 * The narrator voices the audio worker knows (lib/tts/synthesize-unit.ts): each provider's first
 * and second voice. Null leaves the choice to the server.
 */
export const voiceChoices = ['female', 'male'] as const

/** What `PUT /api/v1/me/preferences` answers: every stored choice. */
export interface PreferencesView {
  context_mode: ContextMode
  difficulty: DifficultyChoice
  formats: Format[]
  pinned_formats: Partial<Record<ContextMode, Format>>
  voice: string | null
  /** Units a day, 1–200. */
  daily_goal: number
  /** Minutes of continuous use before "take a break?"; 0 turns it off. */
  break_minutes: number
  timezone: string
}

export type PreferencesChange = Partial<Pick<PreferencesView, 'difficulty' | 'voice' | 'daily_goal' | 'break_minutes'>>

export interface Personalization {
  statements: { kind: 'format' | 'difficulty' | 'interest' | 'rule' | 'streak'; text: string }[]
  /** Engagement in [0,1] per context mode and format; 0.5 means nothing learned. */
  format_weights: Record<ContextMode, Record<Format, number>>
  pinned_formats: Partial<Record<ContextMode, Format>>
  difficulty_preference: string
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

  preferences: () => request<PreferencesView>('GET', '/me/preferences'),
  savePreferences: (change: PreferencesChange) => request<PreferencesView>('PUT', '/me/preferences', { body: change }),
  personalization: () => request<Personalization>('GET', '/me/personalization'),
  resetPersonalization: () => request<Personalization>('POST', '/me/personalization/reset'),
}
