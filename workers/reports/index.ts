/** Report builders: one Report (DESIGN.md contract) in, every format out. Pure: runs in workerd and Node. */
export * from "./types";
export { HTML_CSP } from "./html";
export { renderReport, REPORT_MEDIA_TYPES, REPORT_FILE_EXTENSIONS } from "./render";
