// The config.json the real Mattermost server starts with in the end-to-end tests.
//
// Everything not set here keeps the server's default; the server writes the defaults back into
// the file when it starts. Relative paths in the defaults (plugins/, data/, export/, ...) land in
// the server's working directory, which is the run's temp dir.

/**
 * The rate limit the tests run under. Mattermost (github.com/throttled/throttled, GCRA) lets
 * `maxBurst + 1` requests through at once, then one every `1000 / perSec` ms. With
 * `varyByUser`, a request carrying a token is counted twice: once under the token and once under
 * the token's user id, so all tokens of one user share a budget. Requests without a token are
 * counted under the client IP (`varyByRemoteAddr`). A refused request gets status 429, a
 * plain-text body, and `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` and
 * `Retry-After` (seconds) headers.
 */
export const DEFAULT_RATE_LIMIT = Object.freeze({
  perSec: 10,
  maxBurst: 10,
  varyByUser: true,
  varyByRemoteAddr: true,
});

/**
 * @param {{ port: number, dataSource: string, dataDir: string, logDir: string,
 *   rateLimit: { perSec: number, maxBurst: number, varyByUser: boolean, varyByRemoteAddr: boolean },
 *   overrides?: Record<string, unknown> }} options
 */
export function createServerConfig(options) {
  const siteUrl = `http://127.0.0.1:${options.port}`;
  const config = {
    ServiceSettings: {
      SiteURL: siteUrl,
      ListenAddress: `127.0.0.1:${options.port}`,
      EnableUserAccessTokens: true,
      EnableBotAccountCreation: true,
      EnableLocalMode: false,
      EnableDeveloper: false,
      EnableTesting: false,
      EnableSecurityFixAlert: false,
      EnableLinkPreviews: false,
      EnablePermalinkPreviews: false,
      EnableGifPicker: false,
      EnableOnboardingFlow: false,
      EnableTutorial: false,
      EnableAPITeamDeletion: true,
      EnableAPIUserDeletion: true,
      EnableAPIChannelDeletion: true,
      EnableAPIPostDeletion: true,
      EnableIncomingWebhooks: true,
      EnableOutgoingWebhooks: true,
      EnableCommands: true,
      // Slash commands, outgoing webhooks, buttons and dialogs call the test's receiver on 127.0.0.1.
      AllowedUntrustedInternalConnections: "127.0.0.1 localhost",
      EnableCustomEmoji: true,
      // The webapp is not part of the Go module; serve the API only.
      WebserverMode: "disabled",
    },
    TeamSettings: {
      SiteName: "mattermost-typed e2e",
      EnableOpenServer: true,
      EnableUserCreation: true,
      MaxUsersPerTeam: 1000,
    },
    SqlSettings: {
      DriverName: "postgres",
      DataSource: options.dataSource,
      DataSourceReplicas: [],
      DataSourceSearchReplicas: [],
      // PostgreSQL allows 100 connections by default; leave room for other test servers.
      MaxIdleConns: 5,
      MaxOpenConns: 20,
    },
    LogSettings: {
      EnableConsole: false,
      ConsoleLevel: "ERROR",
      EnableFile: true,
      FileLevel: "INFO",
      FileJson: true,
      FileLocation: options.logDir,
      EnableDiagnostics: false,
      EnableSentry: false,
      EnableWebhookDebugging: false,
    },
    ExperimentalAuditSettings: {
      FileEnabled: false,
    },
    FileSettings: {
      DriverName: "local",
      Directory: `${options.dataDir}/`,
      EnableFileAttachments: true,
      EnablePublicLink: false,
    },
    EmailSettings: {
      EnableSignUpWithEmail: true,
      EnableSignInWithEmail: true,
      EnableSignInWithUsername: true,
      SendEmailNotifications: false,
      RequireEmailVerification: false,
      SendPushNotifications: false,
      EnablePreviewModeBanner: false,
      EnableEmailBatching: false,
    },
    RateLimitSettings: {
      Enable: true,
      PerSec: options.rateLimit.perSec,
      MaxBurst: options.rateLimit.maxBurst,
      MemoryStoreSize: 10000,
      VaryByRemoteAddr: options.rateLimit.varyByRemoteAddr,
      VaryByUser: options.rateLimit.varyByUser,
      VaryByHeader: "",
    },
    PluginSettings: {
      Enable: false,
      EnableUploads: false,
      EnableMarketplace: false,
      EnableRemoteMarketplace: false,
      AutomaticPrepackagedPlugins: false,
      RequirePluginSignature: false,
    },
    AnnouncementSettings: {
      AdminNoticesEnabled: false,
      UserNoticesEnabled: false,
    },
    MetricsSettings: {
      Enable: false,
    },
    ClusterSettings: {
      Enable: false,
    },
  };
  return mergeDeep(config, options.overrides ?? {});
}

/** Plain-object deep merge: `extra` wins; arrays and other values are replaced, not merged. */
function mergeDeep(base, extra) {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeDeep(current, value) : value;
  }
  return out;
}

function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
