// The access suite (access-suite.ts) on the embedded SQLite file.
import { accessSuite } from './access-suite';

accessSuite('sqlite');
