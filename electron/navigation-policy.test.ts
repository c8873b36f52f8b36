import { describe, expect, it } from 'vitest'
import { isAllowedExternalUrl, isAllowedNavigation } from './navigation-policy.ts'

describe('navigation policy', () => {
  it('opens https links to allow-listed hosts in the browser', () => {
    expect(isAllowedExternalUrl('https://github.com/')).toBe(true)
    expect(isAllowedExternalUrl('https://github.com/some/project#readme')).toBe(true)
  })

  it.each([
    ['plain http', 'http://github.com/'],
    ['a look-alike suffix', 'https://github.com.evil.example/'],
    ['a look-alike prefix', 'https://evilgithub.com/'],
    ['a sub-domain not on the list', 'https://gist.github.com/'],
    ['user info hiding the real host', 'https://github.com@evil.example/'],
    ['user info before an allowed host', 'https://user:pw@github.com/'],
    ['another port', 'https://github.com:8443/'],
    ['file:', 'file:///etc/passwd'],
    ['a custom protocol handler', 'ms-msdt:/id PCWDiagnostic'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,hi'],
    ['a huge URL', `https://github.com/${'a'.repeat(5000)}`],
    ['not a URL', 'github.com'],
    ['a non-string', { href: 'https://github.com/' }],
  ])('refuses %s', (_label, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false)
  })

  it('lets frames navigate only inside the app', () => {
    expect(isAllowedNavigation('app://workstation/index.html#/worklist')).toBe(true)
    for (const url of ['https://example.com/', 'http://127.0.0.1:8642/', 'file:///etc/passwd', 'data:text/html,x', 'about:blank', 'app://evil/index.html']) {
      expect(isAllowedNavigation(url)).toBe(false)
    }
  })
})
