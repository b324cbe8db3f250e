/**
 * The length JSON Schema gives a string (minLength/maxLength): its code points, as the string
 * iterator counts them (a surrogate pair is one, a lone surrogate one), without building the array
 * of characters `[...text]` makes: the generator measures every string it writes.
 */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}
