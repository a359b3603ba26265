// BAD: a lazy singleton. Reading the Hyperdrive connection string at module scope
// throws locally, so the client is built on the first request instead, and then
// reused by every later request.
import postgres from "postgres";
import type { Env } from "./env";

let sql: ReturnType<typeof postgres> | undefined;

export function getSql(env: Env) {
  sql ??= postgres(env.HYPERDRIVE.connectionString, { max: 5, fetch_types: false });
  return sql;
}
