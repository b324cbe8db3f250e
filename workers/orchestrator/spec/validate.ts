import { HTTP_METHODS, type SpecProblem } from "../../model";
import type { Dialect } from "./dialect";
import { isObject } from "../../jsonschema/types";
import { joinPointer } from "../../jsonschema/pointer";
import { ProblemList } from "./problems";

/**
 * Structural checks of the parts Sentinel relies on, on the document as written (before
 * Swagger conversion and `$ref` resolution), so pointers and lines refer to the user's text.
 * Errors only where the document cannot be understood; oddities real specs carry are warnings.
 */
export function validateDocument(doc: Record<string, unknown>, dialect: Dialect, out = new ProblemList()): SpecProblem[] {
  const v = new Validator(doc, dialect, out);
  v.run();
  return out.toArray();
}

const STATUS_KEY = /^([1-5][0-9][0-9]|[1-5]XX|default)$/i;
const LOCATIONS_3 = ["path", "query", "header", "cookie"];
const LOCATIONS_2 = ["path", "query", "header", "formData", "body"];
const SCHEME_TYPES_3 = ["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"];
const SCHEME_TYPES_2 = ["basic", "apiKey", "oauth2"];
const COMPONENT_SECTIONS = ["schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems"];

class Validator {
  private readonly schemeNames: Set<string>;

  constructor(
    private readonly doc: Record<string, unknown>,
    private readonly dialect: Dialect,
    private readonly out: ProblemList,
  ) {
    const schemes = dialect === "2.0" ? doc.securityDefinitions : isObject(doc.components) ? doc.components.securitySchemes : undefined;
    this.schemeNames = new Set(isObject(schemes) ? Object.keys(schemes) : []);
  }

  run(): void {
    const { doc, out } = this;
    if (doc.info === undefined) out.warning("/info", "info object is missing");
    else if (!isObject(doc.info)) out.error("/info", "info must be an object");
    else {
      if (typeof doc.info.title !== "string") out.warning("/info/title", "info.title should be a string");
      if (doc.info.version === undefined) out.warning("/info/version", "info.version is missing");
    }
    this.checkPaths();
    this.checkSecurity(doc.security, "/security");
    if (this.dialect === "2.0") this.checkSwaggerRoot();
    else this.checkComponents();
  }

  private checkPaths(): void {
    const { doc, out } = this;
    if (doc.paths === undefined) {
      if (this.dialect !== "3.1") out.warning("/paths", "paths object is missing: the document describes no operations");
      return;
    }
    if (!isObject(doc.paths)) {
      out.error("/paths", "paths must be an object");
      return;
    }
    for (const [key, item] of Object.entries(doc.paths)) {
      if (key.startsWith("x-")) continue;
      const ptr = joinPointer("/paths", key);
      if (!key.startsWith("/")) out.warning(ptr, `path "${key}" should start with "/"`);
      if (!isObject(item)) {
        out.error(ptr, "path item must be an object");
        continue;
      }
      this.checkPathItem(item, ptr);
    }
  }

