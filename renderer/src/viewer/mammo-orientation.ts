/**
 * Mammograms are hung back to back: the right breast on the screen's left with its chest wall
 * at the cell's right edge, the left breast on the right with its chest wall at the left edge.
 * Whether an image must be mirrored for that follows from its Patient Orientation (0020,0020).
 */

/** The cell edge a breast's chest wall is aligned to. */
export type ChestWallEdge = 'left' | 'right'

/** Why an image was left as stored; the UI says so, since a wrong side could mislead the reader. */
export type MammoOrientationProblem = 'no-patient-orientation' | 'unrecognised-row-direction'

export interface MammoFlip {
  flipHorizontal: boolean
  problem?: MammoOrientationProblem
}

/** Where a breast's chest wall goes in the back-to-back display. */
export function chestWallEdgeFor(laterality: 'R' | 'L'): ChestWallEdge {
  return laterality === 'R' ? 'right' : 'left'
}

/**
 * Whether to mirror an image so that its chest wall lands on the given edge. The first value of
 * Patient Orientation is the direction in which the columns run (screen left to right): toward
 * posterior ('P') puts the chest wall on the right, toward anterior ('A') on the left.
 */
export function mammoFlip(patientOrientation: readonly [string, string] | undefined, chestWallEdge: ChestWallEdge): MammoFlip {
  if (!patientOrientation) return { flipHorizontal: false, problem: 'no-patient-orientation' }
  const rowDirection = [...patientOrientation[0].toUpperCase()].find((c) => c === 'A' || c === 'P')
  if (!rowDirection) return { flipHorizontal: false, problem: 'unrecognised-row-direction' }
  const chestWallOnRight = rowDirection === 'P'
  return { flipHorizontal: chestWallOnRight !== (chestWallEdge === 'right') }
}
