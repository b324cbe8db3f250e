/** Where the Sentinel package lives, found from the CLI's own file — never from the working directory. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function findPackageRoot(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && existsSync(path.join(dir, "wrangler.toml"))) {
      try {
        if (JSON.parse(readFileSync(manifest, "utf8")).name === "sentinel") return dir;
      } catch {
        // unreadable manifest: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Sentinel package above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}

export function packageVersion(root: string): string {
  try {
    return String(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version ?? "0.0.0");
  } catch {
    return "0.0.0";
  }
}
