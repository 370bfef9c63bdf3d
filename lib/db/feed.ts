import type { Queryable } from './index.ts'

/**
 * Queries for the feed (sql/0006_feed.sql over sql/0004_content.sql). Rows only: lib/feed/api maps
 * them to and from the pure types in lib/feed.
 */

export interface CardRow {
  topic_id: string
  concept_key: string
  state: 'New' | 'Learning' | 'Review' | 'Relearning'
  due: Date
  stability: number
  difficulty: number
  scheduled_days: number
  learning_steps: number
  reps: number
  lapses: number
  last_review: Date | null
  last_quiz_unit_id: string | null
  last_quiz_kind: string | null
}

export interface PreferencesRow {
  context_mode: string
  difficulty: string
  formats: string[]
  pinned_formats: Record<string, string>
  voice: string | null
  daily_goal: number
  break_minutes: number
}

export interface LearnerRow {
  state: Record<string, unknown> | null
  preferences: PreferencesRow | null
  timezone: string
}

/** The learner's stored preferences (null until they choose) and time zone, as two select-list columns. */
function preferencesColumns(sql: Queryable, userId: string) {
  return sql`(select to_jsonb(p) - 'user_id' - 'updated_at' from learner_preferences p where p.user_id = ${userId}) as preferences,
    (select timezone from users where id = ${userId}) as timezone`
}

/** The columns of `CardRow` from `concept_cards`. */
export function cardColumns(sql: Queryable) {
  return sql`topic_id, concept_key, state, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses, last_review, last_quiz_unit_id, last_quiz_kind`
}

/** The learner's state (null before their first signal), preferences and time zone, without locking. */
export async function findLearner(sql: Queryable, userId: string): Promise<LearnerRow> {
  const [row] = await sql<(Omit<LearnerRow, 'timezone'> & { timezone: string | null })[]>`
    select (select state from learner_states where user_id = ${userId}) as state, ${preferencesColumns(sql, userId)}`
  return { ...row!, timezone: row!.timezone ?? 'UTC' }
}

/** A candidate as the feed query returns it (JSON: times are strings). */
export interface CandidateRow {
  id: string
  topic_id: string
  topic_title: string
  type: string
  quiz_kind: string | null
  format: string
  est_seconds: number
  char_length: number
  difficulty: number
  rating: number
  concept_keys: string[]
  is_library: boolean
  source_title: string | null
  has_audio: boolean
  impressions: number
  likes: number
  dislikes: number
  created_at: string
  /** Versions the unit's embedding (regeneration rewrites it in place). */
  updated_at: string
  last_seen_at: string | null
}

export interface FeedInputs extends LearnerRow {
  /** Cards that are due, and cards of the concepts the candidate quizzes test. */
  cards: CardRow[]
  candidates: CandidateRow[]
  /** Unseen candidates per followed topic and the learner's library (at most `perTopic`), to notice a reservoir running low. */
  unseen: { topic_id: string; kind: 'shared' | 'library'; count: number }[]
}

/**
 * Everything `GET /feed/next` ranks, in one statement: the learner's state and preferences, unseen
 * units of every followed topic and of their library (newest first, `perTopic` each), quizzes for
 * due concepts (seen or not), teaching units for concepts to re-teach, and the cards involved.
 * Embeddings are not loaded here: `unitEmbeddings` serves them from a per-process cache.
 */
