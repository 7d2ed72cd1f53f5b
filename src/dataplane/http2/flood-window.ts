/**
 * Frames a client can make a server work on at no cost to itself, counted
 * per connection and per second of the worker's coarse tick (the injected
 * clock): streams it reset before their response ended (rapid reset,
 * CVE-2023-44487: each one starts a request that is thrown away), SETTINGS
 * frames (each one owes an ACK, CVE-2019-9515) and PINGs (CVE-2019-9512).
 * Past the limit in one second the connection is closed with GOAWAY
 * (connection.ts).
 *
 * API
 *   const w = new FloodWindow(limit)
 *   w.hit(tick) -> true once second `tick` holds more than `limit` hits
 */
export class FloodWindow {
  private second = -1;
  private count = 0;

  constructor(private readonly limit: number) {}

  hit(tick: number): boolean {
    if (tick !== this.second) {
      this.second = tick;
      this.count = 0;
    }
    return ++this.count > this.limit;
  }
}
