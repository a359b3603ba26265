// BAD: a module-level Map of pools, one per tenant, filled by requests.
import { Pool } from "pg";
import type { Env } from "./env";

const pools = new Map<string, Pool>();

export function poolForTenant(env: Env, tenant: string): Pool {
  if (!pools.has(tenant)) {
    pools.set(tenant, new Pool({ connectionString: env.HYPERDRIVE.connectionString, options: `-c search_path=${tenant}` }));
  }
  return pools.get(tenant)!;
}
