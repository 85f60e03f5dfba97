/** A fake API's rate limit: at most `perSecond` requests in any second (arrivals, as servers count). */
export class RateWindow {
  private readonly accepted: number[] = [];
  private blockedUntil = 0;
  /** Requests answered 429. */
  limited = 0;

  /**
   * `penaltyMs`: after a request over the limit, every request is refused for this long —
   * Airtable's "wait 30 seconds before subsequent requests will succeed" (docs/sources.md).
   */
  constructor(
    private readonly perSecond: number,
    private readonly penaltyMs = 0,
  ) {}

  /** Whether a request arriving now is within the limit (and counts it). */
  allow(now = Date.now()): boolean {
    while (this.accepted.length && now - this.accepted[0]! >= 1000) this.accepted.shift();
    if (now < this.blockedUntil) {
      this.limited += 1;
      return false;
    }
    if (this.accepted.length >= this.perSecond) {
      this.limited += 1;
      if (this.penaltyMs > 0) this.blockedUntil = now + this.penaltyMs;
      return false;
    }
    this.accepted.push(now);
    return true;
  }
}
