/** An SVG chart's size and the space inside it kept free for axis labels and strokes (admin costs, progress). */
export interface Frame {
  width: number
  height: number
  top: number
  right: number
  bottom: number
  left: number
}
