/**
 * The shapes the PWA exchanges with /api/v1. The feed unit is written against issue 6 and
 * lib/content/unit-schema.ts (bodies as stored, quizzes without their answer); the endpoint that
 * serves it must match this file.
 */

export interface ApiErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown }
}

export interface FieldProblem {
  in: 'params' | 'query' | 'body' | 'message'
  path: string
  message: string
}

export type Role = 'learner' | 'mentor' | 'admin'

export interface User {
  id: string
  email: string | null
  name: string
  role: Role
  timezone: string
  locale: string
  email_verified: boolean
  email_verified_at: string | null
  created_at: string
}

export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'Bearer'
  /** Seconds the access token is valid. */
  expires_in: number
}

export type SignedIn = TokenPair & { user: User }

export interface Session {
  id: string
  current: boolean
  remember_me: boolean
  user_agent: string | null
  ip: string | null
  created_at: string
  last_used_at: string
  expires_at: string
}

export type TopicStatus = 'ready' | 'generating' | 'needs_ai_provider'

/** A followed topic as `GET /api/v1/topics` lists it (lib/content/topics.ts). */
export interface Topic {
  id: string
  title: string
  status: TopicStatus
  slug?: string
  language?: string
  description?: string
  kind?: 'shared' | 'library'
  followed?: boolean
  followed_at?: string
  /** Units in the topic's reservoir, and those this learner has not seen yet. */
  stock?: number
  unseen?: number
}

/** `POST /api/v1/topics` → 202: the topic found or created, now followed. */
export interface CreatedTopic {
  topic: Topic
  /** An existing topic meant the same thing. */
  matched: boolean
  /** Set when the topic cannot be filled (no AI provider and no starter topic). */
  message?: string
}

export const reportReasons = ['incorrect', 'unclear', 'offensive', 'duplicate', 'other'] as const
export type ReportReason = (typeof reportReasons)[number]

export const contextModes = ['driving', 'commuting', 'working', 'idle'] as const
export type ContextMode = (typeof contextModes)[number]

export type Format = 'text' | 'quiz' | 'audio' | 'visual'

export type ProseType = 'story' | 'analogy' | 'example' | 'mistake' | 'definition' | 'eli5' | 'summary'

export interface InsightBody {
  text: string
  detail?: string
}
export interface ProseBody {
  title?: string
  text: string
  detail?: string
}
export interface ScenarioBody {
  title: string
  characters: [{ name: string }, { name: string }]
  lines: { speaker: 0 | 1; text: string }[]
}
export interface StoryboardBody {
  title: string
  frames: { caption: string; visual: string }[]
}

interface ChoiceQuiz {
  question: string
  options: string[]
  hint?: string
}
/** Quizzes as served: the correct option, statement value or blank answer stays on the server. */
export type QuizBody =
  | ({ kind: 'mcq' } & ChoiceQuiz)
  | ({ kind: 'predict_next' } & ChoiceQuiz)
  | ({ kind: 'pick_analogy' } & ChoiceQuiz)
  | { kind: 'true_false'; statement: string; hint?: string }
  | { kind: 'fill_blank'; text: string; hint?: string }
export type QuizKind = QuizBody['kind']

export type UnitContent =
  | { type: 'insight'; body: InsightBody }
  | { type: ProseType; body: ProseBody }
  | { type: 'scenario'; body: ScenarioBody }
  | { type: 'storyboard'; body: StoryboardBody }
  | { type: 'quiz'; body: QuizBody }
export type UnitType = UnitContent['type']

export interface ReasonView {
  code: string
  text: string
}

export interface AudioView {
  /** A signed URL, valid for minutes: fetch it while it is fresh (the service worker keys audio without the signature). */
  url: string
  duration_ms: number | null
  transcript: string | null
}

export interface CitationView {
  title: string
  page?: number
  section?: string
  excerpt: string
}

