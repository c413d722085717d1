/** Plain fields: the response tier counts ~20k req/s, too hot for prom-client's `inc()`; `/metrics` copies them. */
export class TierCounter {
  hits = 0;
  misses = 0;
  stats() {
    return { hits: this.hits, misses: this.misses, hitRatio: this.hits / (this.hits + this.misses || 1) };
  }
}
