/**
 * Keepalive: while the connection is ready, a `ping` action every `intervalMs`. The ping carries its
 * own timeout (the socket's `pongTimeoutMs`); a ping that fails (no reply in time, or an error reply)
 * means the connection is dead even if no close event came, which is how a silently dropped TCP
 * connection or a hung server shows. The `ping` action (not a protocol-level ping) is used on every
 * platform: browsers cannot send protocol pings, and an action also proves the server's application
 * is answering, not just its TCP stack.
 */
export class Keepalive {
  private timer: ReturnType<typeof setTimeout> | undefined;
  // Bumped by start/stop so the outcome of a ping sent before a stop is ignored.
  private epoch = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly ping: () => Promise<unknown>,
    private readonly onDead: (error: unknown) => void,
  ) {}

  start(): void {
    this.stop();
    if (this.intervalMs > 0) this.schedule(this.epoch);
  }

  stop(): void {
    this.epoch++;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(epoch: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ping().then(
        () => {
          if (epoch === this.epoch) this.schedule(epoch);
        },
        (error: unknown) => {
          if (epoch === this.epoch) this.onDead(error);
        },
      );
    }, this.intervalMs);
  }
}
