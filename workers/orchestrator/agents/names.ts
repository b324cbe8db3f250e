/** What a name says about its value: identifiers, singular resource names. */

/** Does a name look like a resource identifier (id, petId, pet_id, uuid)? */
export function isIdLikeName(name: string): boolean {
  return /^(id|uuid|guid)$/i.test(name) || /[a-z0-9](Id|ID|Uuid|UUID)$/.test(name) || /_(id|uuid)$/i.test(name);
}

/** Naive singular of a path segment: "orders" → "order", "categories" → "category". */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return word.slice(0, -3) + "y";
  if (/(ss|sh|ch|x)es$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word) && !/ss$/i.test(word)) return word.slice(0, -1);
  return word;
}
