import { HTTP_METHODS, type SpecProblem } from "../../model";
import { MAX_REF_CHAIN } from "./limits";
import { isObject } from "../../jsonschema/types";
import { joinPointer, refOf, resolvePointer, splitRef } from "../../jsonschema/pointer";
import { ProblemList } from "./problems";

/**
 * Swagger 2.0 → OpenAPI 3.0 shape, so one model builder serves both. Schemas are not copied:
 * `definitions` becomes `components.schemas` as is, and the schema normaliser maps
 * `#/definitions/X` to `#/components/schemas/X` and handles `x-nullable` and `type: file`.
 * Parameters and responses are dereferenced here because their 3.x form depends on the
 * operation (`consumes`/`produces`). Problems point into the Swagger document.
 */
export function convertSwagger2(doc: Record<string, unknown>, out = new ProblemList()): { document: Record<string, unknown>; problems: SpecProblem[] } {
  const c = new Converter(doc, out);
  return { document: c.convert(), problems: out.toArray() };
}

type Obj = Record<string, unknown>;
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
const PARAM_META = new Set(["name", "in", "required", "description", "collectionFormat", "allowEmptyValue", "x-example", "deprecated"]);
const FLOW_NAMES: Record<string, string> = { implicit: "implicit", password: "password", application: "clientCredentials", accessCode: "authorizationCode" };

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}

class Converter {
  constructor(
    private readonly doc: Obj,
    private readonly out: ProblemList,
  ) {}

  convert(): Obj {
    const { doc } = this;
    const result: Obj = { openapi: "3.0.3", info: doc.info, servers: this.servers(), paths: this.paths() };
    const components: Obj = {};
    if (isObject(doc.definitions)) components.schemas = doc.definitions;
    if (isObject(doc.securityDefinitions)) components.securitySchemes = this.securitySchemes(doc.securityDefinitions);
    result.components = components;
    for (const key of ["security", "tags", "externalDocs"]) if (doc[key] !== undefined) result[key] = doc[key];
    for (const key of Object.keys(doc)) if (key.startsWith("x-")) result[key] = doc[key];
    return result;
  }

  private servers(): Obj[] {
    const { host, basePath } = this.doc;
    const base = typeof basePath === "string" ? basePath.replace(/\/+$/, "") : "";
    if (typeof host !== "string" || host === "") return base ? [{ url: base }] : [];
    const schemes = (strings(this.doc.schemes) ?? []).filter((s) => /^(https?|wss?)$/.test(s));
    return (schemes.length > 0 ? schemes : ["https"]).map((s) => ({ url: `${s}://${host}${base}` }));
  }

  private securitySchemes(defs: Obj): Obj {
    const result: Obj = {};
    for (const [name, def] of Object.entries(defs)) {
      if (!isObject(def)) continue;
      if (def.type === "basic") result[name] = { type: "http", scheme: "basic", description: def.description };
      else if (def.type === "apiKey") result[name] = { type: "apiKey", name: def.name, in: def.in, description: def.description };
      else if (def.type === "oauth2") {
        const flowName = FLOW_NAMES[String(def.flow)] ?? "implicit";
        result[name] = {
          type: "oauth2",
          description: def.description,
          flows: { [flowName]: { authorizationUrl: def.authorizationUrl, tokenUrl: def.tokenUrl, scopes: isObject(def.scopes) ? def.scopes : {} } },
        };
      } else result[name] = def;
    }
    return result;
  }

  /** Follows `#/parameters/X` or `#/responses/X` chains; undefined (with a problem) when broken. */
  private deref(value: unknown, pointer: string): { node: Obj; pointer: string } | undefined {
    let node = value;
    let ptr = pointer;
    const seen = new Set<string>();
    for (let i = 0; i < MAX_REF_CHAIN; i++) {
      const ref = refOf(node);
      if (ref === undefined) return isObject(node) ? { node, pointer: ptr } : undefined;
      const { file, pointer: target } = splitRef(ref);
      if (file !== "") {
        this.out.error(joinPointer(ptr, "$ref"), `external $ref "${ref}" is not resolved: bundle the spec first`);
        return undefined;
      }
      if (seen.has(target)) {
        this.out.error(joinPointer(ptr, "$ref"), `$ref cycle through "${ref}"`);
        return undefined;
      }
      seen.add(target);
      const next = resolvePointer(this.doc, target);
      if (next === undefined) {
        this.out.error(joinPointer(ptr, "$ref"), `$ref "${ref}" points to nothing`);
        return undefined;
      }
      node = next;
      ptr = target;
    }
    this.out.error(pointer, "$ref chain too long");
    return undefined;
  }

  private paths(): Obj {
    const paths: Obj = {};
    if (!isObject(this.doc.paths)) return paths;
    for (const [key, item] of Object.entries(this.doc.paths)) {
      if (!isObject(item) || key.startsWith("x-") || typeof item.$ref === "string") {
        paths[key] = item;
        continue;
      }
      const itemPtr = joinPointer("/paths", key);
      const converted: Obj = {};
      for (const [k, v] of Object.entries(item)) {
        if (k === "parameters") continue;
        if ((HTTP_METHODS as readonly string[]).includes(k) && isObject(v)) converted[k] = this.operation(v, item.parameters, joinPointer(itemPtr, k), itemPtr);
        else converted[k] = v;
      }
      paths[key] = converted;
    }
    return paths;
  }

