import { MAX_REF_CHAIN } from "./limits";
import { isObject } from "../../jsonschema/types";
import { joinPointer, refOf, resolvePointer, splitRef } from "../../jsonschema/pointer";
import type { ProblemList } from "./problems";

export interface Resolved {
  node: Record<string, unknown>;
  /** pointer of the object finally reached (the `$ref` target, or the original place) */
  pointer: string;
}

/**
 * Follows `$ref` chains of non-schema objects (parameters, responses, request bodies, headers,
 * links, path items, security schemes, examples) inside one document. Cycles, dangling and
 * external references become error problems at the `$ref` that could not be followed.
 */
export class RefResolver {
  constructor(
    private readonly doc: unknown,
    private readonly problems: ProblemList,
  ) {}

  deref(value: unknown, pointer: string, what: string): Resolved | undefined {
    let node = value;
    let ptr = pointer;
    const seen: string[] = [];
    for (let i = 0; i <= MAX_REF_CHAIN; i++) {
      const ref = refOf(node);
      if (ref === undefined) {
        if (isObject(node)) return { node, pointer: ptr };
        this.problems.error(ptr, `${what} must be an object`);
        return undefined;
      }
      const at = joinPointer(ptr, "$ref");
      const { file, pointer: target, anchor } = splitRef(ref);
      if (file !== "") {
        this.problems.error(at, `external $ref "${ref}" is not resolved: bundle the spec with its files first`);
        return undefined;
      }
      if (anchor) {
        this.problems.error(at, `$ref "${ref}" is not a JSON pointer`);
        return undefined;
      }
      if (seen.includes(target)) {
        this.problems.error(at, `$ref cycle: ${[...seen, target].map((t) => "#" + t).join(" -> ")}`);
        return undefined;
      }
      seen.push(target);
      const next = resolvePointer(this.doc, target);
      if (next === undefined) {
        this.problems.error(at, `$ref "${ref}" points to nothing`);
        return undefined;
      }
      node = next;
      ptr = target;
    }
    this.problems.error(pointer, `$ref chain longer than ${MAX_REF_CHAIN} links`);
    return undefined;
  }
}
