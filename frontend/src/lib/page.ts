/** One page of a keyset-paged list: its items and the cursor of the next page (null on the last one). */
export interface Page<T> {
  items: T[]
  next_cursor: string | null
}