export async function loadFeedInputs(sql: Queryable, options: { userId: string; now: Date; perTopic: number; dueLimit: number }): Promise<FeedInputs> {
  const { userId, now, perTopic, dueLimit } = options
  const [row] = await sql<(FeedInputs & { cards: (Omit<CardRow, 'due' | 'last_review'> & { due: string; last_review: string | null })[] })[]>`
    with me as (
      select s.state from learner_states s where s.user_id = ${userId}
    ),
    followed as (
      select t.id, t.title, t.kind from topic_follows f join topics t on t.id = f.topic_id where f.user_id = ${userId}
      union
      select t.id, t.title, t.kind from topics t where t.owner_user_id = ${userId} and t.kind = 'library'
    ),
    fresh as (
      select u.id, u.topic_id from followed t cross join lateral (
        select u.id, u.topic_id from units u
        where u.topic_id = t.id and u.status = 'active'
          and not exists (select 1 from unit_views v where v.user_id = ${userId} and v.unit_id = u.id)
        order by u.created_at desc, u.id
        limit ${perTopic}
      ) u
    ),
    due as (
      select c.topic_id, c.concept_key from concept_cards c
      where c.user_id = ${userId} and c.state <> 'New' and c.due <= ${now}
      order by c.due limit ${dueLimit}
    ),
    review as (
      select u.id from due d join units u
        on u.topic_id = d.topic_id and u.type = 'quiz' and u.status = 'active' and u.concept_keys @> array[d.concept_key]
    ),
    reteach as (
      select u.id from me
      cross join jsonb_to_recordset(coalesce(me.state -> 'recent' -> 'reteach', '[]'::jsonb)) as r("topicId" uuid, "conceptKey" text)
      cross join lateral (
        select u.id from units u
        where u.topic_id = r."topicId" and u.type <> 'quiz' and u.status = 'active' and u.concept_keys @> array[r."conceptKey"]
        order by u.rating, u.id limit 3
      ) u
    ),
    ids as (select id from fresh union select id from review union select id from reteach),
    chosen as (
      select u.*, t.title as topic_title, t.kind as topic_kind from ids join units u using (id) join topics t on t.id = u.topic_id
    )
    select
      (select state from me) as state,
      ${preferencesColumns(sql, userId)},
      (select coalesce(json_agg(c), '[]') from concept_cards c
        where c.user_id = ${userId}
          and ((c.state <> 'New' and c.due <= ${now})
            or (c.topic_id, c.concept_key) in (select q.topic_id, unnest(q.concept_keys) from chosen q where q.type = 'quiz'))) as cards,
      (select coalesce(json_agg(json_build_object(
          'id', c.id, 'topic_id', c.topic_id, 'topic_title', c.topic_title, 'type', c.type, 'quiz_kind', c.quiz_kind,
          'format', c.format, 'est_seconds', c.est_seconds, 'char_length', c.char_length, 'difficulty', c.difficulty,
          'rating', c.rating, 'concept_keys', c.concept_keys, 'is_library', c.topic_kind = 'library',
          'source_title', c.citation ->> 'title', 'has_audio', c.audio is not null,
          'impressions', coalesce(s.impressions, 0), 'likes', coalesce(s.likes, 0), 'dislikes', coalesce(s.dislikes, 0),
          'created_at', c.created_at, 'updated_at', c.updated_at, 'last_seen_at', v.first_seen_at
        )), '[]')
        from chosen c
        left join unit_stats s on s.unit_id = c.id
        left join unit_views v on v.user_id = ${userId} and v.unit_id = c.id) as candidates,
      (select coalesce(json_agg(json_build_object('topic_id', f.id, 'kind', f.kind, 'count', f.count)), '[]')
        from (select t.id, t.kind, count(x.id) as count from followed t left join fresh x on x.topic_id = t.id group by t.id, t.kind) f) as unseen`
  const result = row!
  return {
    ...result,
    timezone: result.timezone ?? 'UTC',
    cards: result.cards.map((card) => ({ ...card, due: new Date(card.due), last_review: card.last_review === null ? null : new Date(card.last_review) })),
  }
}

export interface RenderRow {
  id: string
  body: Record<string, unknown>
  audio: Record<string, unknown> | null
  citation: Record<string, unknown> | null
}

