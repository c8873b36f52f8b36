/**
 * The free-text impression, in tiptap with only what the report format carries (paragraphs
 * and line breaks, no formatting). Tab selects the next ［placeholder］ left by a template;
 * Ctrl+Enter is left to the report panel (submit).
 */
import { Extension, type Editor } from '@tiptap/core'
import Document from '@tiptap/extension-document'
import HardBreak from '@tiptap/extension-hard-break'
import Paragraph from '@tiptap/extension-paragraph'
import Text from '@tiptap/extension-text'
import { UndoRedo } from '@tiptap/extensions'
import { EditorContent, useEditor } from '@tiptap/react'
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react'

export interface ImpressionEditorHandle {
  insert(text: string): void
  focus(): void
}

/** Selects the next ［…］ after the cursor (wrapping to the start); false when there is none. */
function selectNextPlaceholder(editor: Editor): boolean {
  const { doc, selection } = editor.state
  const found: Array<{ from: number; to: number }> = []
  doc.descendants((node, pos) => {
    if (!node.isText || !node.text) return
    for (const match of node.text.matchAll(/［[^］]*］/g)) found.push({ from: pos + (match.index ?? 0), to: pos + (match.index ?? 0) + match[0].length })
  })
  const next = found.find((p) => p.from >= selection.to) ?? found[0]
  if (!next) return false
  editor.chain().setTextSelection(next).run()
  return true
}

const ReportKeys = Extension.create({
  name: 'reportKeys',
  addKeyboardShortcuts() {
    return {
      Tab: () => selectNextPlaceholder(this.editor),
      // Ctrl+Enter submits the report (the panel handles it); it must not also add a paragraph
      'Mod-Enter': () => true,
    }
  },
})

function toHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return text.split('\n').map((line) => `<p>${escape(line)}</p>`).join('')
}

export function ImpressionEditor({ value, onChange, label, ref }: { value: string; onChange: (text: string) => void; label: string; ref?: Ref<ImpressionEditorHandle> }) {
  // texts this editor itself produced: a value prop that is one of them is the store catching
  // up (perhaps a keystroke behind), not a new text to load
  const emitted = useRef(new Set<string>())
  const editor = useEditor({
    extensions: [Document, Paragraph, Text, HardBreak, UndoRedo, ReportKeys],
    content: toHtml(value),
    // tiptap's injected <style> would break the CSP (no inline styles): its rules are in styles.css
    injectCSS: false,
    editorProps: { attributes: { 'aria-label': label, 'data-testid': 'impression-editor', class: 'impression-editor__content' } },
    onUpdate: ({ editor: e }) => {
      const text = e.getText({ blockSeparator: '\n' })
      emitted.current.add(text)
      onChange(text)
    },
  })

  // a draft restored from disk (or a rejected report coming back) replaces the text
  useEffect(() => {
    if (!editor || emitted.current.has(value) || editor.getText({ blockSeparator: '\n' }) === value) return
    emitted.current.clear()
    editor.commands.setContent(toHtml(value), { emitUpdate: false })
  }, [editor, value])

  useImperativeHandle(ref, () => ({
    insert(text) {
      if (!editor) return
      // focus now, not on the next frame: the reader's next keystroke belongs in the editor
      editor.view.focus()
      editor.chain().insertContent(text).run()
      selectNextPlaceholder(editor)
    },
    focus: () => editor?.commands.focus(),
  }), [editor])

  return <EditorContent editor={editor} className="impression-editor" />
}
