import { http } from '../../../lib/platform/define.ts'
import { createSource, sourcesBodyLimit } from '../../../lib/sources/api.ts'

export default http('POST', '/api/v1/sources', { auth: 'learner', body: 'raw', status: 202, bodyLimit: sourcesBodyLimit }, ({ ctx, user, request }) =>
  createSource(ctx, user!.id, request),
)
