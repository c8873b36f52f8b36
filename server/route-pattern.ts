/**
 * A Fastify route pattern from one of the contract's path builders, so route and client paths
 * cannot drift apart. The builders encode their argument, so a placeholder goes in and the
 * `:name` parameter is put in its place afterwards.
 */
export function routePattern(build: (value: string) => string, parameter: string): string {
  const placeholder = 'ROUTE-PARAMETER-PLACEHOLDER'
  const path = build(placeholder)
  if (!path.includes(placeholder)) throw new Error(`path builder does not use its argument: ${path}`)
  return path.replace(placeholder, `:${parameter}`)
}
