import type { Ctx } from '../../lib/context.ts'
import { synthesizeAudioQueue } from '../../lib/tts/synthesize-unit.ts'

/** Unit ids of the waiting synthesize-audio jobs, one entry per job, sorted. */
export async function waitingAudioJobs(ctx: Ctx): Promise<string[]> {
  const rows = await ctx.sql<{ unit_id: string }[]>`select body ->> 'unitId' as unit_id from jobs where queue = ${synthesizeAudioQueue} and status = 'ready' order by 1`
  return rows.map((row) => row.unit_id)
}
