/**
 * Which of an operation's request media types Sentinel sends, and how a declared media range is
 * put on the wire. Kept apart from request building so that the auth inference can use it too.
 */
import type { MediaType, Operation } from "../../model";

const MEDIA_PREFERENCE: RegExp[] = [/^application\/json\b/i, /\+json\b/i, /json/i, /^application\/x-www-form-urlencoded/i, /^multipart\/form-data/i, /^text\/plain/i, /\*\/\*/];

/** The media type we send: JSON first, then form, multipart, text. */
export function preferredMedia(op: Operation): MediaType | undefined {
  const content = op.requestBody?.content ?? [];
  for (const pattern of MEDIA_PREFERENCE) {
    const found = content.find((m) => pattern.test(m.contentType));
    if (found) return found;
  }
  return content[0];
}

export function isJsonMedia(contentType: string): boolean {
  return /json/i.test(contentType) || contentType === "*/*" || /^application\/\*$/.test(contentType);
}

/** Content type to put on the wire for a declared media range. */
export function wireContentType(contentType: string): string {
  return contentType.includes("*") ? "application/json" : contentType;
}

