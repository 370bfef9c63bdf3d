import { cron } from '../../lib/platform/define.ts'
import { sweepUnregisteredUploads } from '../../lib/sources/uploads.ts'

export default cron('0 40 * * * *', async ({ ctx }) => {
  await sweepUnregisteredUploads(ctx)
})