/** What the client renders of these units, without marking them seen. */
export async function findRenderRows(sql: Queryable, unitIds: readonly string[]): Promise<RenderRow[]> {
  if (unitIds.length === 0) return []
  return sql<RenderRow[]>`select id, body, audio, citation from units where id = any(${unitIds as string[]}::uuid[])`
}

/**
 * Marks served units as seen (so a second request before the impression events arrive does not
 * repeat them) and returns what the client renders, in one statement.
 */
export async function recordServed(sql: Queryable, userId: string, unitIds: string[], now: Date): Promise<RenderRow[]> {
  if (unitIds.length === 0) return []
  return sql<RenderRow[]>`
    with viewed as (
      insert into unit_views (user_id, unit_id, first_seen_at)
      select ${userId}, id, ${now} from unnest(${unitIds}::uuid[]) as id
      on conflict do nothing
    )
    select id, body, audio, citation from units where id = any(${unitIds}::uuid[])`
}

/**
 * The learner's state row, created empty (`initial`) on first use and locked until the transaction
 * ends: concurrent batches and answers of one learner fold one after another. `on conflict do
 * update` takes the row lock in the same statement that creates the row.
 */
export async function lockLearnerState(sql: Queryable, userId: string, initial: unknown, now: Date): Promise<LearnerRow> {
  const [row] = await sql<{ state: Record<string, unknown>; preferences: PreferencesRow | null; timezone: string | null }[]>`
    with locked as (
      insert into learner_states (user_id, state, updated_at) values (${userId}, ${sql.json(initial as never)}, ${now})
      on conflict (user_id) do update set revision = learner_states.revision
      returning state
    )
    select locked.state,
      ${preferencesColumns(sql, userId)}
    from locked`
  return { state: row!.state, preferences: row!.preferences, timezone: row!.timezone ?? 'UTC' }
}

/** Records the break offer without reading the state, so it cannot undo a concurrent fold. */
export async function markBreakOffered(sql: Queryable, userId: string, at: Date): Promise<void> {
  await sql`update learner_states set state = jsonb_set(state, '{recent,breakOfferedAt}', to_jsonb(${at.getTime()}::bigint)) where user_id = ${userId}`
}

export async function saveLearnerState(sql: Queryable, userId: string, state: unknown, now: Date): Promise<void> {
  await sql`update learner_states set state = ${sql.json(state as never)}, revision = revision + 1, updated_at = ${now} where user_id = ${userId}`
}

export async function findCards(sql: Queryable, userId: string, concepts: { topicId: string; conceptKey: string }[]): Promise<CardRow[]> {
  if (concepts.length === 0) return []
  return sql<CardRow[]>`
    select ${cardColumns(sql)}
    from concept_cards
    where user_id = ${userId}
      and (topic_id, concept_key) in (select * from unnest(${concepts.map((concept) => concept.topicId)}::uuid[], ${concepts.map((concept) => concept.conceptKey)}::text[]))`
}

export async function upsertCards(sql: Queryable, userId: string, cards: CardRow[]): Promise<void> {
  if (cards.length === 0) return
  await sql`
    insert into concept_cards (user_id, topic_id, concept_key, state, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses, last_review, last_quiz_unit_id, last_quiz_kind)
    select ${userId}, r.topic_id, r.concept_key, r.state, r.due, r.stability, r.difficulty, r.scheduled_days, r.learning_steps, r.reps, r.lapses, r.last_review, r.last_quiz_unit_id, r.last_quiz_kind
    from jsonb_to_recordset(${sql.json(cards as never)}) as r(topic_id uuid, concept_key text, state text, due timestamptz, stability float8, difficulty float8,
      scheduled_days integer, learning_steps integer, reps integer, lapses integer, last_review timestamptz, last_quiz_unit_id uuid, last_quiz_kind text)
    on conflict (user_id, topic_id, concept_key) do update set
      state = excluded.state, due = excluded.due, stability = excluded.stability, difficulty = excluded.difficulty,
      scheduled_days = excluded.scheduled_days, learning_steps = excluded.learning_steps, reps = excluded.reps, lapses = excluded.lapses,
      last_review = excluded.last_review, last_quiz_unit_id = excluded.last_quiz_unit_id, last_quiz_kind = excluded.last_quiz_kind`
}

