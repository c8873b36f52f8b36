import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './components/app.tsx'
import { useLanguageStore } from './i18n/language-store.ts'

document.documentElement.lang = useLanguageStore.getState().language
const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
