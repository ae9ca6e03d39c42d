/**
 * `release.ts`: what the client was generated from, as data the runtime can read. `checkServer`
 * (runtime/server-version.ts) compares `release` with the version a server reports.
 */
export interface ReleaseFacts {
  /** MAJOR.MINOR.PATCH of the Mattermost release the spec describes, or `null` when nothing says. */
  readonly release: string | null;
  readonly specSha256: string;
  readonly inputsSha256: string;
  readonly generatorVersion: string;
}

export function emitRelease(facts: ReleaseFacts, banner: string): string {
  return `${banner}
/**
 * What this client was generated from. \`checkServer(client)\` (from \`mattermost-typed\`) compares
 * \`release\` with the version a server reports. \`release\` is \`null\` when the generator could not
 * tell the spec's release (give it with \`mattermost-typed generate --release\`).
 */
export const generatedFrom = {
  /** The Mattermost server release the spec describes (MAJOR.MINOR.PATCH). */
  release: ${JSON.stringify(facts.release)},
  /** sha256 of the spec's text (as in the banner). */
  specSha256: ${JSON.stringify(facts.specSha256)},
  /** sha256 over the spec, the overlays and the event catalog (as in the banner). */
  inputsSha256: ${JSON.stringify(facts.inputsSha256)},
  /** The mattermost-typed version that generated this client. */
  generatorVersion: ${JSON.stringify(facts.generatorVersion)},
} as const;
`;
}
