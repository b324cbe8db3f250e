/** What a name says about its value: identifiers, singular resource names. */

/** Does a name look like a resource identifier (id, petId, pet_id, uuid)? */
export function isIdLikeName(name: string): boolean {
  // asked of every key of every body built (a big spec's planning: millions of times, few names)
  let known = idLike.get(name);
  if (known === undefined) {
    if (idLike.size >= ID_LIKE_KEPT) idLike.clear();
    idLike.set(name, (known = /^(id|uuid|guid)$/i.test(name) || /[a-z0-9](Id|ID|Uuid|UUID)$/.test(name) || /_(id|uuid)$/i.test(name)));
  }
  return known;
}

const idLike = new Map<string, boolean>();
const ID_LIKE_KEPT = 10_000;

/** Naive singular of a path segment: "orders" → "order", "categories" → "category". */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return word.slice(0, -3) + "y";
  if (/(ss|sh|ch|x)es$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word) && !/ss$/i.test(word)) return word.slice(0, -1);
  return word;
}
