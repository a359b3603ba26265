// NOTE-level: Stripe talks over fetch, so there is no socket to leak, but a client
// built at module scope from a secret keeps the old key after the secret rotates.
import { env } from "cloudflare:workers";
import Stripe from "stripe";

export const stripe = new Stripe(env.STRIPE_SECRET_KEY, { httpClient: Stripe.createFetchHttpClient() });

export async function invoiceTotal(customer: string): Promise<number> {
  const invoices = await stripe.invoices.list({ customer, limit: 10 });
  return invoices.data.reduce((sum, inv) => sum + inv.amount_due, 0);
}
