/**
 * Rapid reset (CVE-2023-44487): a client that opens streams and resets them
 * at once makes the server start work it never finishes, at no cost to
 * itself. Each connection counts the streams its client reset before their
 * response ended, per second of the worker's coarse tick (the injected
 * clock); past the limit the connection is closed with GOAWAY.
 */
export class ResetWindow {
  private second = -1;
  private count = 0;

  constructor(private readonly limit: number) {}

  /** One stream reset by the client during second `tick`; true once that second holds more than the limit. */
  hit(tick: number): boolean {
    if (tick !== this.second) {
      this.second = tick;
      this.count = 0;
    }
    return ++this.count > this.limit;
  }
}
