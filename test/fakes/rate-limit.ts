/** A fake API's rate limit: at most `perSecond` requests in any second (arrivals, as servers count). */
export class RateWindow {
  private readonly accepted: number[] = [];
  /** Requests answered 429. */
  limited = 0;

  constructor(private readonly perSecond: number) {}

  /** Whether a request arriving now is within the limit (and counts it). */
  allow(now = Date.now()): boolean {
    while (this.accepted.length && now - this.accepted[0]! >= 1000) this.accepted.shift();
    if (this.accepted.length >= this.perSecond) {
      this.limited += 1;
      return false;
    }
    this.accepted.push(now);
    return true;
  }
}
