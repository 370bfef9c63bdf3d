import { http } from '../../../lib/platform/define.ts'
import { SourceParams } from '../../../lib/sources/api.ts'
import { listSourceUnits, SourceUnitsQuery } from '../../../lib/sources/units.ts'

export default http('GET', '/api/v1/sources/:id/units', { auth: 'learner', params: SourceParams, query: SourceUnitsQuery }, ({ ctx, user, params, query }) =>
  listSourceUnits(ctx, user!, params.id, query),
)
