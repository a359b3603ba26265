// Entry point: a Hono app. The router itself is built once at module scope, which
// is fine (it holds no I/O); the routes show the good and the bad client modules.
import { Hono } from "hono";
import { withDb, type AppEnv } from "./request-db";
import { legacyReport } from "./db";
import { getSql } from "./sql";
import { poolForTenant } from "./tenants";
import { getPrisma } from "./prisma";
import { invoiceTotal } from "./billing";

const app = new Hono<AppEnv>();

// Good: per-request client from the middleware.
app.use("/api/*", withDb);

app.get("/api/posts", async (c) => {
  const db = c.get("db");
  const { rows } = await db.execute("SELECT id, title FROM posts ORDER BY id DESC LIMIT 20");
  return c.json(rows);
});

// Bad: these go through module-level or cached clients (see isolint's findings).
app.get("/users", async (c) => c.json(await getSql(c.env)`SELECT id, email FROM users LIMIT 20`));
app.get("/report", async (c) => c.json(await legacyReport()));
app.get("/t/:tenant/orders", async (c) => {
  const { rows } = await poolForTenant(c.env, c.req.param("tenant")).query("SELECT * FROM orders LIMIT 20");
  return c.json(rows);
});
app.get("/profile/:id", async (c) => c.json(await getPrisma(c.env).user.findUnique({ where: { id: c.req.param("id") } })));
app.get("/billing/:customer", async (c) => c.json({ total: await invoiceTotal(c.req.param("customer")) }));

export default app;
