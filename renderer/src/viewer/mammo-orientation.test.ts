import { describe, expect, it } from 'vitest'
import { chestWallEdgeFor, mammoFlip } from './mammo-orientation.ts'

describe('mammogram orientation', () => {
  it('puts the right breast chest wall on the right edge and the left breast on the left (back to back)', () => {
    expect(chestWallEdgeFor('R')).toBe('right')
    expect(chestWallEdgeFor('L')).toBe('left')
  })

  it('keeps images whose columns already run toward the chest wall', () => {
    expect(mammoFlip(['P', 'L'], 'right')).toEqual({ flipHorizontal: false })
    // MG1 of the NEMA WG04 set: a left MLO stored 'A\F', chest wall already on the left
    expect(mammoFlip(['A', 'F'], 'left')).toEqual({ flipHorizontal: false })
  })

  it('mirrors images whose columns run away from the chest wall', () => {
    expect(mammoFlip(['A', 'FR'], 'right')).toEqual({ flipHorizontal: true })
    expect(mammoFlip(['P', 'FL'], 'left')).toEqual({ flipHorizontal: true })
    expect(mammoFlip(['pl', 'F'], 'left')).toEqual({ flipHorizontal: true })
  })

  it('does not flip, and says why, when the orientation is missing or names no anterior/posterior', () => {
    expect(mammoFlip(undefined, 'right')).toEqual({ flipHorizontal: false, problem: 'no-patient-orientation' })
    expect(mammoFlip(['L', 'F'], 'left')).toEqual({ flipHorizontal: false, problem: 'unrecognised-row-direction' })
  })
})
