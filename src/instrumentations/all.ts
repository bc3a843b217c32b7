import type { InstrumentationName } from '../config/load';
import * as awsSdk from './aws-sdk';
import type { InstrumentationModule } from './catalog';
import * as http from './http';
import * as undici from './undici';

/**
 * Every client instrumentation, built into the one layer file the preload loads when the function
 * first uses what one of them patches (layer-files.ts, INSTRUMENTATIONS_FILE; catalog.ts,
 * InstrumentationsFile).
 */
export const instrumentations: Readonly<Record<InstrumentationName, InstrumentationModule>> = { 'aws-sdk': awsSdk, http, undici };
