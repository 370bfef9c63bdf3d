import { For } from 'solid-js'

/**
 * A row of radio buttons that applies the choice at once (a range, a status filter). `legendHidden`
 * keeps the legend for screen readers only, where a heading beside the row already says what it is.
 */
export function Choices<Option extends string | number>(props: {
  class: string
  legend: string
  legendHidden?: boolean
  name: string
  options: readonly Option[]
  value: Option
  onChange: (option: Option) => void
  label: (option: Option) => string
}) {
  return (
    <fieldset class={`segmented ${props.class}`}>
      <legend class={props.legendHidden ? 'visually-hidden' : undefined}>{props.legend}</legend>
      <For each={props.options}>
        {(option) => (
          <label class="segment">
            <input type="radio" name={props.name} value={option} checked={props.value === option} onChange={() => props.onChange(option)} />
            <span>{props.label(option)}</span>
          </label>
        )}
      </For>
    </fieldset>
  )
}
