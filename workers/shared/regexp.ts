/** Text that matches itself inside a RegExp (every syntax character escaped); RegExp.escape once Node 24 is the floor. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
