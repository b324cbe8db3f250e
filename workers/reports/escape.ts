/**
 * Escaping for the text formats. Response bodies are attacker-controlled in a security tool:
 * everything that reaches XML or Markdown goes through these (HTML: hono/html's tag in ./html-tag).
 */

/** Characters XML 1.0 forbids anywhere (even escaped): C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/FFFF. */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML element content and attribute values; forbidden characters become U+FFFD. */
export function escapeXml(value: string): string {
  return value
    .replace(XML_INVALID, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Escapes an XML attribute value, keeping line breaks (which attribute normalisation would turn into spaces). */
export function escapeXmlAttribute(value: string): string {
  return escapeXml(value).replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");
}

/** Escapes text for a Markdown table cell or inline text: no table breaks, no HTML, no link syntax. */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/\r?\n|\r/g, " ")
    .replace(/([\\`*_{}[\]()#+!|~>])/g, "\\$1")
    .replace(/</g, "&lt;");
}

/** Inline code that cannot be broken out of: picks a backtick fence longer than any run inside. */
export function markdownCode(value: string): string {
  const text = value.replace(/\r?\n|\r/g, " ").replace(/\|/g, "\\|");
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Cuts long text for display, saying how much was left out. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… (${value.length - max} more characters)`;
}