export interface UnitFactsRow {
  id: string
  topic_id: string
  type: string
  quiz_kind: string | null
  format: string
  est_seconds: number
  difficulty: number
  rating: number
  embedding: number[] | null
  concept_keys: string[]
  is_library: boolean
  body: Record<string, unknown>
  status: string
  quiz_attempts: number
}

/** Units the learner may see (shared topics, or their own library), by id. */
export async function findUnitFacts(sql: Queryable, userId: string, unitIds: string[]): Promise<UnitFactsRow[]> {
  if (unitIds.length === 0) return []
  return sql<UnitFactsRow[]>`
    select u.id, u.topic_id, u.type, u.quiz_kind, u.format, u.est_seconds, u.difficulty, u.rating, u.embedding, u.concept_keys,
      t.kind = 'library' as is_library, u.body, u.status, coalesce(s.quiz_attempts, 0) as quiz_attempts
    from units u join topics t on t.id = u.topic_id left join unit_stats s on s.unit_id = u.id
    where u.id = any(${unitIds}::uuid[]) and (t.kind = 'shared' or t.owner_user_id = ${userId})`
}

export interface EventRow {
  client_id: string
  type: string
  unit_id: string
  occurred_at: string
  ms: number | null
  progress: number | null
  mode: string | null
  format: string | null
}

/** Inserts the batch; returns the client ids that were new (a retried batch returns none). */
export async function insertFeedEvents(sql: Queryable, userId: string, events: EventRow[], now: Date): Promise<Set<string>> {
  if (events.length === 0) return new Set()
  const rows = await sql<{ client_id: string }[]>`
    insert into feed_events (user_id, client_id, type, unit_id, occurred_at, received_at, ms, progress, mode, format)
    select ${userId}, r.client_id, r.type, r.unit_id, r.occurred_at, ${now}, r.ms, r.progress, r.mode, r.format
    from jsonb_to_recordset(${sql.json(events as never)}) as r(client_id text, type text, unit_id uuid, occurred_at timestamptz, ms integer, progress real, mode text, format text)
    on conflict (user_id, client_id) do nothing
    returning client_id`
  return new Set(rows.map((row) => row.client_id))
}

export async function recordViews(sql: Queryable, userId: string, views: { unitId: string; at: Date }[]): Promise<void> {
  if (views.length === 0) return
  await sql`
    insert into unit_views (user_id, unit_id, first_seen_at)
    select ${userId}, r.unit_id, r.at from jsonb_to_recordset(${sql.json(views.map((view) => ({ unit_id: view.unitId, at: view.at.toISOString() })) as never)}) as r(unit_id uuid, at timestamptz)
    on conflict do nothing`
}

export interface StatsIncrement {
  unit_id: string
  impressions: number
  likes: number
  dislikes: number
  quiz_attempts: number
  quiz_correct: number
}

export async function bumpUnitStats(sql: Queryable, increments: StatsIncrement[], now: Date): Promise<void> {
  if (increments.length === 0) return
  await sql`
    insert into unit_stats (unit_id, impressions, likes, dislikes, quiz_attempts, quiz_correct, updated_at)
    select r.unit_id, r.impressions, r.likes, r.dislikes, r.quiz_attempts, r.quiz_correct, ${now}
    from jsonb_to_recordset(${sql.json(increments as never)}) as r(unit_id uuid, impressions bigint, likes bigint, dislikes bigint, quiz_attempts bigint, quiz_correct bigint)
    on conflict (unit_id) do update set
      impressions = unit_stats.impressions + excluded.impressions, likes = unit_stats.likes + excluded.likes,
      dislikes = unit_stats.dislikes + excluded.dislikes, quiz_attempts = unit_stats.quiz_attempts + excluded.quiz_attempts,
      quiz_correct = unit_stats.quiz_correct + excluded.quiz_correct, updated_at = excluded.updated_at`
}

