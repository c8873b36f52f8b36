/** The viewport grids a reader can choose, named rows x columns ('1x2': one row of two, side by side). */

export const LAYOUT_IDS = ['1x1', '1x2', '2x1', '2x2', '1x3'] as const
export type LayoutId = (typeof LAYOUT_IDS)[number]

/** The grid of a layout. */
export function layoutGrid(id: LayoutId): { rows: number; columns: number } {
  const [rows, columns] = id.split('x').map(Number) as [number, number]
  return { rows, columns }
}

/** How many viewports a layout shows. */
export function layoutCellCount(id: LayoutId): number {
  const { rows, columns } = layoutGrid(id)
  return rows * columns
}

/** The layout after this one, wrapping round (the next-layout key cycles through them). */
export function nextLayout(id: LayoutId): LayoutId {
  return LAYOUT_IDS[(LAYOUT_IDS.indexOf(id) + 1) % LAYOUT_IDS.length]!
}

/** Whether a stored value names a layout (settings may come from an older or newer version). */
export function isLayoutId(value: unknown): value is LayoutId {
  return (LAYOUT_IDS as readonly unknown[]).includes(value)
}
