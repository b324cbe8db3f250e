/** Report builders: one Report (DESIGN.md contract) in, every format out. Pure: runs in workerd and Node. */
export * from "./types";
export { toJUnit } from "./junit";
export { toSarif, sarifLevel, SARIF_SCHEMA_URI, type SarifOptions, type SarifLog } from "./sarif";
export { toHtml, HTML_CSP } from "./html";
export { toMarkdown, type MarkdownOptions } from "./markdown";
export { toHar, type HarLog } from "./har";
export { curlCommand, shellQuote } from "./curl";
export { countBySeverity, hasFindingAtOrAbove, isSeverity, operationLabel, sortFindings } from "./severity";
export { renderReport, REPORT_MEDIA_TYPES, REPORT_FILE_EXTENSIONS } from "./render";
