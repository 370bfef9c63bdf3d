import type { Queryable } from './index.ts'
import { cardColumns, findLearner } from './feed.ts'
import type { CardRow, LearnerRow } from './feed.ts'
import { servableColumns, servableJoins } from './saved-units.ts'
import type { ServableUnitRow } from './saved-units.ts'

/** Queries for the offline pack (`GET /api/v1/feed/pack`, lib/feed/api/pack.ts). */

/** A topic the learner follows, or their own library topic; undefined for any other id. */
export async function findLearnerTopic(sql: Queryable, userId: string, topicId: string): Promise<{ id: string; title: string } | undefined> {
  const [topic] = await sql<{ id: string; title: string }[]>`
    select t.id, t.title from topics t
    where t.id = ${topicId}
      and (exists (select 1 from topic_follows f where f.user_id = ${userId} and f.topic_id = t.id)
        or (t.kind = 'library' and t.owner_user_id = ${userId}))`
  return topic
}

export interface PackInputs extends LearnerRow {
  /** The learner's cards in the topic (what the ranking needs to hold back quizzes on scheduled concepts). */
  cards: CardRow[]
  /** Active units of the topic the learner has not seen, newest first (at most `perPart`). */
  unseen: ServableUnitRow[]
  /** Active units of the topic the learner has seen, longest ago first (at most `perPart`). */
  seen: ServableUnitRow[]
}

export async function loadPackInputs(sql: Queryable, options: { userId: string; topicId: string; perPart: number }): Promise<PackInputs> {
  const { userId, topicId, perPart } = options
  const learner = await findLearner(sql, userId)
  const cards = await sql<CardRow[]>`select ${cardColumns(sql)} from concept_cards where user_id = ${userId} and topic_id = ${topicId}`
  const unseen = await sql<ServableUnitRow[]>`
    select ${servableColumns(sql)}
    from units u ${servableJoins(sql, userId)}
    where u.topic_id = ${topicId} and u.status = 'active' and v.unit_id is null
    order by u.created_at desc, u.id
    limit ${perPart}`
  const seen = await sql<ServableUnitRow[]>`
    select ${servableColumns(sql)}
    from units u ${servableJoins(sql, userId)}
    where u.topic_id = ${topicId} and u.status = 'active' and v.unit_id is not null
    order by v.first_seen_at, u.id
    limit ${perPart}`
  return { ...learner, cards, unseen, seen }
}