/** Many learners answer the same item: the delta is added in place, never read-modify-written. */
export async function moveItemRating(sql: Queryable, unitId: string, delta: number): Promise<void> {
  await sql`update units set rating = rating + ${delta} where id = ${unitId}`
}

export interface NewQuizAttempt {
  userId: string
  unitId: string
  answer: unknown
  correct: boolean
  timeMs: number
  hintUsed: boolean
  scored: boolean
  grade: string | null
  ratingBefore: number | null
  ratingAfter: number | null
  now: Date
}

export async function insertQuizAttempt(sql: Queryable, attempt: NewQuizAttempt): Promise<void> {
  await sql`
    insert into quiz_attempts (user_id, unit_id, answer, correct, time_ms, hint_used, scored, grade, rating_before, rating_after, created_at)
    values (${attempt.userId}, ${attempt.unitId}, ${sql.json(attempt.answer as never)}, ${attempt.correct}, ${attempt.timeMs}, ${attempt.hintUsed},
            ${attempt.scored}, ${attempt.grade}, ${attempt.ratingBefore}, ${attempt.ratingAfter}, ${attempt.now})`
}

export async function upsertPreferences(sql: Queryable, userId: string, preferences: PreferencesRow, now: Date): Promise<void> {
  await sql`
    insert into learner_preferences (user_id, context_mode, difficulty, formats, pinned_formats, voice, daily_goal, break_minutes, updated_at)
    values (${userId}, ${preferences.context_mode}, ${preferences.difficulty}, ${preferences.formats}::text[], ${sql.json(preferences.pinned_formats as never)},
            ${preferences.voice}, ${preferences.daily_goal}, ${preferences.break_minutes}, ${now})
    on conflict (user_id) do update set
      context_mode = excluded.context_mode, difficulty = excluded.difficulty, formats = excluded.formats, pinned_formats = excluded.pinned_formats,
      voice = excluded.voice, daily_goal = excluded.daily_goal, break_minutes = excluded.break_minutes, updated_at = excluded.updated_at`
}

export async function findPreferences(sql: Queryable, userId: string): Promise<{ preferences: PreferencesRow | null; timezone: string }> {
  const [row] = await sql<{ preferences: PreferencesRow | null; timezone: string | null }[]>`
    select ${preferencesColumns(sql, userId)}`
  return { preferences: row!.preferences, timezone: row!.timezone ?? 'UTC' }
}

export interface FeedExport {
  preferences: PreferencesRow | null
  state: Record<string, unknown> | null
  cards: CardRow[]
  events: (EventRow & { received_at: string })[]
  quiz_attempts: Record<string, unknown>[]
}

/** Everything the feed holds about a learner, for `GET /api/v1/me/export`. */
export async function exportFeedData(sql: Queryable, userId: string): Promise<FeedExport> {
  const [row] = await sql<FeedExport[]>`
    select
      (select to_jsonb(p) - 'user_id' from learner_preferences p where p.user_id = ${userId}) as preferences,
      (select state from learner_states where user_id = ${userId}) as state,
      (select coalesce(json_agg(to_jsonb(c) - 'user_id' order by c.topic_id, c.concept_key), '[]') from concept_cards c where c.user_id = ${userId}) as cards,
      (select coalesce(json_agg(to_jsonb(e) - 'user_id' order by e.occurred_at, e.client_id), '[]') from feed_events e where e.user_id = ${userId}) as events,
      (select coalesce(json_agg(to_jsonb(a) - 'user_id' order by a.created_at), '[]') from quiz_attempts a where a.user_id = ${userId}) as quiz_attempts`
  return row!
}
