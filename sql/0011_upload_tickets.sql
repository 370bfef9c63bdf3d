-- Signed upload URLs handed out by POST /api/v1/sources/upload-url. An object PUT through one but
-- never registered as a source (POST /api/v1/sources {object_key}) would otherwise stay in storage
-- for good: the hourly `sweep-uploads` cron deletes it an hour after its URL expired
-- (lib/sources/uploads.ts). Registering the upload removes its ticket; the rows go with the account.
create table upload_tickets (
  object_key text primary key,
  user_id uuid not null references users (id) on delete cascade,
  expires_at timestamptz not null
);
create index upload_tickets_expires_idx on upload_tickets (expires_at);
