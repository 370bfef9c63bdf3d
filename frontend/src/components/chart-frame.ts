/** An SVG chart's size and the space inside it kept free for axis labels and strokes (admin costs, progress). */
export interface Frame {
  width: number
  height: number
  top: number
  right: number
  bottom: number
  left: number
}

/** The plot area: the frame less its margins. */
export function inner(frame: Frame): { width: number; height: number } {
  return { width: frame.width - frame.left - frame.right, height: frame.height - frame.top - frame.bottom }
}

/** Vertical position of `value` on an axis from 0 (the plot's bottom edge) to `max` (its top edge). */
export function yOf(value: number, max: number, frame: Frame): number {
  const height = inner(frame).height
  return frame.top + height - (max > 0 ? (value / max) * height : 0)
}
