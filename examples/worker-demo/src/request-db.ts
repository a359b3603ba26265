// GOOD: one client per request, built in a Hono middleware from this request's
// bindings, kept in the request context with c.set(), closed with waitUntil.
import { createMiddleware } from "hono/factory";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { Client } from "pg";
import type { Env } from "./env";

export type AppEnv = { Bindings: Env; Variables: { db: NodePgDatabase } };

export const withDb = createMiddleware<AppEnv>(async (c, next) => {
  const client = new Client({ connectionString: c.env.HYPERDRIVE.connectionString });
  await client.connect();
  c.set("db", drizzle(client));
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(client.end());
  }
});
