// Path-template routing with the 404/405 distinction the spec promises.

/** Adds a matcher to each route: "/items/{itemId}" matches one non-empty raw segment per parameter. */
export function compileRoutes(routes) {
  return routes.map((route) => {
    const names = [];
    const source = route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    });
    return { ...route, matcher: new RegExp(`^${source}$`), pathNames: names };
  });
}

/**
 * @returns {{ route: object, rawParams: Record<string, string> } | { allow: string[] } | undefined}
 *   a route, or the methods allowed on a known path (405), or undefined for an unknown path (404)
 */
export function matchRoute(routes, method, pathname) {
  const allow = [];
  for (const route of routes) {
    const m = route.matcher.exec(pathname);
    if (!m) continue;
    if (route.method === method || route.method === "*") {
      return { route, rawParams: Object.fromEntries(route.pathNames.map((name, i) => [name, m[i + 1]])) };
    }
    allow.push(route.method);
  }
  return allow.length ? { allow } : undefined;
}
