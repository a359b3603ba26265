// BAD: the Node.js "global singleton" recipe copied into a worker. On Workers the
// isolate is the server: the cached client and its pg pool outlive the request
// that opened them.
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import type { Env } from "./env";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export function getPrisma(env: Env): PrismaClient {
  globalForPrisma.prisma ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: env.HYPERDRIVE.connectionString }),
  });
  return globalForPrisma.prisma;
}