  private checkPathItem(item: Record<string, unknown>, ptr: string): void {
    if (typeof item.$ref === "string") return;
    this.checkParameterList(item.parameters, joinPointer(ptr, "parameters"));
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const opPtr = joinPointer(ptr, method);
      if (!isObject(op)) this.out.error(opPtr, "operation must be an object");
      else this.checkOperation(op, opPtr);
    }
  }

  private checkOperation(op: Record<string, unknown>, ptr: string): void {
    const { out } = this;
    if (typeof op.$ref === "string") return;
    if (op.operationId !== undefined && typeof op.operationId !== "string") out.warning(joinPointer(ptr, "operationId"), "operationId should be a string");
    this.checkParameterList(op.parameters, joinPointer(ptr, "parameters"));
    if (op.responses === undefined) out.warning(joinPointer(ptr, "responses"), "operation declares no responses");
    else if (!isObject(op.responses)) out.error(joinPointer(ptr, "responses"), "responses must be an object");
    else {
      for (const [status, response] of Object.entries(op.responses)) {
        if (status.startsWith("x-")) continue;
        const rPtr = joinPointer(ptr, "responses", status);
        if (!STATUS_KEY.test(status)) out.warning(rPtr, `"${status}" is not a status code, a range such as 2XX, or "default"`);
        if (!isObject(response)) out.error(rPtr, "response must be an object");
        else this.checkResponse(response, rPtr);
      }
    }
    if (this.dialect !== "2.0" && op.requestBody !== undefined) {
      const bPtr = joinPointer(ptr, "requestBody");
      if (!isObject(op.requestBody)) out.error(bPtr, "requestBody must be an object");
      else if (op.requestBody.$ref === undefined && !isObject(op.requestBody.content)) out.error(joinPointer(bPtr, "content"), "requestBody.content must be an object");
    }
    this.checkSecurity(op.security, joinPointer(ptr, "security"));
  }

  private checkResponse(response: Record<string, unknown>, ptr: string): void {
    if (typeof response.$ref === "string") return;
    if (this.dialect === "2.0") {
      if (response.schema !== undefined) this.checkSchema(response.schema, joinPointer(ptr, "schema"));
    } else if (response.content !== undefined && !isObject(response.content)) {
      this.out.error(joinPointer(ptr, "content"), "response content must be an object");
    }
    if (response.headers !== undefined && !isObject(response.headers)) this.out.error(joinPointer(ptr, "headers"), "response headers must be an object");
  }

  private checkParameterList(list: unknown, ptr: string): void {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      this.out.error(ptr, "parameters must be an array");
      return;
    }
    const seen = new Set<string>();
    list.forEach((param, i) => {
      const pPtr = joinPointer(ptr, i);
      if (!isObject(param)) {
        this.out.error(pPtr, "parameter must be an object");
        return;
      }
      this.checkParameter(param, pPtr);
      if (typeof param.name === "string" && typeof param.in === "string") {
        const key = `${param.in}:${param.name}`;
        if (seen.has(key)) this.out.warning(pPtr, `parameter "${param.name}" in ${param.in} is declared twice; the last one is used`);
        seen.add(key);
      }
    });
  }

  private checkParameter(param: Record<string, unknown>, ptr: string): void {
    const { out } = this;
    if (typeof param.$ref === "string") return;
    if (typeof param.name !== "string") out.error(joinPointer(ptr, "name"), "parameter name must be a string");
    const allowed = this.dialect === "2.0" ? LOCATIONS_2 : LOCATIONS_3;
    if (typeof param.in !== "string" || !allowed.includes(param.in)) {
      out.error(joinPointer(ptr, "in"), `parameter "in" must be one of ${allowed.join(", ")}`);
      return;
    }
    if (param.in === "path" && param.required !== true) out.warning(joinPointer(ptr, "required"), `path parameter "${String(param.name)}" must be required`);
    if (this.dialect === "2.0") {
      if (param.in === "body") {
        if (param.schema === undefined) out.warning(ptr, "body parameter has no schema");
        else this.checkSchema(param.schema, joinPointer(ptr, "schema"));
      } else if (param.type === undefined) out.warning(joinPointer(ptr, "type"), `parameter "${String(param.name)}" has no type`);
    } else if (param.schema === undefined && param.content === undefined) {
      out.warning(ptr, `parameter "${String(param.name)}" has neither schema nor content`);
    } else if (param.schema !== undefined) this.checkSchema(param.schema, joinPointer(ptr, "schema"));
  }

  private checkSchema(schema: unknown, ptr: string): void {
    const ok = isObject(schema) || (this.dialect === "3.1" && typeof schema === "boolean");
    if (!ok) this.out.error(ptr, "schema must be an object");
  }

  private checkSecurity(security: unknown, ptr: string): void {
    if (security === undefined) return;
    if (!Array.isArray(security)) {
      this.out.error(ptr, "security must be an array of requirement objects");
      return;
    }
    security.forEach((req, i) => {
      if (!isObject(req)) {
        this.out.error(joinPointer(ptr, i), "security requirement must be an object");
        return;
      }
      for (const name of Object.keys(req)) {
        if (!this.schemeNames.has(name)) this.out.warning(joinPointer(ptr, i, name), `security scheme "${name}" is not defined`);
      }
    });
  }

  private checkSchemeMap(schemes: unknown, ptr: string, types: string[]): void {
    if (!isObject(schemes)) return;
    for (const [name, scheme] of Object.entries(schemes)) {
      const sPtr = joinPointer(ptr, name);
      if (!isObject(scheme)) this.out.error(sPtr, "security scheme must be an object");
      else if (typeof scheme.$ref !== "string" && !types.includes(String(scheme.type))) {
        this.out.warning(joinPointer(sPtr, "type"), `unknown security scheme type ${JSON.stringify(scheme.type)}`);
      }
    }
  }

  private checkComponents(): void {
    const { doc, out } = this;
    if (doc.servers !== undefined && !Array.isArray(doc.servers)) out.error("/servers", "servers must be an array");
    if (doc.components === undefined) return;
    if (!isObject(doc.components)) {
      out.error("/components", "components must be an object");
      return;
    }
    for (const section of COMPONENT_SECTIONS) {
      const value = doc.components[section];
      if (value !== undefined && !isObject(value)) out.error(joinPointer("/components", section), `components.${section} must be an object`);
    }
    const { schemas, parameters, responses, securitySchemes } = doc.components;
    if (isObject(schemas)) for (const [n, s] of Object.entries(schemas)) this.checkSchema(s, joinPointer("/components/schemas", n));
    if (isObject(parameters)) {
      for (const [n, p] of Object.entries(parameters)) {
        const ptr = joinPointer("/components/parameters", n);
        if (!isObject(p)) out.error(ptr, "parameter must be an object");
        else this.checkParameter(p, ptr);
      }
    }
    if (isObject(responses)) {
      for (const [n, r] of Object.entries(responses)) {
        const ptr = joinPointer("/components/responses", n);
        if (!isObject(r)) out.error(ptr, "response must be an object");
        else this.checkResponse(r, ptr);
      }
    }
    this.checkSchemeMap(securitySchemes, "/components/securitySchemes", SCHEME_TYPES_3);
  }

  private checkSwaggerRoot(): void {
    const { doc, out } = this;
    for (const key of ["definitions", "parameters", "responses", "securityDefinitions"]) {
      if (doc[key] !== undefined && !isObject(doc[key])) out.error(joinPointer("", key), `${key} must be an object`);
    }
    if (isObject(doc.definitions)) for (const [n, s] of Object.entries(doc.definitions)) this.checkSchema(s, joinPointer("/definitions", n));
    if (isObject(doc.parameters)) {
      for (const [n, p] of Object.entries(doc.parameters)) {
        const ptr = joinPointer("/parameters", n);
        if (!isObject(p)) out.error(ptr, "parameter must be an object");
        else this.checkParameter(p, ptr);
      }
    }
    this.checkSchemeMap(doc.securityDefinitions, "/securityDefinitions", SCHEME_TYPES_2);
    for (const key of ["consumes", "produces", "schemes"]) {
      if (doc[key] !== undefined && !Array.isArray(doc[key])) out.warning(joinPointer("", key), `${key} should be an array`);
    }
  }
}
