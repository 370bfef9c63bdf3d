import type { Queryable } from './index.ts'

/** Daily summaries (sql/0007_summaries.sql) and the day's activity they are written from. */

export async function findLearnerTimezones(sql: Queryable): Promise<string[]> {
  const rows = await sql<{ timezone: string }[]>`select distinct timezone from users`
  return rows.map((row) => row.timezone)
}

export interface SummaryLearnerRow {
  id: string
  timezone: string
  locale: string
  /** YYYY-MM-DD, the local day at `now`. */
  local_date: string
}

/**
 * Learners in `zones` with a feed event or a quiz answer since their local midnight who have no
 * summary for that day yet. The 26-hour lower bound lets the indexes cut the scan for any zone.
 */
export async function findLearnersDueSummary(sql: Queryable, zones: string[], now: Date): Promise<SummaryLearnerRow[]> {
  if (zones.length === 0) return []
  const since = new Date(now.getTime() - 26 * 3_600_000)
  return sql<SummaryLearnerRow[]>`
    with learners as (
      select u.id, u.timezone, u.locale,
        (${now}::timestamptz at time zone u.timezone)::date as local_date,
        date_trunc('day', ${now}::timestamptz at time zone u.timezone) at time zone u.timezone as day_start
      from users u where u.timezone = any(${zones}::text[])
    )
    select l.id, l.timezone, l.locale, to_char(l.local_date, 'YYYY-MM-DD') as local_date
    from learners l
    where not exists (select 1 from daily_summaries s where s.user_id = l.id and s.local_date = l.local_date)
      and (
        exists (select 1 from feed_events e where e.user_id = l.id and e.occurred_at >= ${since} and e.occurred_at >= l.day_start and e.occurred_at <= ${now})
        or exists (select 1 from quiz_attempts a where a.user_id = l.id and a.created_at >= ${since} and a.created_at >= l.day_start and a.created_at <= ${now})
      )
    order by l.id`
}

export interface DayUnitRow {
  id: string
  type: string
  topic: string
  title: string | null
  concept_keys: string[]
}

export interface DayAnswerRow {
  topic: string
  concept_keys: string[]
  correct: boolean
}

/**
 * Units the learner saw (impressions) and scored answers between local midnight and `now`. A unit
 * from the learner's own library is named by the document it cites, not by the library topic.
 */
export async function findDayActivity(sql: Queryable, userId: string, timeZone: string, now: Date): Promise<{ units: DayUnitRow[]; answers: DayAnswerRow[] }> {
  const topicName = sql`case when t.kind = 'library' then coalesce(nullif(u.citation->>'title', ''), t.title) else t.title end as topic`
  const [bounds] = await sql<{ day_start: Date }[]>`select date_trunc('day', ${now}::timestamptz at time zone ${timeZone}) at time zone ${timeZone} as day_start`
  const start = bounds!.day_start
  const [units, answers] = await Promise.all([
    sql<DayUnitRow[]>`
      select u.id, u.type, ${topicName}, u.concept_keys,
        coalesce(u.body->>'title', u.body->>'question', u.body->>'statement', u.body->>'text') as title
      from (select unit_id, min(occurred_at) as first_at from feed_events
            where user_id = ${userId} and type = 'impression' and occurred_at >= ${start} and occurred_at <= ${now}
            group by unit_id) e
      join units u on u.id = e.unit_id join topics t on t.id = u.topic_id
      order by e.first_at, u.id`,
    sql<DayAnswerRow[]>`
      select ${topicName}, u.concept_keys, a.correct
      from quiz_attempts a join units u on u.id = a.unit_id join topics t on t.id = u.topic_id
      where a.user_id = ${userId} and a.scored and a.created_at >= ${start} and a.created_at <= ${now}
      order by a.created_at, a.id`,
  ])
  return { units, answers }
}

/** Stores the day's summary once; false when one was already there (a retried or overlapping run). */
export async function insertDailySummary(sql: Queryable, userId: string, localDate: string, body: unknown, now: Date): Promise<boolean> {
  const rows = await sql`
    insert into daily_summaries (user_id, local_date, body, created_at) values (${userId}, ${localDate}, ${sql.json(body as never)}, ${now})
    on conflict (user_id, local_date) do nothing returning user_id`
  return rows.length === 1
}

export interface SummaryRow {
  local_date: string
  body: Record<string, unknown>
  created_at: Date
}

export async function findSummaries(sql: Queryable, userId: string, from: string, to: string): Promise<SummaryRow[]> {
  return sql<SummaryRow[]>`
    select to_char(local_date, 'YYYY-MM-DD') as local_date, body, created_at from daily_summaries
    where user_id = ${userId} and local_date between ${from}::date and ${to}::date
    order by local_date`
}

export async function exportSummaries(sql: Queryable, userId: string): Promise<SummaryRow[]> {
  return sql<SummaryRow[]>`select to_char(local_date, 'YYYY-MM-DD') as local_date, body, created_at from daily_summaries where user_id = ${userId} order by local_date`
}
