import { StrokeIcon } from '../icons.tsx'

/** The transport glyphs the shared icon set lacks, drawn the same way (24-unit grid, strokes). */
const paths = {
  next: ['M5 4l10 8-10 8z', 'M19 5v14'],
  previous: ['M19 20 9 12l10-8z', 'M5 19V5'],
  back: ['M3 12a9 9 0 1 0 3-6.7', 'M3 3v6h6'],
  forward: ['M21 12a9 9 0 1 1-3-6.7', 'M21 3v6h-6'],
  exit: ['M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4', 'M16 17l5-5-5-5', 'M21 12H9'],
} as const

export type GlyphName = keyof typeof paths

export function Glyph(props: { name: GlyphName; size?: number }) {
  return <StrokeIcon paths={paths[props.name]} size={props.size ?? 32} strokeWidth={2.25} />
}
