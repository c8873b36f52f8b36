/** What the keyboard and the toolbar can ask of a viewport, whichever kind it is. */

export interface ShownImage {
  imageId: string
  /** 0-based position in the viewport's stack. */
  index: number
}

export interface ViewportHandle {
  scroll(delta: number): void
  /** Moves the image on screen by this many CSS pixels (flicker registration). */
  shiftView(dx: number, dy: number): void
  goTo(position: 'first' | 'last'): void
  /** Shows the image at this 0-based position of the stack (synchronised scrolling). */
  goToIndex(index: number): void
  /** Window center and width in modality units (HU for CT). */
  setWindow(center: number, width: number): void
  /** Back to the file's own window, or one computed from the pixels when it has none. */
  autoWindow(): void
  invert(): void
  rotateRight(): void
  flipHorizontal(): void
  flipVertical(): void
  fit(): void
  /** Everything back to how the hanging protocol showed it. */
  reset(): void
  toggleCine(): void
  setCineFps(fps: number): void
  /** Deletes the selected measurements; false when none was selected. */
  deleteSelectedMeasurements(): boolean
  currentImage(): ShownImage | null
}
