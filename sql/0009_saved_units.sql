-- Saved units (issue 8, the PWA's "saved" screen). A `save` feed event (POST /api/v1/feed/events)
-- writes the row in the batch's transaction; DELETE /api/v1/me/saved/{unitId} sets `removed_at`
-- instead of deleting it, and a save counts only if it happened after the removal. So a save that
-- arrives late (events are batched and queued offline by the client while the unsave goes out at
-- once) or is sent again after old feed_events were purged cannot bring an unsaved unit back.
create table saved_units (
  user_id uuid not null references users (id) on delete cascade,
  unit_id uuid not null references units (id) on delete cascade,
  -- When the learner saved it: the event's device time, never later than its arrival. Null when an
  -- unsave arrived before any save.
  saved_at timestamptz,
  removed_at timestamptz,
  primary key (user_id, unit_id),
  check (saved_at is not null or removed_at is not null)
);
-- The list, newest save first, by keyset (saved_at, unit_id).
create index saved_units_list_idx on saved_units (user_id, saved_at desc, unit_id desc) where removed_at is null;

-- Saves sent before this table existed.
insert into saved_units (user_id, unit_id, saved_at)
select user_id, unit_id, date_trunc('milliseconds', max(least(occurred_at, received_at)))
from feed_events
where type = 'save'
group by user_id, unit_id;
