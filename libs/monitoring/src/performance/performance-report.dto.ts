import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LatencyPercentilesDto {
  @ApiProperty({ description: 'Median (nearest rank), ms', example: 3.2 }) p50!: number;
  @ApiProperty({ description: '95th percentile (nearest rank), ms', example: 11.8 }) p95!: number;
  @ApiProperty({ description: '99th percentile (nearest rank), ms', example: 25.1 }) p99!: number;
  @ApiProperty({ description: 'Slowest in the window, ms' }) max!: number;
  @ApiProperty({ description: 'Mean over the window, ms' }) mean!: number;
}

export class RouteStatsDto {
  @ApiProperty({ example: 'GET' }) method!: string;
  @ApiProperty({
    description: 'Route template; `(unmatched)` for requests no route matched',
    example: '/api/articles/:slug',
  })
  route!: string;
  @ApiProperty({ description: 'Requests since start' }) count!: number;
  @ApiProperty({ description: '4xx answers since start' }) clientErrors!: number;
  @ApiProperty({ description: '5xx answers since start' }) serverErrors!: number;
  @ApiProperty({ description: 'Recent requests the window holds (percentiles, rate and error rate are over these)' })
  windowSamples!: number;
  @ApiProperty({ description: 'Seconds from the oldest request in the window to now (at least 1)' })
  windowSeconds!: number;
  @ApiProperty({ description: 'Requests per second over the window' }) ratePerSecond!: number;
  @ApiProperty({ description: 'Share of 5xx answers in the window, 0..1' }) errorRate!: number;
  @ApiProperty({ type: LatencyPercentilesDto }) latencyMs!: LatencyPercentilesDto;
}

export class CacheTierDto {
  @ApiProperty() hits!: number;
  @ApiProperty() misses!: number;
  @ApiProperty({ description: 'hits / (hits + misses); 0 before any lookup' }) hitRatio!: number;
}

export class CachePerformanceDto {
  @ApiProperty({ enum: ['up', 'down', 'disabled'] }) redis!: 'up' | 'down' | 'disabled';
  @ApiPropertyOptional({
    type: CacheTierDto,
    description: 'Response tier: whole responses answered before the Nest pipeline (cacheable GETs only)',
  })
  response?: CacheTierDto;
  @ApiProperty({ type: CacheTierDto, description: 'In-process tier' }) l1!: CacheTierDto;
  @ApiProperty({ type: CacheTierDto, description: 'Redis tier' }) l2!: CacheTierDto;
}

export class EventLoopDelayDto {
  @ApiProperty() meanMs!: number;
  @ApiProperty() p50Ms!: number;
  @ApiProperty() p99Ms!: number;
  @ApiProperty() maxMs!: number;
}

export class MemoryDto {
  @ApiProperty() rssBytes!: number;
  @ApiProperty() heapUsedBytes!: number;
  @ApiProperty() heapTotalBytes!: number;
  @ApiProperty() externalBytes!: number;
}

export class PerformanceReportDto {
  @ApiProperty({ description: 'Process uptime, seconds' }) uptimeSeconds!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ description: 'Most recent requests kept per route' }) windowSize!: number;
  @ApiProperty({ type: [RouteStatsDto] }) routes!: RouteStatsDto[];
  @ApiPropertyOptional({ type: CachePerformanceDto, description: 'Absent until the cache reports to monitoring' })
  cache?: CachePerformanceDto;
  @ApiProperty({ type: EventLoopDelayDto, description: 'Event-loop delay since start' })
  eventLoopDelay!: EventLoopDelayDto;
  @ApiProperty({ type: MemoryDto }) memory!: MemoryDto;
}
