import { HandsFreeLink } from '../../components/driving/hands-free-link.tsx'
import { FeedView } from '../../components/feed/feed-view.tsx'

export default function Feed() {
  return (
    <>
      <HandsFreeLink />
      <FeedView />
    </>
  )
}
