/**
 * The spec's paths are relative to its server URL, which often has a path (`/api/v3`,
 * `https://api.example.com/v1`). When the user's --target is a bare origin, the server's path is
 * appended, as a client generated from the spec would do; a --target with a path is taken as is.
 */
export function targetWithSpecBasePath(target: string, servers: readonly string[]): { url: string; basePath?: string } {
  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch {
    return { url: target };
  }
  if (parsed.pathname !== "/" && parsed.pathname !== "") return { url: target };
  const server = servers[0];
  if (!server) return { url: target };
  let basePath: string;
  try {
    basePath = new URL(server, "http://spec.invalid").pathname.replace(/\/+$/, "");
  } catch {
    return { url: target };
  }
  if (basePath === "" || /\{|%7B/i.test(basePath)) return { url: target }; // an unsubstituted server variable
  return { url: `${parsed.origin}${basePath}${parsed.search}`, basePath };
}
