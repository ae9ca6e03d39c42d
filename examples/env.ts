/**
 * What the examples read from the environment. In your own project you import from the package:
 *   import { createClient } from "mattermost-typed";
 *   import { createPost, getMe } from "mattermost-typed/generated";
 * The examples import the sources of this repository instead, so they compile without a build.
 */
export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the comment at the top of the example)`);
  return value;
}
