import { http } from '../../../lib/platform/define.ts'
import { getPreferences } from '../../../lib/feed/api/preferences.ts'

export default http('GET', '/api/v1/me/preferences', { auth: 'learner' }, ({ ctx, user }) => getPreferences(ctx, user!))
