// Bindings of this worker (see wrangler.toml).
export interface Env {
  HYPERDRIVE: Hyperdrive;
  STRIPE_SECRET_KEY: string;
  APP_NAME: string;
}
