import type { SpecProblem } from "../../model";
import { MAX_PROBLEMS } from "./limits";

/** Collects problems, capping their number so a broken 4 MB spec cannot produce 100k of them. */
export class ProblemList {
  readonly items: SpecProblem[] = [];
  private dropped = 0;
  private errorSeen = false;

  constructor(private readonly limit = MAX_PROBLEMS) {}

  error(pointer: string, message: string): void {
    this.add({ severity: "error", pointer, message });
  }

  warning(pointer: string, message: string): void {
    this.add({ severity: "warning", pointer, message });
  }

  add(problem: SpecProblem): void {
    if (problem.severity === "error") this.errorSeen = true;
    if (this.items.length < this.limit) this.items.push(problem);
    else this.dropped++;
  }

  addAll(problems: readonly SpecProblem[]): void {
    for (const p of problems) this.add(p);
  }

  get hasErrors(): boolean {
    return this.errorSeen;
  }

  /** The problems, with a closing note when some were dropped. */
  toArray(): SpecProblem[] {
    if (this.dropped === 0) return this.items.slice();
    return [...this.items, { severity: "warning", pointer: "", message: `${this.dropped} more problems not listed` }];
  }
}
