export { MonitoringModule } from './monitoring.module';
export type { MonitoringModuleOptions } from './monitoring.module';
export { CACHE_STATUS_SOURCE, RESPONSE_TIER_SOURCE } from './cache-status-source';
export type { CacheStatus, CacheStatusSource, ResponseTierSource } from './cache-status-source';
export { LifecycleStateService } from './lifecycle/lifecycle-state.service';
export { MONITORING_SECURITY_SCHEME } from './monitoring.constants';
