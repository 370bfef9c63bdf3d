import type { Ctx } from '../context.ts'
import { deleteUploadTickets, findExpiredUploadTickets } from '../db/upload-tickets.ts'

/** How long after its URL expired an upload may still be registered before the sweep deletes it. */
export const uploadGraceSeconds = 3600

const sweepBatch = 500

/**
 * The `sweep-uploads` cron: objects PUT through a signed upload URL that were never registered as a
 * source are deleted an hour after the URL expired, so storage holds nothing nobody can see or
 * delete. Each ticket is removed after its object, so an interrupted sweep is finished by the next.
 */
export async function sweepUnregisteredUploads(ctx: Ctx): Promise<{ deleted: number; registered: number }> {
  const before = new Date(ctx.clock.now().getTime() - uploadGraceSeconds * 1000)
  let deleted = 0
  let registered = 0
  for (;;) {
    const rows = await findExpiredUploadTickets(ctx.sql, before, sweepBatch)
    for (const row of rows) {
      if (row.registered) registered += 1
      else {
        await ctx.storage.delete(row.object_key)
        deleted += 1
      }
    }
    await deleteUploadTickets(ctx.sql, rows.map((row) => row.object_key))
    if (rows.length < sweepBatch) break
  }
  ctx.log.info('unregistered uploads swept', { deleted, registered })
  return { deleted, registered }
}
