import { migration001 } from './001_receivers_settings';
import { migration002 } from './002_receiver_health';
import { migration003 } from './003_capture_store';
import { migration004 } from './004_sync_outbox';
import { migration005 } from './005_session_workflow';
import { migration006 } from './006_gps_stamps';
import { migration007 } from './007_capture_reservation';
import { migration008 } from './008_locate_results';
import { type Migration } from './types';

/** In order; each version exactly one more than the previous (checked by test/unit/store/database.test.ts). */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008];
