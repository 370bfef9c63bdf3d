-- Refresh retries (lib/auth/sessions.ts refreshRetrySeconds): a page reloaded while its refresh was
-- in flight never stored the rotated token and sends the previous one again a moment later. The
-- session remembers which token its latest rotation replaced, and when, so that one retry is told
-- apart from a replayed copy (which still ends the family).
alter table sessions add column previous_token_hash text;
alter table sessions add column previous_rotated_at timestamptz;
create index sessions_previous_token_idx on sessions (previous_token_hash) where previous_token_hash is not null;
