/**
 * The viewer's state for the open study: the hanging plan chosen for it, which page and
 * layout is on screen, what each viewport shows, which viewport is active and which tool
 * the left mouse button drives. What each viewport shows starts from the plan and changes
 * when the reader drops a series on it.
 */
import { create } from 'zustand'
import type { HangingCell, HangingPlan, ViewportAssignment } from '../viewer/hanging-protocol.ts'
import type { LeftButtonTool } from '../viewer/left-button-tools.ts'
import { layoutGrid, LAYOUT_IDS, type LayoutId } from '../viewer/viewer-layouts.ts'

/** What the viewer area shows instead of the grid, when anything. */
export type ViewerMode = 'grid' | 'flicker' | 'mpr'

export interface ViewerState {
  plan: HangingPlan | null
  page: number
  layout: LayoutId
  /** One entry per cell of the layout; null (or an empty placeholder with its label) for an empty cell. */
  cells: (HangingCell | null)[]
  activeCell: number
  tool: LeftButtonTool
  mode: ViewerMode
  synchronise: boolean
  applyPlan(plan: HangingPlan): void
  setLayout(layout: LayoutId): void
  nextLayout(): void
  nextPage(): void
  /** Shows a series in a cell (click or drop from the series browser); the active cell when none is given. */
  assign(assignment: ViewportAssignment, cell?: number): void
  activate(cell: number): void
  nextCell(): void
  setTool(tool: LeftButtonTool): void
  toggleMode(mode: Exclude<ViewerMode, 'grid'>): void
  toggleSynchronise(): void
  reset(): void
}

const initial = { plan: null, page: 0, layout: '1x1' as LayoutId, cells: [] as (HangingCell | null)[], activeCell: 0, tool: 'window-level' as LeftButtonTool, mode: 'grid' as ViewerMode, synchronise: false }

function cellCount(layout: LayoutId): number {
  const { rows, columns } = layoutGrid(layout)
  return rows * columns
}

/** The cells of a layout filled from a page of the plan, keeping what fits. */
function fill(layout: LayoutId, assignments: readonly (HangingCell | null)[]): (HangingCell | null)[] {
  return Array.from({ length: cellCount(layout) }, (_, i) => assignments[i] ?? null)
}

export function createViewerStore() {
  return create<ViewerState>((set, get) => ({
    ...initial,

    applyPlan(plan) {
      const first = plan.pages[0]
      const layout = first?.layout ?? '1x1'
      // the reader's tool stays; everything else follows the new plan
      set({ ...initial, tool: get().tool, plan, layout, cells: fill(layout, first?.viewports ?? []), synchronise: plan.synchronise.scroll || plan.synchronise.voi || plan.synchronise.zoom })
    },

    setLayout(layout) {
      const { cells, activeCell } = get()
      // a larger layout keeps what is shown and adds empty cells; a smaller one keeps the first ones
      set({ layout, cells: fill(layout, cells), activeCell: Math.min(activeCell, cellCount(layout) - 1) })
    },

    nextLayout() {
      const index = LAYOUT_IDS.indexOf(get().layout)
      get().setLayout(LAYOUT_IDS[(index + 1) % LAYOUT_IDS.length]!)
    },

    nextPage() {
      const { plan, page } = get()
      if (!plan || plan.pages.length < 2) return
      const next = (page + 1) % plan.pages.length
      const target = plan.pages[next]!
      set({ page: next, layout: target.layout, cells: fill(target.layout, target.viewports), activeCell: 0, mode: 'grid' })
    },

    assign(assignment, cell) {
      const { cells, activeCell } = get()
      const index = cell ?? activeCell
      if (index < 0 || index >= cells.length) return
      const next = [...cells]
      next[index] = assignment
      set({ cells: next, activeCell: index, mode: get().mode === 'mpr' ? 'grid' : get().mode })
    },

    activate(cell) {
      if (cell >= 0 && cell < get().cells.length && cell !== get().activeCell) set({ activeCell: cell })
    },

    nextCell() {
      const { cells, activeCell } = get()
      if (cells.length > 0) set({ activeCell: (activeCell + 1) % cells.length })
    },

    setTool(tool) {
      set({ tool })
    },

    toggleMode(mode) {
      set({ mode: get().mode === mode ? 'grid' : mode })
    },

    toggleSynchronise() {
      set({ synchronise: !get().synchronise })
    },

    reset() {
      set({ ...initial })
    },
  }))
}
