import { http } from '../../../lib/platform/define.ts'
import { SavedParams, unsave } from '../../../lib/feed/api/saved.ts'

export default http('DELETE', '/api/v1/me/saved/:unitId', { auth: 'learner', params: SavedParams }, ({ ctx, user, params }) => unsave(ctx, user!, params.unitId))
