/** One entry point from a format name to its text, media type and file extension (API route and CLI share it). */
import { toHar } from "./har";
import { toHtml } from "./html";
import { toJUnit } from "./junit";
import { toMarkdown } from "./markdown";
import { toSarif, type SarifOptions } from "./sarif";
import type { ReportFormat, ReportInput } from "./types";

export const REPORT_MEDIA_TYPES: Record<ReportFormat | "json", string> = {
  json: "application/json; charset=utf-8",
  junit: "application/xml; charset=utf-8",
  sarif: "application/sarif+json; charset=utf-8",
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  har: "application/json; charset=utf-8",
};

export const REPORT_FILE_EXTENSIONS: Record<ReportFormat | "json", string> = {
  json: "json",
  junit: "xml",
  sarif: "sarif",
  html: "html",
  md: "md",
  har: "har",
};

export interface RenderOptions {
  toolVersion?: string;
  sarif?: SarifOptions;
}

export function renderReport(format: ReportFormat | "json", input: ReportInput, options: RenderOptions = {}): string {
  switch (format) {
    case "json":
      return JSON.stringify(input.report, null, 2) + "\n";
    case "junit":
      return toJUnit(input);
    case "sarif":
      return JSON.stringify(toSarif(input, { toolVersion: options.toolVersion, ...options.sarif }), null, 2) + "\n";
    case "html":
      return toHtml(input, { toolVersion: options.toolVersion });
    case "md":
      return toMarkdown(input);
    case "har":
      return JSON.stringify(toHar(input, { toolVersion: options.toolVersion }), null, 2) + "\n";
  }
}