  /** Path-level and operation-level parameters resolved and merged (operation wins). */
  private mergedParameters(opParams: unknown, pathParams: unknown, opPtr: string, itemPtr: string): { param: Obj; pointer: string }[] {
    const merged = new Map<string, { param: Obj; pointer: string }>();
    const add = (list: unknown, listPtr: string) => {
      if (!Array.isArray(list)) return;
      list.forEach((p, i) => {
        const r = this.deref(p, joinPointer(listPtr, i));
        if (r && typeof r.node.name === "string") merged.set(`${String(r.node.in)}:${r.node.name}`, { param: r.node, pointer: r.pointer });
      });
    };
    add(pathParams, joinPointer(itemPtr, "parameters"));
    add(opParams, joinPointer(opPtr, "parameters"));
    return [...merged.values()];
  }

  private operation(op: Obj, pathParams: unknown, ptr: string, itemPtr: string): Obj {
    const result: Obj = {};
    for (const [k, v] of Object.entries(op)) {
      if (!["parameters", "consumes", "produces", "responses", "schemes"].includes(k)) result[k] = v;
    }
    const consumes = strings(op.consumes) ?? strings(this.doc.consumes) ?? [];
    const produces = strings(op.produces) ?? strings(this.doc.produces) ?? [];
    const params = this.mergedParameters(op.parameters, pathParams, ptr, itemPtr);

    const parameters: Obj[] = [];
    const formFields: { param: Obj; pointer: string }[] = [];
    let body: Obj | undefined;
    for (const entry of params) {
      const { param } = entry;
      if (param.in === "body") body = param;
      else if (param.in === "formData") formFields.push(entry);
      else parameters.push(this.parameter(param, entry.pointer));
    }
    if (parameters.length > 0) result.parameters = parameters;

    if (body) {
      if (formFields.length > 0) this.out.warning(ptr, "operation has both a body parameter and formData parameters; formData ignored");
      const types = consumes.length > 0 ? consumes : ["application/json"];
      const content: Obj = {};
      for (const t of types) content[t] = { schema: body.schema ?? {} };
      result.requestBody = { required: body.required === true, description: body.description, content };
    } else if (formFields.length > 0) {
      result.requestBody = this.formBody(formFields, consumes);
    }

    const responses: Obj = {};
    if (isObject(op.responses)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (status.startsWith("x-")) continue;
        const r = this.deref(response, joinPointer(ptr, "responses", status));
        if (r) responses[status] = this.response(r.node, produces);
      }
    }
    result.responses = responses;
    return result;
  }

  private parameter(param: Obj, ptr: string): Obj {
    const result: Obj = { name: param.name, in: param.in, required: param.in === "path" ? true : param.required === true, schema: this.simpleSchema(param) };
    if (param.description !== undefined) result.description = param.description;
    if (param.deprecated === true) result.deprecated = true;
    if (param["x-example"] !== undefined) result.example = param["x-example"];
    if (param.type === "array") {
      const format = typeof param.collectionFormat === "string" ? param.collectionFormat : "csv";
      const query = param.in === "query";
      if (format === "multi") Object.assign(result, { style: "form", explode: true });
      else if (format === "ssv" && query) Object.assign(result, { style: "spaceDelimited", explode: false });
      else if (format === "pipes" && query) Object.assign(result, { style: "pipeDelimited", explode: false });
      else {
        if (format !== "csv") this.out.warning(joinPointer(ptr, "collectionFormat"), `collectionFormat "${format}" has no OpenAPI 3 equivalent here; comma-separated is assumed`);
        Object.assign(result, { style: query ? "form" : "simple", explode: false });
      }
    }
    return result;
  }

  /** The JSON Schema part of a non-body Swagger parameter or items/header object. */
  private simpleSchema(param: Obj): Obj {
    const schema: Obj = {};
    for (const [k, v] of Object.entries(param)) {
      if (PARAM_META.has(k)) continue;
      schema[k] = k === "items" && isObject(v) ? this.simpleSchema(v) : v;
    }
    return schema;
  }

  private formBody(fields: { param: Obj; pointer: string }[], consumes: string[]): Obj {
    const properties: Obj = {};
    const required: string[] = [];
    let hasFile = false;
    for (const { param } of fields) {
      const schema = this.simpleSchema(param);
      if (param.description !== undefined) schema.description = param.description;
      if (param.type === "file") hasFile = true;
      properties[String(param.name)] = schema;
      if (param.required === true) required.push(String(param.name));
    }
    const schema: Obj = { type: "object", properties };
    if (required.length > 0) schema.required = required;
    let types = consumes.filter((t) => FORM_TYPES.some((f) => t.toLowerCase().startsWith(f)));
    if (types.length === 0) types = [hasFile ? "multipart/form-data" : "application/x-www-form-urlencoded"];
    const content: Obj = {};
    for (const t of types) content[t] = { schema };
    return { required: required.length > 0, content };
  }

  private response(response: Obj, produces: string[]): Obj {
    const result: Obj = { description: response.description ?? "" };
    if (isObject(response.headers)) {
      const headers: Obj = {};
      for (const [name, h] of Object.entries(response.headers)) {
        if (isObject(h)) headers[name] = { description: h.description, schema: this.simpleSchema(h) };
      }
      result.headers = headers;
    }
    const examples = isObject(response.examples) ? response.examples : {};
    if (response.schema !== undefined) {
      const types = produces.length > 0 ? [...produces] : ["application/json"];
      for (const t of Object.keys(examples)) if (!types.includes(t)) types.push(t);
      const content: Obj = {};
      for (const t of types) {
        const media: Obj = { schema: response.schema };
        if (examples[t] !== undefined) media.example = examples[t];
        content[t] = media;
      }
      result.content = content;
    }
    return result;
  }
}
