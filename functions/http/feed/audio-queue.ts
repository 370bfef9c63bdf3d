import { http } from '../../../lib/platform/define.ts'
import { audioQueue, AudioQueueQuery } from '../../../lib/feed/api/audio-queue.ts'

export default http('GET', '/api/v1/feed/audio-queue', { auth: 'learner', query: AudioQueueQuery }, ({ ctx, user, query }) => audioQueue(ctx, user!, query))
