/** A list still loading: two placeholder rows in the list's own class, marked busy for screen readers. */
export function SkeletonList(props: { class: string }) {
  return (
    <ul class={props.class} aria-busy="true">
      <li class="topic skeleton" />
      <li class="topic skeleton" />
    </ul>
  )
}
