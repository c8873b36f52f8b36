/** Which elements of a real source file may be carried into a generated instance unchanged. */
import { tagGroup, type DataElement } from './data-element.ts'

/**
 * Public elements only, minus `dropped`: group lengths (gggg,0000) would go stale once anything
 * changes, and private groups (odd) hold vendors' own copies of UIDs and geometry that the
 * generator cannot rewrite.
 */
export function isCopiedFromSource(element: DataElement, dropped: ReadonlySet<number>): boolean {
  return (element.tag & 0xffff) !== 0 && tagGroup(element.tag) % 2 === 0 && !dropped.has(element.tag)
}
