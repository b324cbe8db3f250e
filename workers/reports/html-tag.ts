/**
 * The one way reports write HTML: hono/html's template tag escapes every interpolated string
 * (& < > " ') unless it is itself a template or raw(); numbers print as they are; booleans,
 * null and undefined print nothing. An escaping template tag, no HTTP (the layer rule allows it).
 */
import { html as htmlTag, raw } from "hono/html";

export { raw };

export type Html = ReturnType<typeof raw>;

/** hono/html's tag; with no asynchronous child (none in a report) it renders synchronously. */
export const html = (strings: TemplateStringsArray, ...values: unknown[]): Html => htmlTag(strings, ...values) as Html;

/** Templates joined with a separator (an array alone would be joined with none). */
export const joined = (items: readonly Html[], separator: string): Html => raw(items.join(separator));
