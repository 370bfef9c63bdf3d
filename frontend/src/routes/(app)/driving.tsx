import { useNavigate } from '@solidjs/router'
import { onMount } from 'solid-js'
import { DrivingView } from '../../components/driving/driving-view.tsx'
import { mode, setMode } from '../../lib/settings.ts'

/** The big-button hands-free view. Opening it means driving, so the feed's mode follows. */
export default function Driving() {
  const navigate = useNavigate()
  onMount(() => {
    if (mode() !== 'driving') void setMode('driving')
  })
  return <DrivingView onExit={() => navigate('/')} />
}
