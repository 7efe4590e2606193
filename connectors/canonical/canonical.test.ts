import { goldenSuite } from '../testkit/golden-suite.js';

goldenSuite('canonical');
