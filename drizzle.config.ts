import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./workers/storage/schema.ts",
  out: "./migrations",
});
