/**
 * The client with every operation as a method: `client.createPost({ body })`.
 *
 * A separate entry point on purpose: binding the methods imports every generated function, which
 * is what a bundle that only needs a few calls avoids by importing them one by one from the core
 * entry (`createPost(client, { body })`). Both styles share the same client underneath.
 *
 * @module mattermost-typed/full
 */
import * as endpoints from "../generated/endpoints/index.js";
import { logout } from "./auth.js";
import { type Client, type ClientOptions, createClient } from "./client.js";
import type { Transport } from "./transport.js";

type Bound<F> = F extends (client: Transport, ...rest: infer A) => infer R ? (...rest: A) => R : never;

/** Every generated operation, with the client already bound. */
export type Endpoints = { readonly [K in keyof typeof endpoints]: Bound<(typeof endpoints)[K]> };

/** A client with every operation as a method. */
export type FullClient = Client & Endpoints;

/** Adds every operation as a method of `client` (which stays usable with the standalone functions). */
export function bindEndpoints(client: Client): FullClient {
  const bound: Record<string, unknown> = Object.create(client);
  for (const [name, operation] of Object.entries(endpoints)) {
    if (typeof operation === "function") {
      bound[name] = (...rest: unknown[]) => (operation as (client: Transport, ...rest: unknown[]) => unknown)(client, ...rest);
    }
  }
  // The server call alone would leave the token in place.
  bound.logout = (init?: Parameters<typeof logout>[1]) => logout(client, init);
  return bound as unknown as FullClient;
}

/** Creates a client with every operation as a method: `createFullClient({ baseUrl, token }).getMe()`. */
export function createFullClient(options: ClientOptions): FullClient {
  return bindEndpoints(createClient(options));
}

export * from "./index.js";