/** How `GET /api/v1/feed/next` serves a unit (lib/feed/api/next.ts, FeedUnitView). */
export type FeedUnit = UnitContent & {
  kind?: 'unit'
  id: string
  /** How to present it now: an insight with audio is served as audio while driving. */
  format: Format
  quiz_kind?: QuizKind | null
  /** 'review' when it brings back a concept that is due. */
  role?: 'unit' | 'quiz' | 'review'
  /** The mode lets this unit's audio start without a tap. */
  autoplay?: boolean
  topic: { id: string; title: string }
  difficulty: number
  audio?: AudioView | null
  citation?: CitationView | null
  reason: ReasonView
}

/** "Take a break?" after `break_minutes` of continuous use. */
export interface FeedBreak {
  kind: 'break'
  minutes: number
  reason: ReasonView
}

export type FeedItem = FeedUnit | FeedBreak

/** What the mode allows the client to do (lib/feed/modes.ts). */
export interface ClientFlags {
  autoplay: boolean
  sound: boolean
  onScreenQuizzes: boolean
  handsFree: boolean
}

export interface FeedPage {
  mode?: ContextMode
  client?: ClientFlags
  units: FeedItem[]
  /** Driving serves only voiced units: how many more are being voiced when the page came up short. */
  pending_audio?: number
  /** The learner follows a topic or has a library (so an empty page means caught up). */
  has_topics?: boolean
}

/** An mcq-like quiz answers with the option index, true_false with a boolean, fill_blank with text. */
export type QuizAnswer = number | boolean | string

export interface AnswerInput {
  answer: QuizAnswer
  time_ms: number
  hint_used?: boolean
}

export interface AnswerResult {
  correct: boolean
  correct_answer: QuizAnswer
  explanation: string
  /** False for a later try on the same exposure: checked, but it changes nothing. */
  scored?: boolean
}

export const feedEventTypes = ['impression', 'dwell', 'skip', 'like', 'dislike', 'save', 'complete', 'audio_progress', 'expand'] as const
export type FeedEventType = (typeof feedEventTypes)[number]

/** One learner signal, sent in batches as `POST /api/v1/feed/events {events: [...]}` (lib/feed/events.ts). */
export interface FeedEvent {
  /** A client-made UUID: the server ignores an id it has seen, so a retried batch counts once. */
  client_id: string
  /** When it happened (ISO 8601 with offset); batches may arrive late and out of order. */
  timestamp: string
  type: FeedEventType
  unit_id: string
  /** Milliseconds on the unit, for dwell and skip. */
  ms?: number
  /** Share of the audio heard, 0–1, for audio_progress. */
  progress?: number
  mode?: ContextMode
  /** How the unit was presented, when not in its own format. */
  format?: Format
}

export type BranchKind = 'deeper' | 'story' | 'example' | 'simpler' | 'audio'

/** The difficulty a learner can ask for (lib/feed/types.ts#difficultyPreferences). */
export const difficultyChoices = ['easier', 'balanced', 'harder'] as const

/** Every stored choice, as `GET` and `PUT /api/v1/me/preferences` answer it (lib/feed/api/preferences.ts). */
export interface Preferences {
  context_mode: ContextMode
  difficulty: (typeof difficultyChoices)[number]
  formats: Format[]
  /** Per context, a format that always wins over what was learned. */
  pinned_formats: Partial<Record<ContextMode, Format>>
  voice: string | null
  /** Units a day, 1–200. */
  daily_goal: number
  /** Minutes of continuous use before "take a break?"; 0 turns it off. */
  break_minutes: number
  /** The account's (`PUT /api/v1/me`), not a preference: read-only here. */
  timezone: string
}

/** `PUT /api/v1/me/preferences` (lib/feed/preferences.ts): every field optional. */
export type PreferencesChange = Partial<Omit<Preferences, 'timezone' | 'pinned_formats'>> & {
  /** null unpins. */
  pinned_formats?: Partial<Record<ContextMode, Format | null>>
}
