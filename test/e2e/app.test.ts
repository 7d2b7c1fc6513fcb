// The page checks (page-suite.ts) with the app on the embedded SQLite file.
import { pageSuite } from './page-suite';

pageSuite('sqlite');
