/** `pattern` keywords as specs write them, read the way their authors meant. */

/**
 * A pattern written as a JavaScript regex literal ("/^[a-z0-9._]+$/") is a common spec slip; taken
 * literally it demands the slashes no server's own validation requires. Read it as its body.
 */
export function normalisePattern(pattern: string): string {
  const literal = /^\/(\^.*\$)\/[dgimsuy]*$/.exec(pattern);
  return literal ? literal[1] : pattern;
}
