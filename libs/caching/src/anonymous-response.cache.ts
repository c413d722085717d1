import type { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { CacheService } from './cache.service';
import { ANONYMOUS_CACHE_CONTROL, JSON_CONTENT_TYPE, matchesEtag, withVary } from './http-cache-headers';

// The public, viewer-independent reads: what an anonymous reader sees is the same for everyone.
const CACHEABLE = /^\/api\/(?:articles|tags|profiles)(?:[/?]|$)/;
const MAX_ENTRIES = 2000;

interface Entry {
  body: Buffer;
  etag: string;
  generation: number;
  expiresAt: number;
}

/**
 * Whole anonymous responses, kept in process and answered from a Fastify `onRequest` hook, before
 * Nest's guards, pipes and interceptors run: the cached read path then costs about what bare Fastify
 * does. An entry is valid only while `CacheService.generation` is unchanged, so ANY invalidation
 * (a write here, or one announced by another instance) retires every entry before its response is
 * sent; entries are filled only by requests that started after the last change (no race with a
 * write). Off whenever the in-process tier is off (caching disabled, Redis bypassed).
 */
@Injectable()
export class AnonymousResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly startedAt = new WeakMap<IncomingMessage, number>();
  private readonly ttlMs: number;

  constructor(
    private readonly cache: CacheService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.ttlMs = config.get('cache', { infer: true }).ttlSeconds * 1000;
  }

  /** Fastify `onRequest` hook: answers a hit, or notes the generation a miss started in. */
  readonly onRequest = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (!this.applies(request)) return done();
    const generation = this.cache.generation;
    const entry = this.entries.get(request.url);
    if (entry === undefined || entry.generation !== generation || entry.expiresAt < Date.now()) {
      this.startedAt.set(request.raw, generation);
      return done();
    }
    this.cache.countLocalHit();
    void reply
      .header('etag', entry.etag)
      .header('cache-control', ANONYMOUS_CACHE_CONTROL)
      .header('vary', withVary(reply.getHeader('vary'), 'Authorization'));
    if (matchesEtag(request.headers['if-none-match'], entry.etag)) void reply.code(304).send();
    else void reply.header('content-type', JSON_CONTENT_TYPE).send(entry.body);
  };

  /** Keeps an anonymous 200 body, unless something changed since its request started. */
  remember(request: FastifyRequest, json: string, etag: string): void {
    const generation = this.startedAt.get(request.raw);
    if (generation === undefined || generation !== this.cache.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(request.url, {
      body: Buffer.from(json),
      etag,
      generation,
      expiresAt: Date.now() + this.ttlMs,
    });
  }

  private applies(request: FastifyRequest): boolean {
    return (
      request.method === 'GET' &&
      request.headers.authorization === undefined &&
      this.cache.localTierActive &&
      CACHEABLE.test(request.url)
    );
  }
}
