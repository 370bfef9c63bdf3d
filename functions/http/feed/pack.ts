import { http } from '../../../lib/platform/define.ts'
import { feedPack, PackQuery } from '../../../lib/feed/api/pack.ts'

export default http('GET', '/api/v1/feed/pack', { auth: 'learner', query: PackQuery }, ({ ctx, user, query }) => feedPack(ctx, user!, query))
