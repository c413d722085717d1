import type { AppConfig } from '@app/config';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type {
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify';
import { CacheService } from './cache.service';
import { strongEtag } from './etag-memo';
import {
  ANONYMOUS_CACHE_CONTROL,
  JSON_CONTENT_TYPE,
  matchesEtag,
  PERSONALISED_CACHE_CONTROL,
  withVary,
} from './http-cache-headers';
import { TierCounter } from './cache-metrics';
import type { ResponseTierStatus } from './cache-status';
import { RESPONSE_CACHED } from './response-cached.decorator';
import type { PersonalizedBody } from './personalized-body';
import { renderSpliced, type SplicedJson, type ViewerSets } from './spliced-json';
import type { Stamp } from './stamp';
import { VIEWER_LOOKUP, type ViewerLookup } from './viewer-lookup';

const RENDERINGS_PER_ENTRY = 16;

interface Entry {
  /** The per-viewer template (PersonalizedBody). */
  template: SplicedJson;
  /** The versions the response was built under: it answers while they are current. */
  stamp: Stamp;
  anonymous: { body: Buffer; etag: string };
  expiresAt: number;
  bytes: number;
  /** Per-viewer renderings, keyed by the viewer's first set array (checked against all of them). */
  rendered: Map<readonly number[], { sets: (readonly number[])[]; body: string; etag: string }>;
}

function templateBytes(template: SplicedJson): number {
  // UTF-16 in memory; plus a little per slot.
  return template.parts.reduce((n, part) => n + part.length * 2, 0) + template.slots.length * 32;
}

/**
 * Whole responses of the GET routes that opted in (`@ResponseCached()`), kept in process and answered from a Fastify `onRequest` hook,
 * before Nest's guards, pipes and interceptors run: the cached read path then costs close to what
 * bare Fastify does. Anonymous readers get the stored bytes; a signed-in reader gets the template
 * rendered with their own sets, when their token was verified before and their sets are in L1
 * (otherwise the request takes the full path, which fills both).
 *
 * An entry answers while the versions it was built under are current (`CacheService.isCurrent`): a
 * write here or on another instance moves on the versions of what it changed, so exactly the responses
 * built from that retire, before the write's response is sent (or within `CACHE_UNCONFIRMED_MAX_MS` on
 * other instances). Off whenever versions cannot be vouched for (caching disabled, Redis bypassed).
 */
@Injectable()
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly ttlMs: number;
  /** Bounded like L1 (CACHE_L1_MAX_MB), oldest out first: URLs are client-chosen (extra query parameters). */
  private readonly maxBytes: number;
  private readonly lookups = new TierCounter();

  constructor(
    private readonly cache: CacheService,
    config: ConfigService<AppConfig, true>,
    // Required, not @Optional: without it every signed-in read silently takes the slow path.
    @Inject(VIEWER_LOOKUP) private readonly viewers: ViewerLookup,
  ) {
    const { ttlSeconds, l1MaxBytes } = config.get('cache', { infer: true });
    this.ttlMs = ttlSeconds * 1000;
    this.maxBytes = l1MaxBytes;
  }

  /** Bytes held (bodies and templates), for tests and monitoring. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** Lookups (cacheable GETs while the tier is on), entries and bytes held, for monitoring. */
  status(): ResponseTierStatus {
    return { ...this.lookups.stats(), entries: this.entries.size, bytes: this.bytes };
  }

  /**
   * Fastify `onRoute` hook: gives the routes that opted in (`@ResponseCached()`, read from the route's
   * `config` once, at registration) their own `onRequest` hook. Other routes never run it, and the opted-in
   * ones pay no per-request check (`request.routeOptions` builds a fresh object on every read: 59 ns,
   * against 35 ns for the path regex this replaces).
   */
  readonly onRoute = (route: RouteOptions): void => {
    if (route.config?.[RESPONSE_CACHED] !== true) return;
    const hooks: onRequestHookHandler[] = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [...hooks, this.onRequest];
  };

  /** Route `onRequest` hook: answers from a current entry, or lets the request take the full path. */
  readonly onRequest = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // HEAD shares the GET route's options (and hooks); it takes the full path.
    if (request.method !== 'GET') return done();
    const entry = this.entries.get(request.url);
    const valid = entry !== undefined && entry.expiresAt >= Date.now() && this.cache.isCurrent(entry.stamp);
    const authorization = request.headers.authorization;
    if (valid && authorization === undefined) {
      this.lookups.hits++;
      return this.send(request, reply, entry.anonymous.body, entry.anonymous.etag, ANONYMOUS_CACHE_CONTROL);
    }
    if (valid && authorization !== undefined) {
      const sets = this.setsOf(authorization);
      if (sets !== undefined) {
        this.lookups.hits++;
        const rendered = this.renderFor(entry, sets);
        return this.send(request, reply, rendered.body, rendered.etag, PERSONALISED_CACHE_CONTROL);
      }
    }
    this.lookups.misses++;
    done();
  };

  /**
   * Keeps what the full path answered (called by HttpCacheInterceptor for 200s of opted-in routes): the
   * anonymous bytes and the template, under the versions they were built from.
   */
  remember(request: FastifyRequest, etag: string, { json, template, stamp }: PersonalizedBody): void {
    if (stamp === undefined || !this.cache.isCurrent(stamp)) return;
    const anonymous = request.headers.authorization === undefined;
    const anonymousJson = anonymous ? json : renderSpliced(template);
    const body = Buffer.from(anonymousJson);
    const bytes = body.length + templateBytes(template) + request.url.length * 2;
    if (bytes > this.maxBytes / 8) return; // one huge page must not flush everything else
    this.forget(request.url);
    while (this.bytes + bytes > this.maxBytes) this.forget(this.entries.keys().next().value as string);
    this.entries.set(request.url, {
      template,
      stamp,
      anonymous: { body, etag: anonymous ? etag : strongEtag(anonymousJson) },
      expiresAt: Date.now() + this.ttlMs,
      bytes,
      rendered: new Map(),
    });
    this.bytes += bytes;
  }

  /**
   * The entry as these sets render it. A viewer's cached sets are the same frozen arrays until one of
   * their writes invalidates them, so the text and its ETag are remembered per set of arrays.
   */
  private renderFor(entry: Entry, sets: ViewerSets): { body: string; etag: string } {
    const arrays = Object.values(sets);
    const known = entry.rendered.get(arrays[0]);
    if (known !== undefined && known.sets.every((set, i) => set === arrays[i])) return known;
    const body = renderSpliced(entry.template, sets);
    const rendered = { sets: arrays, body, etag: strongEtag(body) };
    // Remembered within the same byte budget as everything else, and a few per entry at most.
    const bytes = body.length * 2;
    if (entry.rendered.size < RENDERINGS_PER_ENTRY && this.bytes + bytes <= this.maxBytes) {
      entry.rendered.set(arrays[0], rendered);
      entry.bytes += bytes;
      this.bytes += bytes;
    }
    return rendered;
  }

  private forget(url: string): void {
    const entry = this.entries.get(url);
    if (entry === undefined) return;
    this.entries.delete(url);
    this.bytes -= entry.bytes;
  }

  private setsOf(authorization: string): ViewerSets | undefined {
    const viewerId = this.viewers.resolve(authorization);
    return viewerId === undefined ? undefined : this.viewers.sets(viewerId);
  }

  private send(
    request: FastifyRequest,
    reply: FastifyReply,
    body: Buffer | string,
    etag: string,
    cacheControl: string,
  ): void {
    void reply
      .header('etag', etag)
      .header('cache-control', cacheControl)
      .header('vary', withVary(reply.getHeader('vary'), 'Authorization'));
    if (matchesEtag(request.headers['if-none-match'], etag)) void reply.code(304).send();
    else void reply.header('content-type', JSON_CONTENT_TYPE).send(body);
  }
}
