import { http } from '../../../lib/platform/define.ts'
import { listSaved, SavedQuery } from '../../../lib/feed/api/saved.ts'

export default http('GET', '/api/v1/me/saved', { auth: 'learner', query: SavedQuery }, ({ ctx, user, query }) => listSaved(ctx, user!, query))
