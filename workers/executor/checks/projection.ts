/**
 * Members a request's field projection leaves out of the answer: `?fields=id,name`, `$select=id`,
 * JSON:API's sparse fieldsets `fields[articles]=title`, or a projection inside a filter document
 * (`filter={"fields":{"title":false}}`, `filter[fields][title]=false`). The client asked for a
 * partial representation, so a required member it did not ask for is absent by request, not by
 * fault: a spec cannot say "required unless left out by `fields`", and the API does what its own
 * parameter documents.
 */
const PROJECTION = /^(\$?select|fields|projection)$/i;

interface Projection {
  included: Set<string>;
  excluded: Set<string>;
}

function truthy(value: unknown): boolean | undefined {
  if (value === true || value === 1 || value === "true" || value === "1") return true;
  if (value === false || value === 0 || value === "false" || value === "0") return false;
  return undefined;
}

/** A projection's value: a list of names (array, comma text) or a map of name → include. */
function collect(value: unknown, into: Projection): void {
  if (typeof value === "string") {
    for (const name of value.split(/[,\s]+/)) if (name !== "") into.included.add(name);
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === "string") into.included.add(item);
  } else if (value !== null && typeof value === "object") {
    for (const [name, flag] of Object.entries(value)) {
      const on = truthy(flag);
      if (on === true) into.included.add(name);
      else if (on === false) into.excluded.add(name);
    }
  }
}

/** Projections at any depth of a JSON document sent as one query value. */
function walk(value: unknown, into: Projection, depth: number): void {
  if (depth > 4 || value === null || typeof value !== "object") return;
  for (const [key, item] of Object.entries(value)) {
    if (PROJECTION.test(key)) collect(item, into);
    else walk(item, into, depth + 1);
  }
}

function parseJson(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether the projection the request's query carries leaves `member` out (listed as excluded, or
 * not among the members listed as included); undefined when the query carries no projection.
 */
export function projectedOut(url: string): ((member: string) => boolean) | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const found: Projection = { included: new Set(), excluded: new Set() };
  for (const [key, value] of params) {
    const tokens = key.split(/[[\]]+/).filter((t) => t !== "");
    const at = tokens.findIndex((t) => PROJECTION.test(t));
    if (at === -1) {
      walk(parseJson(value), found, 0);
      continue;
    }
    const rest = tokens.slice(at + 1);
    // filter[fields][title]=false names a member; fields[articles]=a,b (a type) and fields[0]=a list them
    if (rest.length === 1 && at > 0 && !/^\d+$/.test(rest[0])) collect({ [rest[0]]: value }, found);
    else collect(parseJson(value) ?? value, found);
  }
  if (found.included.size === 0 && found.excluded.size === 0) return undefined;
  return (member) => found.excluded.has(member) || (found.included.size > 0 && !found.included.has(member));
}
