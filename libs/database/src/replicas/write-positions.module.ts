import { Module } from '@nestjs/common';
import { WritePositions } from './write-positions';

/**
 * The one WritePositions of the process, on its own so the cache's invalidation bus (which carries
 * positions between instances) can import it without the data source.
 */
@Module({ providers: [WritePositions], exports: [WritePositions] })
export class WritePositionsModule {}
