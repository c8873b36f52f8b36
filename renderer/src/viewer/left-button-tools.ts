/** The tools the left mouse button can drive (the right button always zooms, the middle pans, the wheel scrolls). */
export const LEFT_BUTTON_TOOLS = ['window-level', 'pan', 'zoom', 'length', 'angle', 'ellipse', 'rectangle', 'probe'] as const
export type LeftButtonTool = (typeof LEFT_BUTTON_TOOLS)[number]
