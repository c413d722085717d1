import type { AppConfig } from '@app/config';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { LRUCache } from 'lru-cache';
import { CacheService } from './cache.service';
import { JSON_CONTENT_TYPE, setValidators, strongEtag } from './http-cache-headers';
import type { PersonalizedBody } from './personalized-body';
import { RESPONSE_CACHED } from './response-cached.decorator';
import { renderSpliced, type SplicedJson, type ViewerSets } from './spliced-json';
import { TierCounter } from './tier-counter';
import type { Stamp } from './versions';

/** Who is asking and their sets, without I/O (a token verified before, sets in L1); bound by the app. */
export interface ViewerLookup {
  resolve(authorization: string): number | undefined;
  sets(viewerId: number): ViewerSets | undefined;
}

export const VIEWER_LOOKUP = Symbol('VIEWER_LOOKUP');
export type ResponseTierStatus = ReturnType<ResponseCache['status']>;

interface Entry {
  template: SplicedJson;
  stamp: Stamp;
  refresh?: () => Promise<PersonalizedBody>;
  renewal?: Promise<Entry | undefined>;
  anonymous: { body: Buffer; etag: string };
  expiresAt: number;
  bytes: number; // in memory (templates as UTF-16 strings), renderings included
  /** A few signed-in viewers' renderings, by the viewer's first set array (checked against all). */
  rendered: Map<readonly number[], { sets: (readonly number[])[]; body: Buffer; etag: string }>;
}

/**
 * Whole responses of the routes that opted in (`@ResponseCached()`), answered from a Fastify `onRequest`
 * hook before Nest's pipeline: near bare Fastify's cost. Anonymous readers get the stored bytes, signed-in
 * ones the template rendered with their sets (else the full path answers), while the versions it was
 * built under are current: a write retires exactly the responses built from what it changed.
 */
@Injectable()
export class ResponseCache {
  /** Bounded like L1 (CACHE_L1_MAX_MB): URLs are client-chosen (extra query parameters). */
  private readonly entries: LRUCache<string, Entry>;
  private readonly ttlMs: number;
  private readonly lookups = new TierCounter();

  constructor(
    private readonly cache: CacheService,
    config: ConfigService<AppConfig, true>,
    // Required: without it every signed-in read would silently take the slow path.
    @Inject(VIEWER_LOOKUP) private readonly viewers: ViewerLookup,
  ) {
    const { ttlSeconds, l1MaxBytes } = config.get('cache', { infer: true });
    this.ttlMs = ttlSeconds * 1000;
    this.entries = new LRUCache({
      maxSize: Math.max(1, Math.floor(l1MaxBytes)),
      maxEntrySize: Math.max(1, Math.floor(l1MaxBytes / 8)), // one huge page must not flush the rest
      sizeCalculation: (entry) => entry.bytes,
    });
  }

  status() {
    return { ...this.lookups.stats(), entries: this.entries.size, bytes: this.entries.calculatedSize };
  }

  /** Fastify `onRoute` hook: only the routes that opted in get (and pay for) the tier's `onRequest` hook. */
  readonly onRoute = (route: RouteOptions): void => {
    if (route.config?.[RESPONSE_CACHED] !== true) return;
    route.onRequest = [route.onRequest ?? [], this.onRequest].flat();
  };

  readonly onRequest = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    // HEAD shares the GET route's options (and hooks); it takes the full path.
    if (request.method !== 'GET') return done();
    const entry = this.entries.peek(request.url); // no recency update (10 ns): the oldest set goes first
    if (entry !== undefined && entry.expiresAt >= Date.now() && this.cache.isCurrent(entry.stamp)) {
      return this.answer(request, reply, done, entry);
    }
    // While loads fail, the full path answers with the stale copy, marked so.
    if (entry?.refresh === undefined || this.cache.servingStale) return this.answer(request, reply, done, undefined);
    // Outdated: rebuilt through the route's service, once for all who ask meanwhile, without Nest's pipeline.
    // Not current once built (a write meanwhile, a stale copy): the full path answers, the next one retries.
    entry.renewal ??= entry.refresh().then(
      (fresh) => this.store(request.url, fresh) ?? (entry.renewal = undefined),
      () => (entry.renewal = undefined),
    );
    void entry.renewal.then((renewed) => this.answer(request, reply, done, renewed));
  };

  private answer(request: FastifyRequest, reply: FastifyReply, done: () => void, entry: Entry | undefined): void {
    if (entry !== undefined) {
      const { authorization } = request.headers;
      if (authorization === undefined) return this.send(request, reply, entry.anonymous.body, entry.anonymous.etag);
      const viewerId = this.viewers.resolve(authorization);
      const sets = viewerId === undefined ? undefined : this.viewers.sets(viewerId);
      if (sets !== undefined) {
        const { body, etag } = this.renderFor(request.url, entry, sets);
        return this.send(request, reply, body, etag);
      }
    }
    this.lookups.misses++;
    done();
  }

  /** What the full path answered for an opted-in route (HttpCacheInterceptor), kept if still current. */
  remember(request: FastifyRequest, etag: string, response: PersonalizedBody): void {
    this.store(request.url, response, request.headers.authorization === undefined ? etag : undefined);
  }

  /** Keeps `response` while its versions are current; `etag`, when known, is its anonymous text's. */
  private store(url: string, { json, template, stamp, refresh }: PersonalizedBody, etag?: string): Entry | undefined {
    if (stamp === undefined || !this.cache.isCurrent(stamp)) return undefined;
    const anonymousJson = etag === undefined ? renderSpliced(template) : json;
    const body = Buffer.from(anonymousJson);
    const templateBytes = template.parts.reduce((n, part) => n + part.length * 2, 0) + template.slots.length * 32;
    const entry: Entry = {
      template,
      stamp,
      refresh,
      anonymous: { body, etag: etag ?? strongEtag(anonymousJson) },
      expiresAt: Date.now() + this.ttlMs,
      bytes: body.length + templateBytes + url.length * 2,
      rendered: new Map(),
    };
    this.entries.set(url, entry);
    return entry;
  }

  /** A viewer's cached sets stay the same frozen arrays until their own write: renderings are kept by them. */
  private renderFor(url: string, entry: Entry, sets: ViewerSets): { body: Buffer; etag: string } {
    const arrays = Object.values(sets);
    const known = entry.rendered.get(arrays[0]);
    if (known !== undefined && known.sets.every((set, i) => set === arrays[i])) return known;
    const body = Buffer.from(renderSpliced(entry.template, sets)); // encoded once, not on every send
    const rendered = { sets: arrays, body, etag: strongEtag(body) };
    const bytes = entry.bytes + body.length;
    if (entry.rendered.size < 16 && bytes <= this.entries.maxEntrySize) {
      entry.rendered.set(arrays[0], rendered);
      this.entries.set(url, { ...entry, bytes }); // a new object: the LRU sizes a value when it is set
    }
    return rendered;
  }

  private send(request: FastifyRequest, reply: FastifyReply, body: Buffer, etag: string): void {
    this.lookups.hits++;
    if (setValidators(request, reply, etag)) void reply.code(304).send();
    else void reply.header('content-type', JSON_CONTENT_TYPE).send(body);
  }
}
